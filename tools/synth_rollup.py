#!/usr/bin/env python3
"""The example city as a roll-up over months (DESIGN §3d): `python tools/synth_rollup.py --out DIR`.

Splits the example city's history (tools/synth_history.py; its month tags 2022-06 … 2022-11) into
what the levels would keep under 属地管理: a repository per district and county (栖云区, 岚溪县,
石砚县, 雾松县) holding its own units, ledgers, the complaints about its units and the measures
against them, and the city's own repository (云岭市 and its bureaus) whose `qingqian.yaml` lists
the counties as members. Month by month, each county commits its data as it stood at the month's
last submission and writes its bundle (`qingqian bundle --as-of` the month's end, the data date
for November) into the city's repository, which commits the bundles with its own data; so the
city's history gives the 月调度 and 季通报 across its members as a county's gives across units:

    DIR/counties/<code>/       a county's data repository (git, a commit a month)
    DIR/bundles/<code>/        the bundle it wrote last, as it hands it up
    DIR/city/                  the city's repository with rollup.members (git, a commit a month)
    DIR/city/members/<code>/   a county's bundle as the city last committed it

    qingqian rollup --root DIR/city --format md
    qingqian report --root DIR/city --period quarter --date 2022-09-30
    qingqian build  --root DIR/city            # the city's site, with a page per member region

Same source, same output (but each manifest's `generated`).
"""

from __future__ import annotations

import argparse
import calendar
import io
import os
import shutil
import subprocess
import sys
import tarfile
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from synth_history import main as synth_history  # noqa: E402

from generator.cli.main import main as qingqian  # noqa: E402

AS_OF = "2022-11-15"  # the example's data date: every level states the same one at the end
MONTHS = ("2022-06", "2022-07", "2022-08", "2022-09", "2022-10", "2022-11")  # synth_history's month tags
PEOPLE = {"GIT_AUTHOR_NAME": "synth", "GIT_AUTHOR_EMAIL": "synth@example.org",
          "GIT_COMMITTER_NAME": "synth", "GIT_COMMITTER_EMAIL": "synth@example.org"}


def _units(source: Path) -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((source / "units").glob("*.yaml"))}


HEADER = "# 虚构示例数据，由 tools/synth_rollup.py 从示例城市拆分：地区、单位、企业、人员均不真实存在\n"


def _dump(data: dict) -> str:
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


def split(source: Path, out: Path, region: str, units: dict[str, dict], handler: str | None = None) -> None:
    """The repository of `region`: its units (the top one without a parent), their ledgers,
    cases and measures, and the clues about them (kept by `handler`, else by the top unit)."""
    own = {key for key, unit in units.items() if unit["region"]["code"] == region}
    (out / "units").mkdir(parents=True)
    top = None
    for key in sorted(own):
        text = (source / "units" / f"{key}.yaml").read_text(encoding="utf-8")
        if units[key].get("parent") not in own:
            top = key
            text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("parent:"))
        (out / "units" / f"{key}.yaml").write_text(text, encoding="utf-8")
    others = sorted(set(units) - own, key=len, reverse=True)
    for folder in ("arrears", "cases"):
        (out / "ledgers" / folder).mkdir(parents=True)
        for path in sorted((source / "ledgers" / folder).glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if yaml.safe_load(text)["unit"] in own:
                for other in others:  # a follow-up call by the city's office is the county's own here
                    text = text.replace(f"by: {other},", f"by: {top},")
                (out / "ledgers" / folder / path.name).write_text(text, encoding="utf-8")
    clues = [clue for path in sorted((source / "ledgers/clues").glob("*.yaml"))
             for clue in yaml.safe_load(path.read_text(encoding="utf-8"))["clues"] if clue["respondent"] in own]
    if clues:
        keeper = handler or top
        (out / "ledgers/clues").mkdir()
        (out / "ledgers/clues" / f"{keeper}.yaml").write_text(_dump({"unit": keeper, "clues": clues}),
                                                               encoding="utf-8")
    if not (source / "ledgers/measures.yaml").exists():  # none taken yet
        return
    measures = yaml.safe_load((source / "ledgers/measures.yaml").read_text(encoding="utf-8"))["measures"]
    (out / "ledgers/measures.yaml").write_text(_dump({"measures": [m for m in measures if m["unit"] in own]}),
                                               encoding="utf-8")


def git(repo: Path, *args: str, when: str = "") -> str:
    dated = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, **PEOPLE, **dated}).stdout


