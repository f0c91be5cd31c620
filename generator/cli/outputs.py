"""Where a command may write a file it makes: never over the data or a tracked file."""

from __future__ import annotations

import subprocess
from pathlib import Path


def refusal(root: Path, out: Path) -> str | None:
    """Why `out` may not be written (Chinese), or None. An export, template or report written
    over a ledger or any file under version control would destroy it at the next commit."""
    data, target = root.resolve(), out.resolve()
    for folder in ("units", "ledgers"):
        if target == data / folder or target.is_relative_to(data / folder):
            return f"输出文件“{out}”在数据目录 {folder}/ 中，会覆盖台账数据，请另选位置"
    if not target.exists():
        return None
    try:
        tracked = subprocess.run(["git", "-C", str(target.parent), "ls-files", "--error-unmatch", "--", target.name],
                                 capture_output=True).returncode == 0
    except OSError:  # no git: nothing is tracked
        return None
    return f"输出文件“{out}”是仓库中受版本管理的文件，不能覆盖，请另选位置" if tracked else None
