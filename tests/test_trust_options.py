"""Trust, round 3 (issue 23), through the real command line on a real git repository: a named
path that checks nothing, outputs that would destroy, and options smuggled in as refs."""

import subprocess
import sys

import pytest

from generator.cli.main import main
from generator.core.gitrepo import GitError
from generator.history.state import History
from helpers import REPO, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"


def run(*args) -> int:
    try:
        return main([str(a) for a in args])
    except SystemExit as exc:  # argparse's usage errors
        return int(exc.code or 0)


# -- 3. paths that check nothing ------------------------------------------------------------

@pytest.mark.parametrize("path", ["ledgers/arrears/sl-jtjj.yaml", "qingqian.yaml", "docs", "units/none"])
def test_a_path_that_is_not_checked_is_a_usage_error(repo, capsys, path):
    (repo / "qingqian.yaml").write_text("{}\n", encoding="utf-8")
    (repo / "docs").mkdir()
    (repo / "docs/a.md").write_text("x\n", encoding="utf-8")
    (repo / "units/none").mkdir()
    assert run("validate", "--root", repo, repo / path) == 2
    err = capsys.readouterr().err
    assert "没有" in err and "Traceback" not in err


def test_a_folder_means_every_data_file_in_it(repo, capsys):
    (repo / LEDGER).write_text((repo / LEDGER).read_text(encoding="utf-8").replace("amount: 380000.00",
                                                                                    "amount: 38万"), encoding="utf-8")
    assert run("validate", "--root", repo, repo / "ledgers") == 1
    assert f"{LEDGER}:" in capsys.readouterr().out
    assert run("validate", "--root", repo, repo / "units") == 0  # the units alone are fine
    assert "检查了" in capsys.readouterr().err


def test_the_cli_in_a_subprocess_exits_2_in_chinese(repo):
    done = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(repo), "ledgers/typo.yaml"],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "不存在，没有检查" in done.stderr and "Traceback" not in done.stderr


# -- 4. outputs that destroy ----------------------------------------------------------------

def test_validate_and_docs_out_never_overwrite_data_or_tracked_files(repo, capsys):
    tracked = repo / "notes.txt"
    tracked.write_text("keep\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    saved = {p: p.read_bytes() for p in (tracked, repo / LEDGER, repo / ".git/config")}
    for out in (tracked, repo / LEDGER, repo / ".git/config", repo / "units/x.json"):
        assert run("validate", "--root", repo, "--format", "json", "--out", out) == 2
        assert run("docs", "--root", repo, "--out", out) == 2
    assert {p: p.read_bytes() for p in saved} == saved and not (repo / "units/x.json").exists()
    assert "Traceback" not in capsys.readouterr().err


def test_a_folder_as_out_is_a_clear_error(repo, capsys, tmp_path):
    for args in (["validate", "--format", "json"], ["export", "--format", "csv"], ["docs"],
                 ["template", "--unit", "sl-jtj"], ["report", "--period", "day", "--date", "2022-10-31"]):
        assert run(*args, "--root", repo, "--out", tmp_path) == 2
        assert "是一个目录" in capsys.readouterr().err


def test_an_out_inside_a_file_is_a_clear_error(repo, capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("keep\n", encoding="utf-8")
    for args in (["validate", "--format", "json"], ["export", "--format", "csv"], ["docs"]):
        assert run(*args, "--root", repo, "--out", blocker / "x" / "out.txt") == 2
        err = capsys.readouterr().err
        assert "是一个文件" in err and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "keep\n"


def test_docs_may_regenerate_its_own_tracked_page(repo, tmp_path):
    page = repo / "reference.md"
    assert run("docs", "--root", repo, "--out", page) == 0
    git(repo, "add", "reference.md")
    assert run("docs", "--root", repo, "--out", page) == 0


# -- 5. option injection --------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["report", "--period", "day", "--date", "2022-10-31", "--ref=--output={out}"],
    ["archive", "--ref=--output={out}"],
    ["validate", "--base=--output={out}"],
    ["landing", "--before=--output={out}", "--after", "HEAD"],
    ["publish", "--version", "2022-10", "--branch=--output={out}"],
])
def test_refs_that_are_options_never_reach_git(repo, tmp_path, capsys, args):
    out = tmp_path / "written.txt"
    assert run(*[a.format(out=out) for a in args], "--root", repo) == 2
    assert not out.exists()
    assert "不能以 - 开头" in capsys.readouterr().err


def test_the_git_calls_end_their_options_too(repo, tmp_path):
    out = tmp_path / "written.txt"
    with pytest.raises(GitError):
        History.read(repo, f"--output={out}")
    assert not out.exists()
