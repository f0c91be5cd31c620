"""dev.py on the machines offices have: an old Python is refused in Chinese before anything
runs, and `setup` installs from a wheelhouse with the package index out of reach."""

import ast
import ensurepip
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from handmade_wheel import wheel_file

from helpers import REPO

DEV = REPO / "dev.py"
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing answers there


def test_dev_py_parses_as_python_3_6():
    source = DEV.read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 6))
    assert "from __future__ import annotations" not in source  # a compile error before 3.7


def test_an_old_python_is_named_in_chinese(monkeypatch, capsys):
    monkeypatch.setattr(sys, "version_info", (3, 8, 18, "final", 0))
    monkeypatch.setattr(sys, "argv", [str(DEV), "setup"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_path(str(DEV), run_name="__main__")
    assert "Python 3.8.18" in str(exited.value) and "需要 Python 3.11" in str(exited.value)


def old_pythons() -> list[tuple[list[str], dict]]:
    """Interpreters older than 3.11 on this machine, on PATH or through pyenv."""
    found = []
    for minor in range(6, 11):
        name = f"python3.{minor}"
        if shutil.which(name) and subprocess.run([name, "-c", ""], capture_output=True).returncode == 0:
            found.append(([name], {}))
    if not found and shutil.which("pyenv"):
        bare = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True).stdout.split()
        for version in bare:
            parts = version.split(".")
            if len(parts) == 3 and parts[0] == "3" and parts[1].isdigit() and 6 <= int(parts[1]) <= 10:
                found.append(([f"python3.{parts[1]}"], {"PYENV_VERSION": version}))
    return found


def test_real_old_interpreters_get_the_message():
    pythons = old_pythons()
    if not pythons:
        pytest.skip("no Python 3.6-3.10 on this machine")
    for command, env in pythons:
        result = subprocess.run([*command, DEV, "setup"], capture_output=True, text=True,
                                env={**os.environ, **env})
        assert result.returncode == 1, (command, result.stderr)
        assert "需要 Python 3.11" in result.stderr and "Traceback" not in result.stderr, result.stderr


# An in-tree PEP 517/660 backend for the stand-in project: building it needs nothing from an index.
BACKEND = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from handmade_wheel import wheel_file
from pathlib import Path
import os

REQUIRES = ("tinydep==1.0", 'tinytest==1.0; extra == "test"')


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return wheel_file(Path(wheel_directory), "proj", {{"proj/__init__.py": "NAME = 'proj'\\n"}}, REQUIRES).name


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return wheel_file(Path(wheel_directory), "proj", {{"proj.pth": os.getcwd() + "\\n"}}, REQUIRES).name
"""

PYPROJECT = """[build-system]
requires = []
build-backend = "backend"
backend-path = ["_build"]

[project]
name = "proj"
version = "1.0"
requires-python = ">=3.11"
dependencies = ["tinydep==1.0"]

[project.optional-dependencies]
test = ["tinytest==1.0"]
"""


@pytest.fixture
def offline_env(tmp_path):
    """pip with the index and any proxy unreachable and no user configuration."""
    return {**os.environ, "PIP_INDEX_URL": f"{UNREACHABLE}/simple", "HTTP_PROXY": UNREACHABLE,
            "HTTPS_PROXY": UNREACHABLE, "PIP_CONFIG_FILE": os.devnull, "PIP_RETRIES": "0", "PIP_TIMEOUT": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_CACHE_DIR": str(tmp_path / "pip-cache")}


def test_setup_installs_from_the_wheelhouse_with_no_index(tmp_path, offline_env):
    # A stand-in for the index a connected machine downloads from: two tiny packages, and pip
    # as Python ships it.
    mirror = tmp_path / "mirror"
    wheel_file(mirror, "tinydep", {"tinydep/__init__.py": "NAME = 'tinydep'\n"})
    wheel_file(mirror, "tinytest", {"tinytest/__init__.py": "NAME = 'tinytest'\n"})
    for wheel in (Path(ensurepip.__file__).parent / "_bundled").glob("pip-*.whl"):
        shutil.copy(wheel, mirror)
    project = tmp_path / "project"
    (project / "_build").mkdir(parents=True)
    (project / "_build/backend.py").write_text(BACKEND, encoding="utf-8")
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (project / "proj").mkdir()
    (project / "proj/__init__.py").write_text("NAME = 'proj'\n", encoding="utf-8")
    shutil.copy(DEV, project / "dev.py")

    # `wheelhouse` takes pip download options: here the stand-in instead of the index.
    subprocess.run([sys.executable, "dev.py", "wheelhouse", "--no-index", "--find-links", mirror],
                   cwd=project, check=True, env=offline_env)
    assert {wheel.name.split("-")[0] for wheel in (project / "wheels").iterdir()} == {"tinydep", "tinytest", "pip"}

    result = subprocess.run([sys.executable, "dev.py", "setup"], cwd=project, env=offline_env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "不连接软件包仓库" in result.stdout and "已安装" in result.stdout
    assert not result.stderr.strip() and "WARNING" not in result.stdout, result.stdout + result.stderr  # quiet
    venv_python = project / ".venv" / "bin" / "python"
    imported = subprocess.run([venv_python, "-c", "import proj, tinydep, tinytest; print(tinydep.NAME)"],
                              capture_output=True, text=True)
    assert imported.stdout.strip() == "tinydep", imported.stderr

    # The same install without the wheelhouse goes to the (unreachable) index and fails.
    shutil.rmtree(project / "wheels")
    shutil.rmtree(project / ".venv")
    failed = subprocess.run([sys.executable, "dev.py", "setup"], cwd=project, env=offline_env,
                            capture_output=True, text=True)
    assert failed.returncode != 0 and "--no-index" not in failed.stdout
