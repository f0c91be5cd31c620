"""What every command's glue shares: exit codes, the usage error, argument types."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def root_of(args) -> Path:
    root = args.root
    if not root.is_dir():
        raise UsageError(f"数据目录“{root}”不存在")
    return root


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的日期") from None


def parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是带时区的时间，如 2022-11-04T10:00:00+08:00") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"“{text}”缺少时区，如 +08:00")
    return moment
