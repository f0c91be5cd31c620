"""The reference page is generated from the schema and the code table, and cannot drift."""

import re

from generator.core.issues import CODES
from generator.core.schema import KINDS, walk_fields
from generator.rollup import CODES as ROLLUP_CODES
from generator.rollup.aggregate import KIND_CODES
from generator.site.reference_page import reference_page
from helpers import REPO


def test_committed_reference_is_current():
    # Refresh with: qingqian docs --out docs/reference.md
    assert (REPO / "docs/reference.md").read_text(encoding="utf-8") == reference_page()


def test_every_field_is_documented_with_its_meaning():
    page = reference_page()
    for _folder, schema, _title in KINDS.values():
        for name, rules in walk_fields(schema):
            assert f'| <code class="qq-field">{name}</code> |' in page
            assert rules["meta"]["doc"], name
    assert "[a-z" not in page and "]*" not in page  # examples, not regular expressions


def test_every_code_used_in_the_code_is_in_the_table_and_the_page():
    used = set()
    for source in (REPO / "generator").rglob("*.py"):
        used |= set(re.findall(r'"([EW][0-9]{3})[|"]', source.read_text(encoding="utf-8")))
    assert used, "no codes found: the pattern is stale"
    assert used <= set(CODES) | set(ROLLUP_CODES), sorted(used - set(CODES) - set(ROLLUP_CODES))
    page = reference_page()
    for code, entry in (CODES | ROLLUP_CODES).items():
        assert f"| {code} |" in page
        assert entry.title and entry.fix and entry.example


def test_the_roll_up_codes_are_its_own_and_every_one_is_used():
    """E8xx a member's bundle refused, W8xx a problem listed: none shared with validation's table,
    and none documented that nothing gives."""
    assert not set(CODES) & set(ROLLUP_CODES)
    assert all(re.fullmatch(r"[EW]8[0-9]{2}", code) for code in ROLLUP_CODES)
    assert set(KIND_CODES.values()) == {code for code in ROLLUP_CODES if code.startswith("W")}
    sources = "".join(path.read_text(encoding="utf-8") for path in (REPO / "generator/rollup").glob("*.py")
                      if path.name != "__init__.py")
    refused = set(re.findall(r'RollupError\(\s*"(E8[0-9]{2})"', sources))
    assert refused == {code for code in ROLLUP_CODES if code.startswith("E")}
    page = reference_page()
    assert page.index("## 逐级汇总的代码") < page.index("| E801 |")
