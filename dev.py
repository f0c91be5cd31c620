#!/usr/bin/env python3
"""Set up and run the project on a fresh machine: `python3 dev.py run` or `python3 dev.py test`.

Creates `.venv` (re-installing when pyproject.toml changes), then runs the main job or the
whole toolchain (ruff, the test suite). Needs only Python 3.11+, git and the package index.
"""

from __future__ import annotations

import hashlib
import os
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
    """The main job: check the example data and write the full export."""
    out = ROOT / "build" / "export"
    sh(BIN / "qingqian", "validate")
    for fmt in ("csv", "xlsx", "json"):
        sh(BIN / "qingqian", "export", "--format", fmt, "--out", out / f"台账.{fmt}")


def test() -> None:
    sh(BIN / "ruff", "check", "generator", "tests", "tools", "dev.py")
    sh(BIN / "python", "-m", "pytest", *sys.argv[2:])


def main() -> None:
    commands = {"setup": lambda: None, "run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"用法：python3 dev.py {{{'|'.join(commands)}}}")
    setup()
    commands[sys.argv[1]]()


if __name__ == "__main__":
    main()
