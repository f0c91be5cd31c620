"""The enterprise's view: everything about one creditor, by its unified social credit code.

The national complaint platform is organised by enterprise; the office needs the same view
across units: the debts owed to it, what was paid, its complaints and their outcome, its
确权 requests and the follow-up checks. Built in one pass over the frame and the records, so
a province of tens of thousands of creditors costs time linear in the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..core.model import Clue, Confirmation, Followup, Records
from . import stats


@dataclass
class Creditor:
    code: str
    names: list[str]  # as written in the ledgers and clues, most used first
    debts: list[dict] = field(default_factory=list)  # rows of the items frame
    clues: list[Clue] = field(default_factory=list)
    confirmations: list[tuple[str, Confirmation]] = field(default_factory=list)  # (debt ref, request)
    followups: list[tuple[str, Followup]] = field(default_factory=list)  # (debt ref, check)

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.code


def creditors(records: Records, frame: pd.DataFrame, rows: list[dict] | None = None) -> list[Creditor]:
    """Every creditor that a debt or a clue names, sorted by credit code; `rows`: the frame's
    rows as dicts when the caller has them already."""
    found: dict[str, Creditor] = {}
    counts: dict[str, dict[str, int]] = {}

    def get(code: str, name: str) -> Creditor:
        names = counts.setdefault(code, {})
        names[name] = names.get(name, 0) + 1
        if code not in found:
            found[code] = Creditor(code, [])
        return found[code]

    for row in stats.records(frame) if rows is None else rows:
        get(row["creditor_credit_code"], row["creditor_name"]).debts.append(row)
    for ledger in records.ledgers:
        for item in ledger.items:
            creditor = found.get(item.creditor_code)
            if creditor is not None:
                creditor.confirmations += [(item.ref, c) for c in item.confirmations]
                creditor.followups += [(item.ref, f) for f in item.followups]
    for clue_ledger in records.clue_ledgers:
        for clue in clue_ledger.clues:
            get(clue.complainant_code, clue.complainant_name).clues.append(clue)
    for code, creditor in found.items():
        creditor.names = sorted(counts[code], key=lambda n: (-counts[code][n], n))
        creditor.clues.sort(key=lambda c: (c.received, c.id))
    return [found[code] for code in sorted(found)]

