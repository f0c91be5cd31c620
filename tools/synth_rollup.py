#!/usr/bin/env python3
"""The example city as a roll-up (DESIGN §3d): `python tools/synth_rollup.py --out DIR`.

Splits the example data (units/, ledgers/) into what the levels would keep under 属地管理: a
repository per district and county (栖云区, 岚溪县, 石砚县, 雾松县) holding its own units,
ledgers, the complaints about its units and the measures against them, and the city's own
repository (云岭市 and its bureaus) whose `qingqian.yaml` lists the counties as members. Each
county repository is committed and writes its bundle (`qingqian bundle`) into DIR/bundles/;
then the city rolls them up:

    DIR/counties/<code>/   a county's data repository (git)
    DIR/bundles/<code>/    its bundle: Parquet, JSON, manifest.json
    DIR/city/              the city's repository with rollup.members

    qingqian rollup --root DIR/city --format md
    qingqian build  --root DIR/city            # the city's site, with a page per member region

Same source, same output (but each manifest's `generated`).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cli.main import main as qingqian  # noqa: E402

AS_OF = "2022-11-15"  # the example's data date: every level states the same one
COMMIT_ENV = {"GIT_AUTHOR_NAME": "synth", "GIT_AUTHOR_EMAIL": "synth@example.org",
              "GIT_COMMITTER_NAME": "synth", "GIT_COMMITTER_EMAIL": "synth@example.org",
              "GIT_AUTHOR_DATE": "2022-11-15T17:00:00+08:00", "GIT_COMMITTER_DATE": "2022-11-15T17:00:00+08:00"}


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
    measures = yaml.safe_load((source / "ledgers/measures.yaml").read_text(encoding="utf-8"))["measures"]
    (out / "ledgers/measures.yaml").write_text(_dump({"measures": [m for m in measures if m["unit"] in own]}),
                                               encoding="utf-8")


def git(repo: Path, *args: str) -> None:
    import os

    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env={**os.environ, **COMMIT_ENV})


def make(source: Path, out: Path) -> list[str]:
    """Write the counties, their bundles and the city into `out` (replaced); the county codes."""
    if out.exists():
        shutil.rmtree(out)
    units = _units(source)
    city = next(unit["region"] for unit in units.values() if not unit.get("parent"))
    counties = sorted({(u["region"]["code"], u["region"]["name"]) for u in units.values()} - {(city["code"],
                                                                                                city["name"])})
    members = []
    for code, name in counties:
        repo = out / "counties" / code
        split(source, repo, code, units)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"{name}的台账")
        if qingqian(["bundle", "--root", str(repo), "--out", str(out / "bundles" / code), "--as-of", AS_OF]):
            raise SystemExit(f"{name}的数据包没有写出")
        members.append(f'    - {{region: "{code}", path: ../bundles/{code}, name: {name}}}\n')
    handler = next(key for key, unit in units.items() if unit["region"]["code"] == city["code"]
                   and (source / "ledgers/clues" / f"{key}.yaml").exists())
    split(source, out / "city", city["code"], units, handler)
    config = (source / "qingqian.yaml").read_text(encoding="utf-8") if (source / "qingqian.yaml").exists() else ""
    members_yaml = "# 本市汇总的下级（tools/synth_rollup.py 写出的各区县数据包）\nrollup:\n  members:\n"
    members_yaml += "".join(members)
    (out / "city/qingqian.yaml").write_text(config + members_yaml, encoding="utf-8")
    return [code for code, _name in counties]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", type=Path, default=ROOT, help="the example data (default: this repository)")
    args = parser.parse_args()
    codes = make(args.source, args.out)
    print(f"写出了 {len(codes)} 个区县的仓库和数据包、以及市级仓库 {args.out / 'city'}", file=sys.stderr)
    return qingqian(["rollup", "--root", str(args.out / "city"), "--date", AS_OF, "--format", "md"])


if __name__ == "__main__":
    sys.exit(main())