def checkout(history: Path, tag: str, into: Path) -> str:
    """The history's files at `tag` written into `into`; the tag's commit time (ISO)."""
    data = subprocess.run(["git", "-C", str(history), "archive", "--format=tar", tag], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return git(history, "log", "-1", "--format=%cI", tag).strip()


def _replace(source: Path, repo: Path, region: str, units: dict[str, dict], handler: str | None = None) -> None:
    """The repository's data files as `split` writes them from `source` (the rest stays)."""
    for folder in ("units", "ledgers"):
        shutil.rmtree(repo / folder, ignore_errors=True)
    split(source, repo, region, units, handler)


def later(when: str, minutes: int) -> str:
    return (datetime.fromisoformat(when) + timedelta(minutes=minutes)).isoformat()


def month_end(tag: str) -> str:
    """The data date a month's bundles state: its last day, or the example's data date."""
    year, month = (int(part) for part in tag.split("-"))
    return min(date(year, month, calendar.monthrange(year, month)[1]).isoformat(), AS_OF)


def make(history: Path, out: Path, months: tuple[str, ...] = MONTHS) -> list[str]:
    """Write the counties and the city, a commit a month, into `out` (replaced); the county codes."""
    if out.exists():
        shutil.rmtree(out)
    codes: list[str] = []
    for tag in months:
        source = out / "source"
        when = checkout(history, tag, source)
        units = _units(source)
        city = next(unit["region"] for unit in units.values() if not unit.get("parent"))
        counties = sorted({(u["region"]["code"], u["region"]["name"]) for u in units.values()} - {(city["code"],
                                                                                                    city["name"])})
        members = []
        for code, name in counties:
            repo = out / "counties" / code
            if not repo.exists():
                repo.mkdir(parents=True)
                git(repo, "init", "-q", "-b", "main")
            _replace(source, repo, code, units)
            git(repo, "add", "-A")
            git(repo, "commit", "-qm", f"{name} {tag} 的台账", when=when)
            if qingqian(["bundle", "--root", str(repo), "--out", str(out / "bundles" / code),
                         "--as-of", month_end(tag)]):
                raise SystemExit(f"{name} {tag} 的数据包没有写出")
            # the city receives the bundle and puts it in its repository, replacing last month's
            shutil.rmtree(out / "city/members" / code, ignore_errors=True)
            shutil.copytree(out / "bundles" / code, out / "city/members" / code)
            members.append(f'    - {{region: "{code}", path: members/{code}, name: {name}}}\n')
        handler = next(key for key, unit in units.items() if unit["region"]["code"] == city["code"]
                       and (source / "ledgers/clues" / f"{key}.yaml").exists())
        _replace(source, out / "city", city["code"], units, handler)
        config = (source / "qingqian.yaml").read_text(encoding="utf-8") if (source / "qingqian.yaml").exists() else ""
        members_yaml = "# 本市汇总的下级：各区县交来的数据包，每月提交到本仓库的 members/ 中\nrollup:\n  members:\n"
        (out / "city/qingqian.yaml").write_text(config + members_yaml + "".join(members), encoding="utf-8")
        if not (out / "city/.git").exists():
            git(out / "city", "init", "-q", "-b", "main")
        git(out / "city", "add", "-A")
        git(out / "city", "commit", "-qm", f"本级 {tag} 的台账和各区县的数据包", when=later(when, 10))
        shutil.rmtree(source)
        codes = [code for code, _name in counties]
    return codes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--history", type=Path, default=ROOT / "build" / "demo",
                        help="the example city's history (made by tools/synth_history.py when not up to date)")
    parser.add_argument("--months", default=",".join(MONTHS), help="the month tags to replay, comma-separated")
    args = parser.parse_args()
    if synth_history(["--out", str(args.history)]):
        return 1
    months = tuple(args.months.split(","))
    codes = make(args.history, args.out, months)
    print(f"写出了 {len(codes)} 个区县的仓库和市级仓库 {args.out / 'city'}（{len(months)} 个月，每月一次提交和数据包）",
          file=sys.stderr)
    return qingqian(["rollup", "--root", str(args.out / "city"), "--date", month_end(months[-1]), "--format", "md"])


if __name__ == "__main__":
    sys.exit(main())
