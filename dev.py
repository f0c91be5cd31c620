#!/usr/bin/env python3
"""Set up and run the project on a fresh machine: `python3 dev.py run` or `python3 dev.py test`.

Creates `.venv` (re-installing when pyproject.toml changes), then runs the main job or the
whole toolchain (ruff, the test suite). Needs only Python 3.11+, git and the package index.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def sh(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


def setup() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not BIN.exists():
        sh(sys.executable, "-m", "venv", VENV)
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.write_text(wanted)


def run() -> None:
    """The main job: build the office site from the example data and serve it with live reload."""
    sh(BIN / "qingqian", "validate")
    sh(BIN / "qingqian", "serve", *sys.argv[2:])


BROWSER = {"chromium": Path("/usr/bin/chromium"), "chromium-driver": Path("/usr/bin/chromedriver")}


def browser() -> None:
    """The browser tests need Debian's chromium and its driver (browsers downloaded by pip or
    npm packages cannot be fetched here); install them with apt-get when missing."""
    missing = [name for name, path in BROWSER.items() if not path.exists()]
    if not missing:
        return
    if not shutil.which("apt-get"):
        sys.exit(f"浏览器测试需要 Debian 软件包 {' '.join(missing)}，但本机没有 apt-get")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        print("+", " ".join(sudo + args), flush=True)
        if subprocess.run(sudo + args, env=env).returncode:
            sys.exit(f"安装 {' '.join(missing)} 失败")


def test() -> None:
    browser()
    sh(BIN / "ruff", "check", "generator", "tests", "tools", "dev.py")
    sh(BIN / "mypy")  # the type hints, as configured in pyproject.toml
    sh(BIN / "lint-imports", "--no-logo")  # the pipeline's layers: no stage imports one above it
    sh(BIN / "python", "-m", "pytest", *sys.argv[2:])


def main() -> None:
    commands = {"setup": lambda: None, "run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"用法：python3 dev.py {{{'|'.join(commands)}}}")
    setup()
    commands[sys.argv[1]]()


if __name__ == "__main__":
    main()
