"""The site's model: aggregates reconcile to the fen, pages get what they should and no more."""

from datetime import date
from fractions import Fraction

import pandas as pd
import pytest

from generator.analysis import stats, supervision
from generator.analysis.frame import items_frame
from generator.core.config import Campaign, Supervision
from generator.site.page_data import Downloads, FileInfo, SiteData
from generator.site.pages import office_pages, public_pages, site_date
from generator.validate.pipeline import validate_repo
from helpers import AS_OF, FIXTURES, REPO

NO_FILES = Downloads([], [], {}, FileInfo.of("downloads/SHA256SUMS", "SHA256SUMS", b""))


@pytest.fixture(scope="module")
def example():
    records = validate_repo(REPO).records
    frame = items_frame(records, Campaign())
    return SiteData(records, Campaign(), frame, site_date(records, None))


def test_breakdowns_add_up_to_the_totals(example):
    total = stats.totals(example.frame)
    assert total.amount == total.repaid + total.remaining
    for column in ("region_code", "category", "unit_type", "deadline_class"):
        parts = [r["totals"] for r in stats.breakdown(example.frame, column)]
        assert sum(p.count for p in parts) == total.count
        assert sum(p.amount for p in parts) == total.amount
        assert sum(p.remaining for p in parts) == total.remaining


def test_breakdown_in_a_given_order_shows_empty_keys():
    frame = items_frame(validate_repo(FIXTURES / "mini").records, Campaign(), AS_OF)
    rows = stats.breakdown(frame, "category", ["货物", "工程", "服务", "分红"])
    assert [r["key"] for r in rows] == ["货物", "工程", "服务", "分红"]
    assert rows[3]["totals"].count == 0 and rows[3]["totals"].rate is None


def test_countdown_to_each_campaign_deadline(example):
    rows = stats.deadline_countdown(example.frame, Campaign(), date(2022, 11, 15))
    assert [(r["deadline"], r["days_left"]) for r in rows] == [(date(2022, 11, 30), 15), (date(2022, 12, 31), 46)]
    assert sum(r["totals"].count for r in rows) == int((example.frame["deadline_class"] != "有分歧").sum())


def test_supervision_lists(example):
    summary = stats.unit_summary(example.frame)
    restricted = stats.owing_ranking(summary)
    flagged, regions = supervision.talks(example.frame, Supervision())
    owing = example.frame[example.frame["remaining"] > 0]
    assert {r["unit"] for r in restricted} == set(owing["unit"])
    assert [r["rank"] for r in restricted] == list(range(1, len(restricted) + 1))
    assert [r["remaining"] for r in restricted] == sorted((r["remaining"] for r in restricted), reverse=True)
    # slow payers, not every debtor: the bottom fifth by clearance rate, missed deadlines, slipped plans
    rates = sorted((Fraction(int(r["repaid"]), int(r["amount"])), r["unit"]) for r in restricted)
    bottom = {unit for _rate, unit in rates[: -(-len(rates) // 5)]}
    expected = bottom | {r["unit"] for r in restricted if r["missed"] or r["slipped_running"] >= 2}
    assert {r["unit"] for r in flagged} == expected and len(expected) < len(restricted)
    assert [r["rate"] for r in flagged] == sorted(r["rate"] for r in flagged)
    assert all(r["reasons"] for r in flagged + regions) and regions


def test_owing_units_rank_by_remaining_then_the_lower_rate_then_the_id():
    # the site's restriction list and the reports' ranking share this order (issue 14)
    summary = pd.DataFrame([
        {"unit": "a", "amount": 300_00, "repaid": 200_00, "remaining": 100_00},  # 2/3 repaid
        {"unit": "b", "amount": 200_00, "repaid": 100_00, "remaining": 100_00},  # 1/2 repaid
        {"unit": "c", "amount": 200_00, "repaid": 100_00, "remaining": 100_00},  # 1/2, id after b
        {"unit": "d", "amount": 900_00, "repaid": 0, "remaining": 900_00},
        {"unit": "e", "amount": 500_00, "repaid": 500_00, "remaining": 0},  # paid: not ranked
    ])
    ranked = stats.owing_ranking(summary)
    assert [(r["rank"], r["unit"]) for r in ranked] == [(1, "d"), (2, "b"), (3, "c"), (4, "a")]
    assert ranked[3]["rate"] == Fraction(2, 3)


def test_every_unit_gets_a_page_and_every_region_an_index(example):
    pages = {p.path: p for p in office_pages(example, NO_FILES)}
    assert {f"units/{uid}.md" for uid in example.records.units} <= set(pages)
    regions = {u.region_code for u in example.records.units.values()}
    assert {f"ledgers/{code}.md" for code in regions} <= set(pages)
    assert pages["units/lx-jyj.md"].root == "../"
    debts = sum(len(p.context.items) for path, p in pages.items() if path.startswith("units/"))
    # nothing lost: every debt is on its unit's page, a halted unit's too (kept out of the frame)
    assert debts == sum(len(led.items) for led in example.records.ledgers) > len(example.frame)


def test_public_pages_see_only_published_cases_and_aggregates(example):
    pages = public_pages(example)
    cases = next(p for p in pages if p.path == "cases.md").context.cases
    assert cases and {e["case"].state for e in cases} == {"已公开"}
    home = next(p for p in pages if p.path == "index.md").context.variables()
    assert set(home) == {"today", "totals", "by_region", "by_category", "by_class", "countdown", "charts",
                         "campaign"}


def test_a_groups_rows_found_by_unit_are_the_masks(example):
    """consolidation.ByUnit finds each group's rows from positions made once (a mask over every
    row per group was quadratic at province scale): the same rows, order, index and types."""
    from generator.analysis.consolidation import ByUnit, groups

    records = example.records
    frame = items_frame(records, Campaign(), AS_OF)
    shuffled = frame.sample(frac=1, random_state=7)  # positions that are not the index labels
    for table in (frame, shuffled, stats.overdue(frame)):
        by_unit = ByUnit(table)
        sets = [group.members for group in groups(records.units)]
        sets += [(), ("no-such-unit",), tuple(reversed(sorted(set(table["unit"]))))]
        assert len(sets) > 3
        for members in sets:
            pd.testing.assert_frame_equal(by_unit.rows(members), table[table["unit"].isin(members)])


def test_every_group_has_its_own_page_even_a_head_of_two(example):
    """A 汇总单位 that also heads an SOE group is two groups: each gets a page (one path for both
    kept only the first in a build, and serve rewrote the page from both, back and forth)."""
    from generator.analysis.consolidation import groups
    from generator.site.group_pages import group_pages

    found = groups(example.records.units)
    heads = [group.head.id for group in found]
    assert len(set(heads)) < len(heads)  # the example city has such a unit
    pages = group_pages(example)
    paths = [page.path for page in pages]
    assert len(set(paths)) == len(paths) == len(found) + 1
    listed = next(page for page in pages if page.path == "groups/index.md").context.groups
    assert sorted(f"groups/{g.page}.md" for g in listed) == sorted(paths[:-1])
    assert [(g.head.id, g.kind) for g in listed] == [(group.head.id, group.kind) for group in found]
