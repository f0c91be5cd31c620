#!/usr/bin/env python3
"""The Zensical canary: build the site the real build's docs folder makes with `zensical build` as
well, and say what differs from mkdocs' site. Never fails: it only tells.

    python tools/zensical_canary.py [--root DIR] [--audience office] [--zensical CMD]

mkdocs-material is in maintenance until 2027-05-05; Zensical, its successor, reads mkdocs.yml but
has no plugin API and refuses a docs folder outside its configuration's folder. The real build
(qingqian build, site/engine/) writes the docs folder and, beside it, the mkdocs.yml mkdocs builds
from; Zensical gets the same two, with only the output folder moved inside (it refuses one outside
too). Zensical is installed into a virtual environment of its own (build/zensical-venv), never into
the project's: the first version of VERSIONS that installs. Its report begins "Zensical 预演：".
`python3 dev.py test` runs it after the test suite.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.site import SiteError  # noqa: E402
from generator.site.build import build_site  # noqa: E402
from generator.validate.pipeline import validate_repo  # noqa: E402

# zensical 0.1.x needs zensical-ui, which the package index does not carry (yet); 0.0.73 is the
# last release without it
VERSIONS = ("0.1.4", "0.0.73")
VENV = ROOT / "build" / "zensical-venv"
LABEL = "Zensical 预演："
MOST = 10  # page paths named in the report
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HEADING = re.compile(r'<h[1-6][^>]*\sid="([^"]*)"')





def installed() -> tuple[list[str] | None, str]:
    """The command that runs Zensical in its own environment (made when missing), and its version;
    or None, and why not."""
    command = VENV / "bin" / "zensical"
    if not command.exists():
        venv.create(VENV, with_pip=True)
        for version in VERSIONS:
            done = subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet",
                                   "--disable-pip-version-check", f"zensical=={version}"],
                                  capture_output=True, text=True)
            if done.returncode == 0:
                break
        else:
            last = (done.stderr.strip().splitlines() or ["（无输出）"])[-1]
            return None, f"未能安装 zensical {' / '.join(VERSIONS)}：{last}"
    version = subprocess.run([str(command), "--version"], capture_output=True, text=True).stdout.strip()
    return [str(command)], version


def pages(site: Path) -> dict[str, tuple]:
    """The site's HTML pages by path: (title, the ids of its headings, its number of tables)."""
    found = {}
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8", errors="replace")
        title = TITLE.search(text)
        found[path.relative_to(site).as_posix()] = (" ".join(title.group(1).split()) if title else "",
                                                    tuple(HEADING.findall(text)), text.count("<table"))
    return found


def named(paths: set[str]) -> str:
    listed = sorted(paths)
    return "、".join(listed[:MOST]) + (f" 等 {len(listed)} 页" if len(listed) > MOST else "")


def report(mkdocs: dict[str, tuple], zensical: dict[str, tuple] | None, said: str = "") -> list[str]:
    """What the canary says: the pages both sites have, those one of them lacks, the pages whose
    title, headings or tables differ."""
    if zensical is None:
        return [f"{LABEL}未能生成（不影响测试结果）：{said or '原因不明'}"]
    missing, extra = set(mkdocs) - set(zensical), set(zensical) - set(mkdocs)
    both = set(mkdocs) & set(zensical)
    titled = {path for path in both if mkdocs[path][0] != zensical[path][0]}
    headed = {path for path in both if mkdocs[path][1] != zensical[path][1]}
    tabled = {path for path in both if mkdocs[path][2] != zensical[path][2]}
    same = not (missing or extra or titled or headed or tabled)
    lines = [f"{LABEL}{'与 mkdocs 一致' if same else '与 mkdocs 有差别'}：mkdocs {len(mkdocs):,} 页，"
             f"Zensical {len(zensical):,} 页"]
    if missing:
        lines.append(f"  Zensical 缺少 {len(missing):,} 页：{named(missing)}")
    if extra:
        lines.append(f"  Zensical 多出 {len(extra):,} 页：{named(extra)}")
    for differ, what in ((titled, "标题"), (headed, "小标题（或其锚点）"), (tabled, "表格数")):
        if differ:
            lines.append(f"  {what}不同 {len(differ):,} 页：{named(differ)}")
    if said:
        lines.append(f"  Zensical 的提示：{said}")
    return lines


def canary(root: Path, audience: str, command: list[str] | None, work: Path) -> list[str]:
    version = ""
    if command is None:
        command, version = installed()
        if command is None:
            return report({}, None, version)
    docs, site = work / "docs", work / "site"
    try:
        build_site(validate_repo(root).records, root, audience, site, docs=docs)
    except SiteError as exc:
        return report({}, None, f"mkdocs 的构建就失败了：{exc}")
    config = yaml.safe_load((docs.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_dir"] = "zensical-site"  # inside the configuration's folder, as Zensical requires
    (work / "zensical.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    start = time.monotonic()
    try:
        done = subprocess.run([*command, "build", "-f", str(work / "zensical.yml")], cwd=work, capture_output=True,
                              text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return report({}, None, f"zensical build 未能运行：{exc}")
    output = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    if done.returncode or not (work / "zensical-site").is_dir():
        return report({}, None, f"zensical build 退出码 {done.returncode}：{' / '.join(output[-3:])}")
    lines = report(pages(site), pages(work / "zensical-site"),
                   " / ".join(line for line in output if "Build" not in line)[:300])
    lines[0] += f"（{'zensical ' + version if version else ' '.join(command)}，{time.monotonic() - start:.1f} 秒）"
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="数据仓库（默认本仓库的示例城市）")
    parser.add_argument("--audience", choices=("office", "public"), default="office")
    parser.add_argument("--zensical", default=None, help="运行 Zensical 的命令（默认安装到 build/zensical-venv）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qingqian-canary-") as tmp:
        try:
            lines = canary(args.root, args.audience, args.zensical.split() if args.zensical else None, Path(tmp))
        except Exception as exc:  # a canary tells, it never fails the run
            lines = report({}, None, f"{type(exc).__name__}: {exc}")
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
