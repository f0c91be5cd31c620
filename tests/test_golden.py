"""Golden test: the Markdown rendered for the mini fixture city, page by page.

After an intended change to a template or a page, refresh the committed pages with

    QINGQIAN_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and review the diff under tests/golden/. Checksums and file sizes of the downloads are
replaced by placeholders, so a change in the export format alone does not touch the pages.
The fixture city is a folder, not a Git repository: its history pages (progress.md,
changes.md, reports/index.md) say 无历史记录 and its unit pages have no timeline; the history
pages themselves are tested on a real repository in test_history_site.py.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from generator.core.gitrepo import Repo
from generator.site.build import assemble
from generator.validate.pipeline import validate_repo
from helpers import AS_OF, FIXTURES

GOLDEN = Path(__file__).parent / "golden" / "mini"
REGEN = os.environ.get("QINGQIAN_REGEN_GOLDEN") == "1"


def normalise(text: str) -> str:
    text = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)
    return re.sub(r"\d+ 字节", "<size> 字节", text)


def rendered(audience: str, docs: Path) -> dict[str, str]:
    records = validate_repo(FIXTURES / "mini").records
    assemble(records, Repo(FIXTURES / "mini"), audience, docs, AS_OF)
    return {p.relative_to(docs).as_posix(): normalise(p.read_text(encoding="utf-8"))
            for p in sorted(docs.rglob("*.md")) if not p.relative_to(docs).as_posix().startswith("guide/")}


@pytest.mark.parametrize("audience", ["office", "public"])
def test_rendered_markdown_matches_the_golden_pages(audience, tmp_path):
    pages = rendered(audience, tmp_path / "docs")
    golden = GOLDEN / audience
    if REGEN:
        shutil.rmtree(golden, ignore_errors=True)
        for rel, text in pages.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(golden).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(golden.rglob("*.md"))}
    assert sorted(pages) == sorted(expected), "pages added or removed: regenerate (see the docstring)"
    for rel, text in pages.items():
        assert text == expected[rel], f"{rel} differs from tests/golden/mini/{audience}/{rel}"
