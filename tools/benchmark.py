#!/usr/bin/env python3
"""Benchmark at province scale: prints each figure next to the time PyYAML's C loader needs
just to load the same files, and writes them to build/benchmark.json.

    python tools/benchmark.py [--ledgers 10000] [--debts 10] [--data DIR]

Not a test: timings depend on the machine; the figures go in the README and issue notes.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.validate import data_files, validate_repo  # noqa: E402


def timed(label: str, func, results: dict, baseline: float | None = None):
    start = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - start
    ratio = f"  ({seconds / baseline:.2f}× 载入时间)" if baseline else ""
    print(f"{label:<28} {seconds:8.2f} s{ratio}", flush=True)
    results[label] = {"seconds": round(seconds, 2),
                      "ratio_to_load": round(seconds / baseline, 3) if baseline else None}
    return value


def c_loader_only(root: Path) -> None:
    for path in data_files(root):
        yaml.load((root / path).read_bytes(), Loader=yaml.CSafeLoader)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledgers", type=int, default=10_000)
    parser.add_argument("--debts", type=int, default=10)
    parser.add_argument("--data", type=Path, default=None,
                        help="where the synthetic province is kept (default build/bench-<n>x<m>)")
    args = parser.parse_args()
    data = args.data or ROOT / "build" / f"bench-{args.ledgers}x{args.debts}"
    if not (data / "units").is_dir():
        subprocess.run([sys.executable, str(ROOT / "tools" / "synth.py"), "province", "--out", str(data),
                        "--ledgers", str(args.ledgers), "--debts", str(args.debts)], check=True)
    files = len(data_files(data))
    print(f"合成省份：{args.ledgers} 本台账 × {args.debts} 笔欠款，{files} 个文件（{data}）")
    results: dict = {"ledgers": args.ledgers, "debts": args.debts, "files": files}
    load = timed("C 载入器仅载入", lambda: c_loader_only(data), results)
    report = timed("完整校验（冷）", lambda: validate_repo(data), results, load)
    print(f"  校验结果：{len(report.errors)} 个错误，{len(report.issues) - len(report.errors)} 个警告")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(
        resource.RUSAGE_CHILDREN).ru_maxrss
    results["peak_rss_mb"] = round(peak / 1024)
    print(f"{'峰值内存（本进程+子进程）':<24} {peak / 1024:8.0f} MB")
    out = ROOT / "build" / "benchmark.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"已写入 {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
