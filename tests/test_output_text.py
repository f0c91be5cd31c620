"""What `validate` prints cannot be steered by data: no forged CI annotations, no terminal
escapes, no markup in the job summary, no traceback on file names that are not UTF-8."""

import os
import subprocess
import sys

import pytest

from generator.core.issues import Issue, render, summary_table
from generator.validate import codeowners
from generator.validate.pipeline import validate_repo
from helpers import edit, git

FORGED = "::error file=units/sl.yaml,line=1::伪造的错误"


def qingqian(*args, cwd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, capture_output=True,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def repo(mini):
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.cn",
                                                             "commit", "-qm", "base"]):
        git(mini, *args)
    return mini


def test_text_output_cannot_forge_annotations_or_escape_the_terminal():
    issues = [Issue(FORGED, 1, 1, "E606", "x\n" + FORGED), Issue("ledgers/\x1b[2Ja.yaml", 1, 1, "E110", "\x9b31m红")]
    for fmt in ("text", "github"):
        lines = render(issues, fmt).splitlines()
        assert len(lines) == 2
        assert not any(line.startswith("::error file=units") for line in lines)
        assert not any(c in line for line in lines for c in "\x1b\x9b")


def test_the_summary_keeps_markup_as_text():
    table = summary_table([Issue("ledgers/a`|<b>.yaml", 1, 1, "E606", "<img src=x onerror=alert(1)> [点我](http://x)")])
    assert "<img" not in table and "<b>" not in table and "](http" not in table
    assert table.count("\n| ") == 2  # the header row and one data row: no cell broke out


def test_file_names_that_are_not_utf8_are_reported(repo):
    name = os.fsencode(repo / "ledgers/arrears") + b"/\xff\xfe.yaml"
    with open(name, "wb") as handle:
        handle.write((repo / "ledgers/arrears/sl-jtj.yaml").read_bytes())
    (repo / "::error::伪造的错误").write_text("x\n", encoding="utf-8")  # a code path: E606 names it
    for args in (["validate"], ["validate", "--base", "HEAD", "--actor", "jtj-bot"]):
        result = qingqian(*args, cwd=repo)
        out = result.stdout.decode("utf-8")
        assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr.decode()
        assert "ledgers/arrears/\\xff\\xfe.yaml:1:1: E110" in out
        assert not any(line.startswith("::") for line in out.splitlines())


def test_codeowners_fixes_its_own_staleness(repo):
    (repo / ".github").mkdir()
    (repo / codeowners.PATH).write_text(codeowners.render(validate_repo(repo, jobs=1).records), encoding="utf-8")
    edit(repo, "units/sl-jtj.yaml", "maintainers: [jtj-bot, lisi]", "maintainers: [jtj-bot]")
    assert {i.code for i in validate_repo(repo, jobs=1).errors} == {"E609"}
    result = qingqian("codeowners", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    assert validate_repo(repo, jobs=1).valid
