"""Aggregates the site shows, computed with pandas on the items frame (money in integer fen).

Every function returns plain lists and dicts in a fixed order, so the pages rendered from
them are deterministic; rates are exact fractions turned into percent text only when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from operator import itemgetter
from typing import Any, cast

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype

from ..core.config import Campaign


@dataclass(frozen=True)
class Totals:
    count: int
    amount: int
    repaid: int
    remaining: int
    settled: int  # debts fully paid

    @property
    def rate(self) -> Fraction | None:
        return rate(self.repaid, self.amount)


def totals(frame: pd.DataFrame) -> Totals:
    return Totals(len(frame), int(frame["amount"].sum()), int(frame["repaid"].sum()),
                  int(frame["remaining"].sum()), int((frame["remaining"] == 0).sum()))


def row_totals(rows: list[dict[str, Any]]) -> Totals:
    """`totals` of the frame's rows as dicts (records), summed here: a frame per unit or per
    creditor would cost a province more than its sums."""
    remaining = list(map(itemgetter("remaining"), rows))
    return Totals(len(rows), sum(map(itemgetter("amount"), rows)), sum(map(itemgetter("repaid"), rows)),
                  sum(remaining), remaining.count(0))


def breakdown(frame: pd.DataFrame, column: str, order: list[str] | None = None,
              labels: dict[str, str] | None = None) -> list[dict]:
    """Totals per value of `column`: in `order` when given (values missing from the data are
    shown as zero rows), else sorted by value."""
    keys = order if order is not None else sorted(frame[column].unique())
    # the sums of every value in one group-by, not a frame per value
    work = pd.DataFrame({"key": frame[column], "count": 1, "amount": frame["amount"], "repaid": frame["repaid"],
                         "remaining": frame["remaining"], "settled": frame["remaining"] == 0})
    sums = work.groupby("key", sort=True).sum()
    found = {key: Totals(*(int(value) for value in values))
             for key, values in zip(sums.index, sums.to_numpy().tolist(), strict=True)}
    none = Totals(0, 0, 0, 0, 0)
    return [{"key": key, "label": (labels or {}).get(key, key), "totals": found.get(key, none)} for key in keys]


def deadline_countdown(frame: pd.DataFrame, campaign: Campaign, today: date) -> list[dict]:
    """Each campaign deadline: days left (negative once passed) and how much of its class is paid."""
    rows = []
    for klass, deadline in ((campaign.class_since, campaign.since_deadline),
                            (campaign.class_before, campaign.before_deadline)):
        part = frame[frame["deadline_class"] == klass]
        unpaid = part[part["remaining"] > 0]
        rows.append({"class": klass, "deadline": deadline, "days_left": (deadline - today).days,
                     "totals": totals(part), "unpaid": len(unpaid),
                     "missed": int(part["deadline_missed"].sum())})
    return rows


def overdue(frame: pd.DataFrame) -> pd.DataFrame:
    """Unpaid debts, longest overdue first (ties by unit and id, so the order is stable)."""
    unpaid = frame[frame["remaining"] > 0]
    return unpaid.sort_values(["days_overdue", "unit", "id"], ascending=[False, True, True],
                              kind="mergesort")


def group_summary(frame: pd.DataFrame, key: str, names: tuple[str, ...]) -> pd.DataFrame:
    """One row per value of `key` (a unit, a region) with debts: totals, missed deadlines, slipped
    plans, the longest run of missed plan dates and new arrears; `names` are carried along."""
    unpaid = frame["remaining"] > 0
    work = frame.assign(
        unpaid=unpaid.astype(int), settled=(~unpaid).astype(int),
        missed=(frame["deadline_missed"] & unpaid).astype(int),
        slipped=frame["plan_slipped"].astype(int), plan_late=(frame["plan_late"] & unpaid).astype(int),
        new=(frame["new_arrears"] & unpaid).astype(int), one=1,
    )
    grouped = work.groupby(key, sort=True).agg(
        **{name: (name, "first") for name in names},
        count=("one", "sum"), amount=("amount", "sum"), repaid=("repaid", "sum"),
        remaining=("remaining", "sum"), unpaid=("unpaid", "sum"), settled=("settled", "sum"),
        missed=("missed", "sum"), slipped=("slipped", "sum"), slipped_running=("slipped_running", "max"),
        plan_late=("plan_late", "sum"), new_arrears=("new", "sum"),
    )
    return grouped.reset_index()


def unit_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per unit with debts: totals, missed deadlines and slipped plans."""
    return group_summary(frame, "unit", ("unit_name", "region_code", "region_name", "unit_type", "supervisor"))


def region_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per region (county/district) with debts, as unit_summary."""
    return group_summary(frame, "region_code", ("region_name",))


def owing_ranking(summary: pd.DataFrame) -> list[dict]:
    """Units with unpaid arrears, ranked: most remaining first, then the lower clearance rate,
    then the unit id. The one order of the site's restriction list and the reports' 单位排名;
    `summary` is unit_summary's frame, ranked on its exact sums in fen."""
    owing = records(summary[summary["remaining"] > 0])

    def key(row: dict[str, Any]) -> tuple[int, Fraction, str]:
        return -int(row["remaining"]), rate(row["repaid"], row["amount"]) or Fraction(0), row["unit"]

    return [{**row, "rank": n, "rate": rate(row["repaid"], row["amount"])}
            for n, row in enumerate(sorted(owing, key=key), 1)]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name: what `frame.to_dict("records")` gives, made column by
    column (to_dict fetches every column again per row: 1.5 s for 100,000 debts, and most of a
    small frame's time). `tolist` gives the Python values to_dict gives; where to_dict would
    still convert a value of an object or extension column (a numpy scalar, pd.NA), it is
    asked itself."""
    names = frame.columns.tolist()
    if not names or not frame.columns.is_unique:
        return cast(list[dict[str, Any]], frame.to_dict("records"))
    columns = []
    for name in names:
        column = frame[name]
        values = column.tolist()
        boxed = column.dtype == object or isinstance(column.dtype, ExtensionDtype)
        if boxed and any(issubclass(kind, np.generic) or kind is type(pd.NA) for kind in set(map(type, values))):
            return cast(list[dict[str, Any]], frame.to_dict("records"))
        columns.append(values)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def rate(repaid: int, amount: int) -> Fraction | None:
    """The clearance rate: share of the amount owed that has been repaid; None when nothing is owed."""
    return Fraction(int(repaid), int(amount)) if amount else None
