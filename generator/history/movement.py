"""How the remaining amount moved between two cut-offs: flows from events, stocks from states.

期初剩余 and 期末剩余 are the stocks of the two states (items_frame at each cut-off). Between
them every debt is in exactly one of three cases:

- in scope at both ends: 本期还款 is the payments that entered its ledger during the period
  (those of the closing state the opening state did not have, matched by date and amount),
  less what a check found had not arrived (待核实), plus what a later check found arrived;
  whatever else moved its remaining (an amount corrected, a payment corrected or withdrawn,
  a payment found 未到账) is 更正, on its own line, never netted into the repayments;
- in scope only at the close (entered the ledgers, or fell due, during the period): 本期新增,
  gross, at its remaining at the close;
- in scope only at the opening (its unit stopped production from its `halted` date, or the
  debt or its unit was deleted): 移出, at its remaining at the opening, never a negative
  repayment.

So 期末 = 期初 + 新增 − 还款 + 更正 − 移出 holds for every debt, and therefore for every unit,
region and the whole, to the fen.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd

from ..core.model import Records
from ..core.money import fen

FLOWS = ("opening", "added", "repaid", "corrected", "left_scope", "closing")
KEYS = ["unit", "id"]
NAMES = ["unit_name", "region_code", "region_name"]


def _payments(records: Records, frame: pd.DataFrame, day: date) -> dict[tuple[str, str], Counter]:
    """(unit, id) -> the payments (date, fen) of each debt of `frame` counted at `day`."""
    wanted = set(zip(frame["unit"], frame["id"], strict=True))
    out: dict[tuple[str, str], Counter] = {}
    for ledger in records.ledgers:
        for item in ledger.items:
            key = (item.unit, item.id)
            if key in wanted:
                out[key] = Counter((p.date, fen(p.amount)) for p in item.payments if p.date <= day)
    return out


def _held(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(unit, id) -> its 待核实 amount in fen, where it has one."""
    held = frame[frame["unverified"] > 0]
    return dict(zip(zip(held["unit"], held["id"], strict=True), held["unverified"].astype(int), strict=True))


def debt_flows(before: Records, old: pd.DataFrame, since: date, now: Records, frame: pd.DataFrame,
               as_of: date) -> pd.DataFrame:
    """One row per debt in scope at either cut-off: its names and the six figures of FLOWS in fen.
    `old` and `frame` are items_frame of `before` at `since` and of `now` at `as_of`."""
    start = old[KEYS + NAMES + ["remaining"]].rename(columns={"remaining": "opening"})
    end = frame[KEYS + NAMES + ["remaining"]].rename(columns={"remaining": "closing"})
    both = start.merge(end, on=KEYS, how="outer", suffixes=("_old", ""), indicator=True)
    for name in NAMES:  # a debt that left scope is named as it was
        both[name] = both[name].fillna(both[f"{name}_old"])
    both = both.drop(columns=[f"{name}_old" for name in NAMES])
    both[["opening", "closing"]] = both[["opening", "closing"]].fillna(0).astype("int64")
    kept = both["_merge"] == "both"
    both["added"] = both["closing"].where(both["_merge"] == "right_only", 0)
    both["left_scope"] = both["opening"].where(both["_merge"] == "left_only", 0)
    paid_before, paid_now = _payments(before, old, since), _payments(now, frame, as_of)
    held_before, held_now = _held(old), _held(frame)
    repaid = []
    for key, is_kept in zip(zip(both["unit"], both["id"], strict=True), kept, strict=True):
        if not is_kept:
            repaid.append(0)
            continue
        entered = sum(amount * times for (_day, amount), times in (paid_now[key] - paid_before[key]).items())
        # money a check found had not arrived (待核实) is not repaid until a later check finds it
        repaid.append(max(entered + held_before.get(key, 0) - held_now.get(key, 0), 0))
    both["repaid"] = pd.Series(repaid, index=both.index, dtype="int64")
    # whatever else moved a kept debt's remaining: an amount or a payment corrected
    both["corrected"] = (both["closing"] - both["opening"] + both["repaid"]).where(kept, 0)
    return both.drop(columns="_merge").sort_values(KEYS, kind="mergesort").reset_index(drop=True)


def sums(flows: pd.DataFrame) -> dict[str, int]:
    """The six figures of all of `flows`."""
    return {name: int(flows[name].sum()) for name in FLOWS}


def by(flows: pd.DataFrame, key: str) -> dict[str, dict[str, int]]:
    """The six figures per value of `key` (a unit, a region code)."""
    grouped = flows.groupby(key, sort=True)[list(FLOWS)].sum()
    return {str(index): {name: int(row[name]) for name in FLOWS} for index, row in grouped.iterrows()}
