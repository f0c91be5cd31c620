"""Trust, round 3 (issue 23): the tool never runs code from the data repository it reads, and a
version name that mike cannot take or that lands on a file of the pages branch is refused in
Chinese — through the real command line, on real git repositories."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.main import main
from helpers import REPO, git, publish

MARK = "import pathlib; pathlib.Path({path!r}).write_text('ran')\n"


@pytest.fixture
def repo(mini: Path) -> Path:
    git(mini, "init", "-q", "-b", "main")
    git(mini, "add", "-A")
    git(mini, "-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-qm", "base")
    git(mini, "config", "user.name", "publisher")
    git(mini, "config", "user.email", "publisher@example.cn")
    return mini


def _plant(folder: Path, module: str, marker: Path) -> None:
    """A package of the data repository that leaves `marker` if it is ever imported."""
    package = folder.joinpath(*module.split("."))
    package.mkdir(parents=True)
    for level in range(len(module.split("."))):
        init = folder.joinpath(*module.split(".")[: level + 1], "__init__.py")
        init.write_text(MARK.format(path=str(marker)), encoding="utf-8")


# -- 7. code from the data repository --------------------------------------------------------

def test_python_m_never_imports_a_library_from_the_data_repository(repo, tmp_path):
    marker = tmp_path / "ran.txt"
    _plant(repo, "yaml", marker)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    done = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", "."], cwd=repo,
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()


def test_publish_never_runs_the_repositorys_own_generator(repo, tmp_path):
    marker = tmp_path / "ran.txt"
    _plant(repo, "generator.publish", marker)
    (repo / "generator/publish/pages_branch.py").write_text(MARK.format(path=str(marker)), encoding="utf-8")
    done = publish(repo, "--version", "2022-10")
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert "2022-10" in git(repo, "ls-tree", "--name-only", "gh-pages")


def test_workers_started_fresh_do_not_look_in_the_working_directory(monkeypatch):
    monkeypatch.delenv("PYTHONSAFEPATH", raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert os.environ["PYTHONSAFEPATH"] == "1"
    done = subprocess.run([sys.executable, "-c", "import sys; print(repr(sys.path[0]))"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.stdout.strip() != "''"


# -- 8. version names ----------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["--version", "versions.json"],
    ["--version", "index.html"],
    ["--version", "2022-10", "--alias", "versions.json"],
    ["--version", "2022-10", "--alias", "2022-10"],
])
def test_a_version_named_like_a_file_of_the_branch_is_refused(repo, args):
    done = publish(repo, *args)
    assert done.returncode == 1 and "不能" in done.stderr and "Traceback" not in done.stderr
    assert "gh-pages" not in git(repo, "branch", "--list")


def test_an_alias_that_is_a_version_and_a_version_that_is_an_alias(repo):
    assert publish(repo, "--version", "2022-10", "--alias", "latest").returncode == 0
    before = git(repo, "rev-parse", "gh-pages")
    for args in (["--version", "2022-11", "--alias", "2022-10"], ["--version", "latest"]):
        done = publish(repo, *args)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "已是" in done.stderr
    assert git(repo, "rev-parse", "gh-pages") == before
