#!/usr/bin/env python3
"""Set up and run the project on a fresh machine: `python3 dev.py run` or `python3 dev.py test`.

Creates `.venv` (re-installing when pyproject.toml changes), then runs the main job or the
whole toolchain (ruff, the test suite). Needs only Python 3.11+, git and the package index,
or instead of the index a wheelhouse: `python3 dev.py wheelhouse` on a connected machine
downloads every pinned wheel into `wheels/`; with that folder present, `setup` installs from it
alone (`pip --no-index --find-links wheels/`), as on an intranet without a package mirror.

This file must still parse on the Python 3.6-3.8 that 信创 machines ship, so that it can say in
Chinese which version it found instead of failing with a syntax error: no `from __future__
import annotations`, nothing newer than 3.6 syntax before the version check.
"""

import sys

NEEDED = (3, 11)
if sys.version_info[:2] < NEEDED:
    sys.exit("清欠台账需要 Python {}.{} 或更高版本（mkdocs-material 9.8 等依赖要求），"
             "而运行本脚本的是 Python {}（{}）。请安装 Python 3.11 后用它运行，例如：python3.11 dev.py setup"
             .format(NEEDED[0], NEEDED[1], ".".join(str(n) for n in sys.version_info[:3]), sys.executable))

import hashlib  # noqa: E402  (after the version check on purpose)
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tomllib  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
WHEELS = ROOT / "wheels"


