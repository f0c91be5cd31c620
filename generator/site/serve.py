"""`qingqian serve`: build one audience's site and serve it, rebuilding when data changes.

mkdocs' own live-reload server does the serving and the watching; the builder it calls
re-validates the data first, so a ledger saved with an error keeps the last good site up
and prints the problems, as `validate` would.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from ..core.config import CONFIG_FILE
from ..validate.pipeline import ValidationReport
from .build import SiteError, Sources, build_site


def serve(root: Path, audience: str, work: Path, host: str, port: int, as_of: date | None,
          check: Callable[[Path], ValidationReport | None]) -> None:
    """Serve until interrupted; `check` validates and prints problems (None when invalid)."""
    out, docs = work / "site", work / "docs"

    def rebuild() -> None:
        report = check(root)
        if report is None:
            print("数据有错误，网站保持上一次成功生成的内容", file=sys.stderr)
            return
        try:
            build_site(report.records, root, audience, out, as_of, docs)
        except SiteError as exc:
            print(f"网站生成失败：{exc}", file=sys.stderr)
            return
        print(f"网站已更新：http://{host}:{port}/", file=sys.stderr)

    out.mkdir(parents=True, exist_ok=True)
    rebuild()
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(out))
    sources = Sources.for_root(root)
    for path in (root / "units", root / "ledgers", root / CONFIG_FILE, sources.site_src, sources.config):
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        print("已停止", file=sys.stderr)
    finally:
        server.shutdown()
