"""`.github/CODEOWNERS` generated from the unit registry, and the check that it is current."""

from __future__ import annotations

from pathlib import Path

from ..core.issues import Issue, make
from ..core.model import Records

PATH = ".github/CODEOWNERS"


def render(records: Records) -> str:
    office = sorted(records.office_maintainers())
    owners = " ".join(f"@{m}" for m in office)
    lines = ["# 由 qingqian codeowners 根据 units/ 生成，请勿手工修改。",
             "# 未列出的文件（含 units/、generator/、site_src/、mkdocs.yml、.github/）归清欠办。",
             f"* {owners}"]
    # In CODEOWNERS the last matching line wins, so the unit lines come after the catch-all.
    for unit in sorted(records.units.values(), key=lambda u: u.id):
        unit_owners = " ".join(f"@{m}" for m in unit.maintainers)
        for folder in ("ledgers/arrears", "ledgers/clues"):
            lines.append(f"/{folder}/{unit.id}.yaml {unit_owners} {owners}")
    return "\n".join(lines) + "\n"


def check(root: Path, records: Records) -> list[Issue]:
    path = root / PATH
    if path.exists() and path.read_text(encoding="utf-8") != render(records):
        return [make(PATH, 1, 1, "E609")]
    return []
