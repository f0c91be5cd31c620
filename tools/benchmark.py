#!/usr/bin/env python3
"""Benchmark at province scale: prints each figure next to the time PyYAML's C loader needs
just to load the same files, and writes them to build/benchmark.json.

    python tools/benchmark.py [--ledgers 10000] [--debts 10] [--data DIR] [--days 365]

`--days 0` leaves out the history figures (generating a year of commits takes long).

Not a test: timings depend on the machine; the figures go in the README and issue notes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.core.config import Config  # noqa: E402
from generator.history.progress import daily_cutoffs, series  # noqa: E402
from generator.history.state import History  # noqa: E402
from generator.site import AUDIENCES  # noqa: E402
from generator.site import build as site  # noqa: E402
from generator.site.changes import baseline  # noqa: E402
from generator.site.downloads import write_templates  # noqa: E402
from generator.validate.pipeline import data_files, validate_repo  # noqa: E402


def load_average() -> float:
    """The machine's load (one-minute average, as `uptime` shows it) when a figure was taken:
    on a shared machine a figure means little without it."""
    return round(os.getloadavg()[0], 2)


def timed(label: str, func, results: dict, baseline: float | None = None):
    start = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - start
    ratio = f"  ({seconds / baseline:.2f}× 载入时间)" if baseline else ""
    load = load_average()
    print(f"{label:<28} {seconds:8.2f} s{ratio}  [负载 {load}]", flush=True)
    results[label] = {"seconds": round(seconds, 2),
                      "ratio_to_load": round(seconds / baseline, 3) if baseline else None, "load": load}
    return value


def c_loader_only(root: Path) -> None:
    for path in data_files(root):
        yaml.load((root / path).read_bytes(), Loader=yaml.CSafeLoader)


def committed(data: Path) -> dict[str, str]:
    """The environment under which `data` is the work tree of a git repository whose index
    holds its files as committed (what a clerk's clone is when the pre-commit hook runs). The
    repository is kept beside the data in build/ (GIT_DIR), so the folder itself and its cache
    stay as they are; made once."""
    env = {**os.environ, "GIT_DIR": str(data.parent / f"{data.name}.git"), "GIT_WORK_TREE": str(data),
           "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.cn",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.cn"}
    if not Path(env["GIT_DIR"]).is_dir():
        for args in (["init", "-q", "-b", "main"], ["add", "-A", "units", "ledgers"], ["commit", "-qm", "合成省份"]):
            subprocess.run(["git", *args], cwd=data, env=env, check=True, capture_output=True)
    return env


def daily_history(source: Path, repo: Path, days: int, per_day: int) -> None:
    """A git repository of `source` with one commit a day for `days` days, each moving
    `as_of` forward in `per_day` ledgers (a new blob per touched ledger, as a real day has)."""
    if (repo / ".git").is_dir():
        return
    shutil.copytree(source / "units", repo / "units")
    shutil.copytree(source / "ledgers", repo / "ledgers")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.cn",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.cn"}

    def git(*args: str, when: str | None = None) -> None:
        extra = {"GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when} if when else {}
        subprocess.run(["git", *args], cwd=repo, env={**env, **extra}, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "建立台账", when="2023-01-01T09:00:00+08:00")
    ledgers = sorted((repo / "ledgers/arrears").glob("*.yaml"))
    for day in range(1, days):
        when = date(2023, 1, 1) + timedelta(days=day)
        for n in range(per_day):
            path = ledgers[(day * per_day + n) % len(ledgers)]
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"(?m)^as_of: .*$", f"as_of: {when}", text, count=1), encoding="utf-8")
        git("add", "-A")
        git("commit", "-qm", f"{when} 日报", when=f"{when}T16:00:00+08:00")


def history_series(repo: Path, days: int) -> int:
    config = Config()
    cutoffs = daily_cutoffs(date(2023, 1, 1), date(2023, 1, 1) + timedelta(days=days - 1), config)
    return len(series(History.read(repo), cutoffs))


def comparison_state(repo: Path) -> int:
    """本期变化's comparison state as a build reads it: the state at the nearest period tag
    (the middle commit of the history is tagged with its month the first time)."""
    history = History.read(repo, cache=True)
    config = Config()
    when, middle = history.commits[len(history.commits) // 2]
    name = f"{when.astimezone(config.schedule.tz):%Y-%m}"
    subprocess.run(["git", "tag", "-f", name, middle], cwd=repo, check=True, capture_output=True)
    base = baseline(history, config, date.today())
    history.save()
    return sum(len(ledger.items) for ledger in base.records.ledgers)


def site_build(data: Path, records, audience: str, results: dict, baseline: float) -> None:
    """`build_site` for one audience (the data already validated), split into our part
    (assembling the docs folder: pages, downloads) and mkdocs' part, by timing the two steps
    build_site calls."""
    steps: dict[str, float] = {}

    def timing(name: str, func):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                steps[name] = time.perf_counter() - start
        return run

    original = site.assemble, site.engine.build
    site.assemble, site.engine.build = timing("ours", site.assemble), timing("mkdocs", site.engine.build)
    label = "清欠办" if audience == "office" else "公开"
    try:
        with tempfile.TemporaryDirectory(prefix="qingqian-bench-site-") as tmp:
            timed(f"{label}网站生成（不含校验）", lambda: site.build_site(records, data, audience, Path(tmp) / "site"),
                  results, baseline)
    finally:
        site.assemble, site.engine.build = original
    for name, part in (("ours", "  其中本项目：页面与下载文件"), ("mkdocs", "  其中 mkdocs 构建")):
        seconds = steps[name]
        print(f"{part:<26} {seconds:8.2f} s  ({seconds / baseline:.2f}× 载入时间)", flush=True)
        results[f"{label}网站：{name}"] = {"seconds": round(seconds, 2), "ratio_to_load": round(seconds / baseline, 3),
                                         "load": load_average()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledgers", type=int, default=10_000)
    parser.add_argument("--debts", type=int, default=10)
    parser.add_argument("--data", type=Path, default=None,
                        help="where the synthetic province is kept (default build/bench-<n>x<m>)")
    parser.add_argument("--days", type=int, default=365, help="days of daily commits for the history figures")
    parser.add_argument("--touched", type=int, default=20, help="ledgers updated per daily commit")
    args = parser.parse_args()
    # A cache of its own, empty at the start, so the cold figures are cold.
    os.environ["QINGQIAN_CACHE"] = tempfile.mkdtemp(prefix="qingqian-bench-cache-")
    # named by the generator's own hash: a province made by an older synth.py is never measured again
    made_by = hashlib.sha256((ROOT / "tools" / "synth.py").read_bytes()).hexdigest()[:8]
    data = (args.data or ROOT / "build" / f"bench-{args.ledgers}x{args.debts}-{made_by}").resolve()
    if not (data / "units").is_dir():
        subprocess.run([sys.executable, str(ROOT / "tools" / "synth.py"), "province", "--out", str(data),
                        "--ledgers", str(args.ledgers), "--debts", str(args.debts)], check=True)
    files = len(data_files(data))
    print(f"合成省份：{args.ledgers} 本台账 × {args.debts} 笔欠款，{files} 个文件（{data}）")
    print(f"{os.cpu_count()} 核，开始时负载 {[round(x, 2) for x in os.getloadavg()]}"
          "（1、5、15 分钟平均；每项后的 [负载] 是该项结束时的 1 分钟平均）")
    results: dict = {"ledgers": args.ledgers, "debts": args.debts, "files": files, "cores": os.cpu_count(),
                     "load_at_start": [round(x, 2) for x in os.getloadavg()]}
    timed("C 载入器仅载入", lambda: c_loader_only(data), results)
    load = results["C 载入器仅载入"]["seconds"]  # the baseline of every ratio (timed returns the value)
    report = timed("完整校验（冷）", lambda: validate_repo(data), results, load)
    print(f"  校验结果：{len(report.errors)} 个错误，{len(report.issues) - len(report.errors)} 个警告")
    debts = [item for ledger in report.records.ledgers for item in ledger.items]
    creditors = len({item.creditor_code for item in debts})
    results["creditors"] = creditors
    print(f"  债权人 {creditors} 个，每笔欠款 {creditors / max(len(debts), 1):.2f} 个")
    timed("填充缓存（冷，写缓存）", lambda: validate_repo(data, cache=True), results, load)
    in_git = committed(data)
    touched = next((data / "ledgers/arrears").glob("*.yaml"))
    original = touched.read_bytes()
    touched.write_bytes(original + "# 本次改动\n".encode())
    try:
        timed("改动一本台账后再校验", lambda: validate_repo(data, cache=True), results, load)
        # what the pre-commit hook runs: a new process, its imports, the changed file only
        command = [sys.executable, "-m", "generator", "validate", "--root", str(data),
                   str(touched.relative_to(data))]
        timed("命令行：改动一本台账后校验它", lambda: subprocess.run(command, cwd=ROOT, capture_output=True),
              results, load)
        # the same in a git work tree, as the hook runs: git's index spares reading the unchanged files
        timed("命令行：同上，数据在 git 仓库中",
              lambda: subprocess.run(command, cwd=ROOT, capture_output=True, env=in_git), results, load)
    finally:
        touched.write_bytes(original)
    with tempfile.TemporaryDirectory(prefix="qingqian-bench-templates-") as tmp:
        units = timed("填报模板：全部单位（单进程）", lambda: write_templates(report.records, Path(tmp), jobs=1),
                      results, load)
    print(f"  每份 {results['填报模板：全部单位（单进程）']['seconds'] / max(len(units), 1) * 1000:.1f} ms")
    for audience in AUDIENCES:
        site_build(data, report.records, audience, results, load)
    label = "清欠办网站（含校验，同 qingqian build）"
    seconds = results["完整校验（冷）"]["seconds"] + results["清欠办网站生成（不含校验）"]["seconds"]
    results[label] = {"seconds": round(seconds, 2), "ratio_to_load": round(seconds / load, 3), "load": load_average()}
    print(f"{label:<28} {seconds:8.2f} s  ({seconds / load:.2f}× 载入时间)  [负载 {load_average()}]", flush=True)
    if args.days:
        history_figures(data, args, results, load)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(
        resource.RUSAGE_CHILDREN).ru_maxrss
    results["peak_rss_mb"] = round(peak / 1024)
    print(f"{'峰值内存（本进程+子进程）':<24} {peak / 1024:8.0f} MB")
    results["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(f"结束时负载 {results['load_at_end']}")
    out = ROOT / "build" / "benchmark.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"已写入 {out.relative_to(ROOT)}")


def history_figures(data: Path, args: argparse.Namespace, results: dict, load: float) -> None:
    city = ROOT / "build" / f"bench-history-city-{args.days}"
    timed(f"城市历史：生成 {args.days} 天提交", lambda: daily_history(ROOT, city, args.days, args.touched), results)
    timed(f"城市历史：{args.days} 个日截止点进展", lambda: history_series(city, args.days), results, load)
    province = ROOT / "build" / f"bench-history-{args.ledgers}x{args.debts}-{args.days}"
    timed(f"省级历史：生成 {args.days} 天提交", lambda: daily_history(data, province, args.days, args.touched),
          results)
    timed(f"省级历史：{args.days} 个日截止点进展", lambda: history_series(province, args.days), results, load)
    timed("省级历史：再算一次（有缓存）", lambda: history_series(province, args.days), results, load)
    timed("省级历史：本期变化的比较状态（冷）", lambda: comparison_state(province), results, load)
    timed("省级历史：同上，下一次生成（按 blob 缓存）", lambda: comparison_state(province), results, load)


if __name__ == "__main__":
    main()
