import shutil
from pathlib import Path

import pytest

from generator.core import issues
from generator.validate.pipeline import validate_repo

pytest_plugins = ["sitefixtures"]  # session-wide site builds

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


_seen_codes: set[str] = set()


class _SeenCodes(dict):
    """The code table, noting every code a check looks up while the suite runs in this process."""

    def __getitem__(self, code: str) -> issues.Code:
        _seen_codes.add(code)
        return super().__getitem__(code)


issues.CODES = _SeenCodes(issues.CODES)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A whole, green run must have triggered every code of the table: a code no test reaches
    is a rule nobody has seen working. (Runs narrowed with -k, -x or paths are not judged.)"""
    whole = not session.config.option.keyword and not session.config.option.markexpr \
        and session.config.args == session.config.getini("testpaths") and exitstatus == 0
    missing = sorted(set(issues.CODES) - _seen_codes)
    if whole and missing and session.testscollected:
        session.config.get_terminal_writer().line(f"没有测试触发这些代码：{', '.join(missing)}", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test's validation cache lives in its own temporary folder, never in the user's."""
    monkeypatch.setenv("QINGQIAN_CACHE", str(tmp_path_factory.mktemp("qingqian-cache")))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small valid fixture city, to break one file at a time."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    return root


def edit(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relpath}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def found(root: Path) -> set[tuple[str, int, str]]:
    return {(i.path, i.line, i.code) for i in validate_repo(root, jobs=1).issues}
