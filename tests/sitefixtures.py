"""Site builds shared by the site, golden and browser tests, each made once per session.

Registered in conftest.py (`pytest_plugins`); the mini fixture city is built for both
audiences, the example city once for the office (the browser tests look at it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import FIXTURES, REPO, build


@pytest.fixture(scope="session")
def mini_office(tmp_path_factory) -> Path:
    return build(FIXTURES / "mini", "office", tmp_path_factory.mktemp("mini") / "office")


@pytest.fixture(scope="session")
def mini_public(tmp_path_factory) -> Path:
    return build(FIXTURES / "mini", "public", tmp_path_factory.mktemp("mini") / "public")


@pytest.fixture(scope="session")
def example_office(tmp_path_factory) -> Path:
    """The example city's office site, as `qingqian build` makes it (no --as-of)."""
    return build(REPO, "office", tmp_path_factory.mktemp("example") / "office", as_of=None)
