"""The annual disclosure of the 《保障中小企业款项支付条例》: every organ (机关, and the
governments: 乡镇政府、县级政府、开发区管委会) and institution (事业单位) publishes each year the
number and the amount of its contracts overdue and still unpaid at the year's end.

Written once for the yearly report, its office download and the public page. The table
holds counts and amounts per unit only: no creditor, no contract number.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..core.model import Unit
from ..core.vocab import GOVERNMENT_TYPES, DisclosureState

DISCLOSING_TYPES = GOVERNMENT_TYPES  # the regulation's 机关、事业单位 publish their arrears yearly
FIRST_YEAR = 2020  # 728号 took effect on 2020-09-01: the first year with a duty to disclose
# (key, heading) of the table, in every output
COLUMNS = [("unit", "单位编号"), ("unit_name", "单位"), ("unit_type", "单位类型"), ("reported", "报送情况"),
           ("contracts", "逾期未支付合同数"), ("remaining", "逾期未支付金额（元）")]


def last_year_end(today: date) -> date:
    """The latest year's end on or before `today`: the year a page can disclose in full."""
    return date(today.year, 12, 31) if (today.month, today.day) == (12, 31) else date(today.year - 1, 12, 31)


def disclosure(frame: pd.DataFrame, units: dict[str, Unit], reported: set[str]) -> list[dict]:
    """One row per disclosing unit in `frame`'s units registry, from a frame taken at the year's
    end (analysis.frame.items_frame with that date): contracts overdue and unpaid then, counted
    once per contract however many debts it has, and the amount unpaid (integer fen). A unit
    not in `reported` (it never submitted a ledger) has no figures (None): 未报送, not zero."""
    unpaid = frame[frame["remaining"] > 0]
    groups = dict(tuple(unpaid.groupby("unit", sort=True)))
    rows = []
    for unit in sorted(units.values(), key=lambda u: u.id):
        if unit.type not in DISCLOSING_TYPES:
            continue
        mine = groups.get(unit.id, unpaid.iloc[0:0])
        known = unit.id in reported
        rows.append({"unit": unit.id, "unit_name": unit.name, "unit_type": unit.type, "reported": known,
                     "contracts": int(mine["contract_number"].nunique()) if known else None,
                     "remaining": int(mine["remaining"].sum()) if known else None})
    return rows


def deadline_of(year: int) -> date:
    """A year's disclosure is due by March 31 of the next year."""
    return date(year + 1, 3, 31)


def disclosure_years(first_as_of: date, today: date) -> list[int]:
    """The full years a site discloses, newest first: from the first year the ledgers cover (and
    the regulation was in force) to the last year ended by `today`."""
    last = last_year_end(today).year
    return list(range(last, max(FIRST_YEAR, first_as_of.year) - 1, -1))


def publication_status(units: dict[str, Unit], year: int, today: date) -> list[dict]:
    """Whether each organ and institution (in scope) disclosed `year` by its March 31: 按时公开,
    逾期公开, 逾期未公开 (the day has passed), 尚未公开 (it has not come yet)."""
    due = deadline_of(year)
    rows = []
    for unit in sorted(units.values(), key=lambda u: u.id):
        if unit.type not in DISCLOSING_TYPES or (unit.halted is not None and unit.halted <= date(year, 12, 31)):
            continue
        published = unit.disclosed.get(year)
        if published is None:
            state = DisclosureState.MISSING if today > due else DisclosureState.PENDING
        else:
            state = DisclosureState.ON_TIME if published <= due else DisclosureState.LATE
        rows.append({"unit": unit.id, "unit_name": unit.name, "unit_type": unit.type, "published": published,
                     "state": state})
    return rows
