"""Totals per 汇总单位: each supervising body (财政局 for organs and institutions, 国资委 /
国资运营公司 for SOEs — whoever units name as `supervisor`) and each SOE group with
subsidiaries (谁主管谁负责). Written once for the office site and the reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.model import Unit
from ..core.vocab import GroupKind, UnitType

SOE = UnitType.SOE


@dataclass(frozen=True)
class Group:
    head: Unit
    kind: str  # 汇总单位 | 企业集团
    members: tuple[str, ...]  # unit ids, the head first when it is a member itself

    def rows(self, frame: pd.DataFrame | ByUnit) -> pd.DataFrame:
        """The frame's rows of the members, in the frame's order; over many groups pass the
        frame as `ByUnit` (a mask over every row per group cost time in groups × rows)."""
        if isinstance(frame, ByUnit):
            return frame.rows(self.members)
        return frame[frame["unit"].isin(self.members)]


class ByUnit:
    """A frame with the positions of each unit's rows, found once."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.positions = frame.groupby("unit", sort=False).indices

    def rows(self, units: Iterable[str]) -> pd.DataFrame:
        """What `frame[frame["unit"].isin(units)]` gives: the same rows in the same order."""
        return self.frame.iloc[self.positions_of(units)]

    def positions_of(self, units: Iterable[str]) -> np.ndarray:
        """The positions of the rows of `units` in the frame, ascending."""
        found = [self.positions[unit] for unit in units if unit in self.positions]
        return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.intp)


def groups(units: dict[str, Unit]) -> list[Group]:
    """Supervising bodies with the units naming them (and their own ledger), then SOE groups
    with every subsidiary below them, each sorted by id."""
    supervised: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.supervisor in units and unit.supervisor != unit.id:
            supervised.setdefault(unit.supervisor, []).append(unit.id)
        if unit.parent in units:
            children.setdefault(unit.parent, []).append(unit.id)
    found = [Group(units[head], GroupKind.SUPERVISOR, (head, *sorted(members)))
             for head, members in sorted(supervised.items())]
    for unit in sorted(units.values(), key=lambda u: u.id):
        if unit.type != SOE:
            continue
        below, todo = [], list(children.get(unit.id, []))
        while todo:
            current = todo.pop()
            if current in below or current == unit.id:
                continue  # a cycle is reported by validate (E405)
            if units[current].type == SOE:
                below.append(current)
                todo += children.get(current, [])
        if below:
            found.append(Group(unit, GroupKind.SOE_GROUP, (unit.id, *sorted(below))))
    return found
