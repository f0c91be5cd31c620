"""The CODEOWNERS file of the forge named in `qingqian.yaml`, generated from the unit registry,
and the check that it is current.

Each forge reads its own file in its own syntax:
- GitHub `.github/CODEOWNERS`: gitignore-like globs, the last matching line wins.
- Gitea / Forgejo `.gitea/CODEOWNERS` (after `CODEOWNERS` and `docs/CODEOWNERS`, first found
  wins): Go regular expressions matched against the whole path, every matching line applies;
  a backslash in the file escapes the next character, so a regexp `\\.` is written `\\\\.`.
- GitLab `.gitlab/CODEOWNERS`: globs, grouped in sections that are each enforced separately.
  One section per supervising body (主管单位) holds the ledgers of the units it aggregates;
  the unnamed first section gives everything else to the 清欠办 and excludes the ledgers
  (`!pattern`, GitLab 17.10+) so the office is not a required approver of every unit's change.

Only GitHub and paid GitLab tiers can require a code owner's review; on Gitea and GitLab CE the
file only requests reviewers, and the authority check of `validate --actor` is what enforces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..core.issues import Issue, make
from ..core.model import Records, Unit

PATHS = {"github": ".github/CODEOWNERS", "gitea": ".gitea/CODEOWNERS", "gitlab": ".gitlab/CODEOWNERS"}
PATH = PATHS["github"]
UNIT_FOLDERS = ("ledgers/arrears", "ledgers/clues")  # files named after the unit that owns them
HEADER = "# 由 qingqian codeowners 根据 units/ 生成，请勿手工修改。"
OFFICE_NOTE = "# 未列出的文件（含 units/、generator/、site_src/、mkdocs.yml 和各平台的配置）归清欠办。"


def _mentions(logins) -> str:
    return " ".join(f"@{login}" for login in logins)


def _units(records: Records) -> list[Unit]:
    return sorted(records.units.values(), key=lambda u: u.id)


def _office(records: Records) -> list[str]:
    return sorted(records.office_maintainers())


def _catch_all(pattern: str, records: Records) -> list[str]:
    """The office's line, left out when the registry names no office account (a pattern
    without owners is an error on Gitea and GitLab)."""
    return [f"{pattern} {_mentions(_office(records))}"] if _office(records) else []


def _unit_lines(unit: Unit, office: list[str]) -> list[str]:
    return [f"/{folder}/{unit.id}.yaml {_mentions([*unit.maintainers, *office])}" for folder in UNIT_FOLDERS]


def _github(records: Records) -> list[str]:
    lines = [HEADER, OFFICE_NOTE, *_catch_all("*", records)]
    # The last matching line wins, so the unit lines come after the catch-all.
    for unit in _units(records):
        lines += _unit_lines(unit, _office(records))
    return lines


def _gitea(records: Records) -> list[str]:
    lines = [HEADER, "# Gitea：每行是匹配整条路径的 Go 正则表达式（文件中的 \\\\. 即正则的 \\.），所有匹配的行都生效。",
             OFFICE_NOTE, *_catch_all(".*", records)]
    for unit in _units(records):
        lines += [f"{folder}/{unit.id}\\\\.yaml {_mentions(unit.maintainers)}" for folder in UNIT_FOLDERS]
    return lines


def _section_name(unit: Unit | None, supervisor_id: str | None) -> str:
    if supervisor_id is None:
        return "无主管单位"
    name = re.sub(r"[\[\]\s#\\]", "", unit.name) if unit else ""
    return f"{name}（{supervisor_id}）" if name else supervisor_id


def _gitlab(records: Records) -> list[str]:
    lines = [HEADER, "# GitLab：每个主管单位一节，各节分别生效；第一节之外的文件归清欠办。", OFFICE_NOTE,
             *_catch_all("*", records)]
    if lines[-1].startswith("*"):
        lines += [f"!/{folder}/*.yaml" for folder in UNIT_FOLDERS]
    groups: dict[str | None, list[Unit]] = {}
    for unit in _units(records):
        groups.setdefault(unit.supervisor, []).append(unit)
    for supervisor_id in sorted(groups, key=lambda s: (s is None, s or "")):
        lines += ["", f"[{_section_name(records.units.get(supervisor_id or ''), supervisor_id)}]"]
        for unit in groups[supervisor_id]:
            lines += _unit_lines(unit, _office(records))
    return lines


RENDERERS: dict[str, Callable[[Records], list[str]]] = {"github": _github, "gitea": _gitea, "gitlab": _gitlab}


def render(records: Records, forge: str = "github") -> str:
    return "\n".join(RENDERERS[forge](records)) + "\n"


def check(root: Path, records: Records, forge: str = "github") -> list[Issue]:
    """E609 when the configured forge's file differs from what the registry gives, or is missing
    while another forge's file is there (the forge was changed without regenerating)."""
    path = PATHS[forge]
    if (root / path).exists():
        if (root / path).read_text(encoding="utf-8", errors="replace") != render(records, forge):
            return [make(path, 1, 1, "E609")]
        return []
    others = [other for name, other in PATHS.items() if name != forge and (root / other).exists()]
    if others:
        return [make(path, 1, 1, "E609", f"qingqian.yaml 中 forge 为 {forge}，但只有 {'、'.join(others)}")]
    return []
