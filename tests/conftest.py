import shutil
from pathlib import Path

import pytest

from generator.validate.pipeline import validate_repo

pytest_plugins = ["sitefixtures"]  # session-wide site builds

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


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
