"""Campaign dates and other settings; every date is configuration with the 2022 plans' defaults.

A data repository may override them in `qingqian.yaml` at its root:

    campaign:
      cutoff: 2020-01-01          # debts due on or after it count as formed since then
      since_deadline: 2022-11-30  # when those must be fully paid
      before_deadline: 2022-12-31 # when undisputed debts formed before the cut-off must be paid
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

import yaml

CONFIG_FILE = "qingqian.yaml"


@dataclass(frozen=True)
class Campaign:
    cutoff: date = date(2020, 1, 1)
    since_deadline: date = date(2022, 11, 30)
    before_deadline: date = date(2022, 12, 31)

    @property
    def class_since(self) -> str:
        return f"{self.cutoff.year}年以来形成"

    @property
    def class_before(self) -> str:
        return f"{self.cutoff.year}年以前无分歧"

    class_disputed = "有分歧"


class ConfigError(Exception):
    """The configuration file is unusable; the message is Chinese and names the file."""


def load_campaign(root: Path) -> Campaign:
    path = root / CONFIG_FILE
    if not path.exists():
        return Campaign()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        given = data.get("campaign") or {}
        known = {f.name for f in fields(Campaign)}
        unknown = set(given) - known
        if unknown:
            raise ConfigError(f"{CONFIG_FILE}: campaign 下有未知设置 {', '.join(sorted(unknown))}")
        values = {k: v if isinstance(v, date) else date.fromisoformat(str(v))
                  for k, v in given.items()}
        return replace(Campaign(), **values)
    except (yaml.YAMLError, ValueError, AttributeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{CONFIG_FILE}: 无法读取设置（{exc}）") from exc
