"""The standing rules across the ledgers (DESIGN §3c): the debts under them, overdue under the
rules and the interest owed, and the violations by kind, unit and region — the office's list of
what to chase under 《保障中小企业款项支付条例》. Computed once on the items frame."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..rules.standing import OVERDUE, VIOLATIONS


@dataclass(frozen=True, slots=True)
class Tally:
    """Debts counted once each, their unpaid amount and their interest owed (fen)."""

    debts: int
    remaining: int
    interest: int


def tally(part: pd.DataFrame) -> Tally:
    return Tally(len(part), int(part["remaining"].sum()), int(part["overdue_interest"].sum()))


def _having(frame: pd.DataFrame, test) -> pd.Series:
    """A boolean mask of the debts whose violations pass `test` (boolean even with no rows: an
    empty object mask would select columns, not rows)."""
    return frame["violations"].map(test).astype(bool)


def under_rules(frame: pd.DataFrame) -> pd.DataFrame:
    """The debts the standing rules judge: those with a delivery date (a regulation or not)."""
    return frame[frame["delivered"].notna()]


def overdue_under_rules(frame: pd.DataFrame) -> pd.DataFrame:
    """逾期未付: past the last day the rules allow, with money unpaid."""
    return frame[_having(frame, lambda found: OVERDUE in found)]


def violating(frame: pd.DataFrame) -> pd.DataFrame:
    """Debts with any violation, most interest owed first (ties by unit and id)."""
    found = frame[_having(frame, bool)]
    return found.sort_values(["overdue_interest", "unit", "id"], ascending=[False, True, True], kind="mergesort")


def by_kind(frame: pd.DataFrame) -> list[tuple[str, Tally]]:
    """Each violation of the vocabulary with the debts showing it (a debt counts under each of its kinds)."""
    return [(kind, tally(frame[_having(frame, lambda found, kind=kind: kind in found)])) for kind in VIOLATIONS]


def by_group(frame: pd.DataFrame, key: str, name: str) -> list[dict]:
    """Per unit or region (`key`, shown as `name`): the debts with violations, their kinds and sums,
    most interest first."""
    found = violating(frame)
    rows = []
    for value, part in found.groupby(key, sort=True):
        kinds = {kind for found_kinds in part["violations"] for kind in found_kinds}
        rows.append({"key": value, "name": part[name].iloc[0], "kinds": [k for k in VIOLATIONS if k in kinds],
                     "tally": tally(part)})
    rows.sort(key=lambda r: (-r["tally"].interest, r["key"]))
    return rows