def sh(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


def offline() -> list[str]:
    """pip options that read packages from the wheelhouse only, when there is one."""
    return ["--no-index", "--find-links", str(WHEELS)] if WHEELS.is_dir() else []


def setup() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not BIN.exists():
        sh(sys.executable, "-m", "venv", VENV)
    if WHEELS.is_dir():
        print(f"从 {WHEELS.name}/ 安装，不连接软件包仓库", flush=True)
    quiet(BIN / "python", "-m", "pip", "install", "--quiet", *offline(), "--upgrade", "pip")
    quiet(BIN / "python", "-m", "pip", "install", "--quiet", *offline(), "-e", ".[test]")
    listed = subprocess.run([str(BIN / "python"), "-m", "pip", "list", "--format=freeze",
                             "--disable-pip-version-check"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    print(f"已安装 {len(listed)} 个软件包到 {VENV.name}/（含本项目，可编辑模式）", flush=True)
    STAMP.write_text(wanted)


def quiet(*args) -> None:
    """Run a packaging step without its English chatter; on failure show all it said, and stop."""
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_WARN_SCRIPT_LOCATION="1")
    result = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode:
        print("+", " ".join(str(a) for a in args), flush=True)
        print(result.stdout + result.stderr, file=sys.stderr, flush=True)
        sys.exit("安装失败（上面是软件包工具的原始输出）")


def requirements() -> list[str]:
    """Every requirement pyproject.toml pins (with the test extras), its build backend, and pip."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    needed = list(project["project"]["dependencies"])
    for extra in project["project"].get("optional-dependencies", {}).values():
        needed += extra
    return [*needed, *project["build-system"]["requires"], "pip"]


def wheelhouse() -> None:
    """On a connected machine of the same platform and Python: download every wheel `setup`
    needs into wheels/. Extra arguments go to `pip download`, e.g. for another platform
    `--platform manylinux2014_aarch64 --python-version 3.11 --only-binary=:all:`."""
    WHEELS.mkdir(exist_ok=True)
    sh(sys.executable, "-m", "pip", "download", "--quiet", "--dest", WHEELS, *sys.argv[2:], *requirements())
    print(f"已下载 {len(list(WHEELS.iterdir()))} 个软件包到 {WHEELS.name}/；把整个文件夹复制到内网机器的仓库目录，"
          "再运行 python3 dev.py setup", flush=True)


DEMO = ROOT / "build" / "demo"


def root_arg(args: list[str]) -> str | None:
    for n, arg in enumerate(args):
        if arg == "--root" and n + 1 < len(args):
            return args[n + 1]
        if arg.startswith("--root="):
            return arg.split("=", 1)[1]
    return None


def run() -> None:
    """The main job: the example city with its 2022 campaign history (a Git repository under
    build/, made once by tools/synth_history.py), its office site served with live reload. With
    `--root DIR`, any data repository instead."""
    args = sys.argv[2:]
    root = root_arg(args)
    if root is None:
        sh(BIN / "python", ROOT / "tools" / "synth_history.py", "--out", DEMO)
        root = str(DEMO.relative_to(ROOT))
        args = ["--root", root, *args]
    # Every error in full, the warnings in one line: their list is one command away.
    checked = subprocess.run([BIN / "qingqian", "validate", "--root", root], cwd=ROOT, capture_output=True,
                             text=True)
    if checked.returncode:
        sys.stdout.write(checked.stdout)
    # the summary is the counts, then the warnings by code: both, or the count of errors is lost
    summary = checked.stderr.strip()
    print(f"{summary}\n（明细：.venv/bin/qingqian validate --root {root}）", flush=True)
    sh(BIN / "qingqian", "serve", *args)


ROLLUP = ROOT / "build" / "rollup-demo"


def rollup() -> None:
    """The example city as a roll-up (DESIGN §3d): its four counties' repositories and their monthly
    bundles, committed month by month into the city's own repository (tools/synth_rollup.py prints
    the city's roll-up), then the city's office site served, with a page per member county and the
    members in every 月调度 and 季通报."""
    sh(BIN / "python", ROOT / "tools" / "synth_rollup.py", "--out", ROLLUP)
    sh(BIN / "qingqian", "serve", "--root", ROLLUP / "city", "--as-of", "2022-11-15", *sys.argv[2:])


# Debian package -> a file it installs. The CJK font makes the browser tests render Chinese
# as a clerk sees it (without one, every character is a box and the tests still pass).
BROWSER = {"chromium": Path("/usr/bin/chromium"), "chromium-driver": Path("/usr/bin/chromedriver"),
           "fonts-noto-cjk": Path("/usr/share/fonts/opentype/noto")}


def browser() -> None:
    """The browser tests need Debian's chromium, its driver and a Chinese font (browsers
    downloaded by pip or npm packages cannot be fetched here); install them quietly with
    apt-get when missing, without the recommended extras (hundreds of MB)."""
    missing = [name for name, path in BROWSER.items() if not path.exists()]
    if not missing:
        return
    if not shutil.which("apt-get"):
        sys.exit(f"浏览器测试需要 Debian 软件包 {' '.join(missing)}，但本机没有 apt-get")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"安装浏览器测试所需的软件包：{' '.join(missing)}", flush=True)
    for args in (["apt-get", "update", "-qq"],
                 ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        done = subprocess.run(sudo + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            sys.stderr.write(done.stderr)
            sys.exit(f"安装 {' '.join(missing)} 失败（{' '.join(sudo + args)}）")


def test() -> None:
    browser()
    sh(BIN / "ruff", "check", "generator", "tests", "tools", "dev.py")
    sh(BIN / "mypy")  # the type hints, as configured in pyproject.toml
    sh(BIN / "lint-imports", "--no-logo")  # the pipeline's layers: no stage imports one above it
    sh(BIN / "python", "-m", "pytest", *sys.argv[2:])
    if not sys.argv[2:]:  # the whole suite passed: Zensical's build of the same site, never failing the run
        subprocess.run([str(BIN / "python"), str(ROOT / "tools" / "zensical_canary.py")], cwd=ROOT)


def main() -> None:
    commands = {"setup": lambda: None, "run": run, "rollup": rollup, "test": test, "wheelhouse": wheelhouse}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"用法：python3 dev.py {{{'|'.join(commands)}}}")
    if sys.argv[1] == "wheelhouse":
        wheelhouse()
        return
    setup()
    commands[sys.argv[1]]()


if __name__ == "__main__":
    main()
