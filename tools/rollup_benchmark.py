#!/usr/bin/env python3
"""Benchmark of the roll-up (issue 26): an upper level summing M members' bundles of N debts.

    python tools/rollup_benchmark.py [--members 100] [--debts 10000]

One member is real: a synthetic county (tools/synth.py province, N debts) bundled by
`qingqian bundle`. The others are its copies, each with its own unit ids and county code
(99CCKK inside the province 990000), written as their own Parquet files and manifests; so the
roll-up reads, hashes and sums M × N debts as it would from M counties. The bundles are kept in
build/ and made again only when the numbers change. Then `qingqian rollup` runs in a child
process; the script prints its wall time and peak memory (the child's maximum resident set)
and writes them to build/rollup-benchmark.json.

Not a test: timings depend on the machine; the figures go in the README.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.rollup.bundle import parquet_bytes  # noqa: E402

# the command in a child that reports its own peak memory last (DuckDB works inside it)
CHILD = ("import resource, sys\nfrom generator.cli.main import main\ncode = main(sys.argv[1:])\n"
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)")
UPPER_UNIT = """id: prov
name: 合成省人民政府（示例）
credit_code: 11990000MB0000001M
type: 县级政府
region: {code: "990000", name: 合成省（示例）}
status: 正常
leader: {name: 王某, title: 副省长, phone: "0351-1234567"}
liaison: {name: 李某, title: 科员, phone: "13800000000", email: li@example.cn}
maintainers: [prov-qqb]
"""


def county(n: int) -> str:
    """The n-th member's county code inside the province: 99CCKK, CC 01.., KK 21..40."""
    return f"99{n // 20 + 1:02d}{n % 20 + 21:02d}"


def template_bundle(work: Path, debts: int) -> Path:
    """A real county's bundle of `debts` debts (100 debts per ledger)."""
    bundle = work / f"template-{debts}"
    if (bundle / "manifest.json").is_file():
        return bundle
    repo = work / f"county-{debts}"
    shutil.rmtree(repo, ignore_errors=True)
    ledgers = max(1, debts // 100)
    python = sys.executable
    subprocess.run([python, str(ROOT / "tools/synth.py"), "province", "--out", str(repo), "--ledgers", str(ledgers),
                    "--debts", str(debts // ledgers)], check=True)
    subprocess.run([python, "-m", "generator", "bundle", "--root", str(repo), "--out", str(bundle)], check=True,
                   cwd=ROOT)
    return bundle


def _relabelled(table: pa.Table, prefix: str, code: str, columns: tuple[str, ...]) -> pa.Table:
    for name in columns:
        if name in table.column_names:
            at = table.column_names.index(name)
            table = table.set_column(at, name, pc.binary_join_element_wise(prefix, table[name], ""))
    for name in ("region_code",):
        if name in table.column_names:
            at = table.column_names.index(name)
            table = table.set_column(at, name, pa.array([code] * len(table), pa.string()))
    return table


def member_bundles(work: Path, template: Path, members: int) -> list[str]:
    """`members` bundles: the template's tables with the unit ids prefixed and the county code set."""
    manifest = json.loads((template / "manifest.json").read_text(encoding="utf-8"))
    codes = []
    for n in range(members):
        code, out = county(n), work / "bundles" / county(n)
        codes.append(code)
        if (out / "manifest.json").is_file():
            continue
        out.mkdir(parents=True, exist_ok=True)
        files = {}
        for name, columns in (("debts", ("unit", "supervisor")), ("units", ("id", "parent", "supervisor")),
                              ("clues", ("handler", "respondent"))):
            table = _relabelled(pq.read_table(template / f"{name}.parquet"), f"m{n}-", code, columns)
            files[f"{name}.parquet"] = parquet_bytes(table)
            files[f"{name}.json"] = (template / f"{name}.json").read_bytes()  # the same size to hash
        for name, data in files.items():
            (out / name).write_bytes(data)
        own = {**manifest, "region": {"code": code, "name": f"合成{code}县"},
               "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}}
        (out / "manifest.json").write_text(json.dumps(own, ensure_ascii=False, indent=1), encoding="utf-8")
    return codes


def upper_repo(work: Path, codes: list[str]) -> Path:
    upper = work / "upper"
    shutil.rmtree(upper, ignore_errors=True)
    (upper / "units").mkdir(parents=True)
    (upper / "units/prov.yaml").write_text(UPPER_UNIT, encoding="utf-8")
    members = "".join(f'    - {{region: "{code}", path: ../bundles/{code}}}\n' for code in codes)
    (upper / "qingqian.yaml").write_text(f"rollup:\n  members:\n{members}", encoding="utf-8")
    return upper


def main() -> int:
    parser = argparse.ArgumentParser(description="逐级汇总的基准测试")
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--debts", type=int, default=10000, help="每个下级的欠款笔数")
    args = parser.parse_args()
    work = ROOT / "build" / "rollup-benchmark" / f"{args.members}x{args.debts}"
    work.mkdir(parents=True, exist_ok=True)
    codes = member_bundles(work, template_bundle(work.parent, args.debts), args.members)
    upper = upper_repo(work, codes)
    size = sum(p.stat().st_size for p in (work / "bundles").rglob("*") if p.is_file())
    as_of = json.loads((work / "bundles" / codes[0] / "manifest.json").read_text(encoding="utf-8"))["as_of"]
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", CHILD, "rollup", "--root", str(upper), "--date", as_of,
                             "--out", str(work / "rollup.json")], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        print(result.stderr, file=sys.stderr)
        return result.returncode
    peak = int(result.stderr.strip().splitlines()[-1])  # KiB, the child's own maximum resident set
    rolled = json.loads((work / "rollup.json").read_text(encoding="utf-8"))
    figures = {"members": args.members, "debts_per_member": args.debts, "rows": rolled["totals"]["items"],
               "bundle_bytes": size, "seconds": round(seconds, 2), "peak_mib": round(peak / 1024),
               "load": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
    print(f"汇总 {args.members} 个下级 × {args.debts} 笔 = {figures['rows']:,} 笔欠款"
          f"（数据包共 {size / 2**20:,.0f} MiB）：{seconds:.1f} s，峰值内存 {figures['peak_mib']:,} MiB"
          f"  [负载 {figures['load']}，{figures['cpus']} 核]")
    (work.parent / "rollup-benchmark.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
