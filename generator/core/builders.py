"""Records built from the loaded trees: the step from what a file says to what later stages use.

A tree may have failed the schema; its parts are checked for shape as they are read, and a part
that cannot be built is left out (its schema errors already say why).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .load import Map, Seq
from .model import (
    Case,
    Clue,
    ClueLedger,
    Confirmation,
    Correction,
    Followup,
    Item,
    Ledger,
    Measure,
    MeasureLedger,
    Payment,
    PlanEntry,
    ProgressEntry,
    Terms,
    Unit,
)


def flag(value: bool | str) -> bool:
    return value is True or value == "是"


class Malformed(ValueError):
    """A part of the tree has a shape the schema refused; its schema errors say why."""


# Building a record from a tree that failed the schema raises one of these: a missing key,
# a wrong shape or an impossible date (ValueError), a number that is not one (ArithmeticError).
# That part is then left out of the meaning checks. Anything else is a bug and is not caught.
BUILD_ERRORS = (KeyError, ValueError, ArithmeticError)


def _map(value: object) -> Map:
    if isinstance(value, Map):
        return value
    raise Malformed


def _list(value: object) -> list:
    """A list, or an absent (null) one as empty."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise Malformed


def _text(value: object) -> str:
    if isinstance(value, str):  # numbers are kept as the text written (Num)
        return value
    raise Malformed


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _money(value: object) -> Decimal:
    return Decimal(_text(value))


def _date(value: object) -> date:
    return date.fromisoformat(_text(value))


def _optional_date(value: object) -> date | None:
    return None if value is None else _date(value)


def _optional_count(value: object) -> int | None:
    return None if value is None else int(_text(value))


def _terms(m: Map) -> Terms | None:
    """The standing rules' keys of a debt; None without `delivered` (its other keys are then an
    error of their own, E343)."""
    if m.get("delivered") is None:
        return None
    acceptance = _map(m["acceptance"]) if m.get("acceptance") is not None else Map(0, 0)
    rate = m.get("interest_rate")
    return Terms(delivered=_date(m["delivered"]), acceptance_within=_optional_count(acceptance.get("within")),
                 accepted=_optional_date(acceptance.get("passed")), settlement=_optional_date(m.get("settlement")),
                 pay_within=_optional_count(m.get("pay_within")),
                 interest_rate=None if rate is None else _money(rate),
                 conditions=tuple(_text(c) for c in _list(m.get("conditions"))))


def _item(unit: str, index: int, m: Map) -> Item:
    creditor, contract = _map(m["creditor"]), _map(m["contract"])
    dispute = _map(m["dispute"]) if m.get("dispute") else Map(0, 0)
    payments = [_map(p) for p in _list(m.get("payments"))]
    plan = [_map(p) for p in _list(m.get("plan"))]
    corrections = [_map(c) for c in _list(m.get("corrections"))]
    confirmations = [_map(c) for c in _list(m.get("confirmations"))]
    followups = [_map(f) for f in _list(m.get("followups"))]
    return Item(
        unit=unit, id=_text(m["id"]),
        creditor_name=_text(creditor["name"]), creditor_code=_text(creditor["credit_code"]),
        creditor_size=_text(creditor["size"]), category=_text(m["category"]),
        contract_number=_text(contract["number"]), contract_signed=_date(contract["signed"]),
        contract_amount=_money(contract["amount"]),
        due=_date(m["due"]), amount=_money(m["amount"]), disputed=flag(m["disputed"]),
        dispute_reason=_optional_text(dispute.get("reason")), dispute_path=_optional_text(dispute.get("path")),
        dispute_state=_optional_text(dispute.get("state")),
        origin=_text(m["origin"]), clue=_optional_text(m.get("clue")),
        payments=[Payment(_date(p["date"]), _money(p["amount"]), _text(p["method"])) for p in payments],
        plan=[PlanEntry(_date(p["date"]), _money(p["amount"])) for p in plan],
        corrections=[Correction(_date(c["date"]), _text(c["field"]), _text(c["reason"])) for c in corrections],
        notes=_optional_text(m.get("notes")) or "", index=index, line=m.line, at=m.values_at,
        confirmations=[Confirmation(_date(c["received"]), _text(c["purpose"]), _optional_date(c.get("answered")),
                                    _optional_text(c.get("result")), _optional_text(c.get("reason")))
                       for c in confirmations],
        followups=[Followup(_date(f["date"]), _text(f["method"]), _text(f["by"]), _text(f["result"]),
                            _optional_text(f.get("notes")),
                            None if f.get("received") is None else _money(f["received"])) for f in followups],
        terms=_terms(m),
    )


def build_items(unit: str, seq: object) -> tuple[list[Item], list[str]]:
    items, broken = [], []
    for index, m in enumerate(seq if isinstance(seq, list) else ()):
        try:
            items.append(_item(unit, index, _map(m)))
        except BUILD_ERRORS:
            if isinstance(m, dict) and isinstance(m.get("id"), str):
                broken.append(m["id"])
    return items, broken


def build_ledger(path: str, tree: Map) -> Ledger | None:
    try:
        unit, as_of = tree["unit"], _date(tree["as_of"])
    except BUILD_ERRORS:
        return None
    if not isinstance(unit, str):
        return None
    items, broken = build_items(unit, tree.get("items"))
    followup_by = [(f["by"], f.values_at["by"]) for item in items
                   for f in tree["items"][item.index].get("followups") or ()]
    pending_requests = [(item.id, c.received, tree["items"][item.index]["confirmations"].items_at[n])
                        for item in items for n, c in enumerate(item.confirmations) if c.answered is None]
    return Ledger(unit, as_of, items, path, tree.values_at, broken, followup_by, pending_requests)


def build_unit(path: str, tree: Map) -> Unit | None:
    try:
        region = _map(tree["region"])
        return Unit(
            id=_text(tree["id"]), name=_text(tree["name"]), credit_code=_text(tree["credit_code"]),
            type=_text(tree["type"]), region_code=_text(region["code"]), region_name=_text(region["name"]),
            parent=_optional_text(tree.get("parent")), supervisor=_optional_text(tree.get("supervisor")),
            status=_text(tree["status"]), leader=dict(_map(tree["leader"])), liaison=dict(_map(tree["liaison"])),
            maintainers=[_text(m) for m in _list(tree["maintainers"])], path=path, at=tree.values_at,
            halted=_optional_date(tree.get("halted")),
            disclosed={int(_text(d["year"])): _date(d["published"]) for d in map(_map, _list(tree.get("disclosed")))},
        )
    except BUILD_ERRORS:
        return None


def _clue(handler: str, path: str, index: int, m: Map) -> Clue:
    complainant = _map(m["complainant"])
    progress = [_map(p) for p in _list(m.get("progress"))]
    return Clue(
        handler=handler, id=_text(m["id"]), received=_date(m["received"]), source=_text(m["source"]),
        complainant_name=_text(complainant["name"]),
        complainant_code=_text(complainant["credit_code"]), respondent=_text(m["respondent"]),
        amount=_money(m["amount"]), accepted=flag(m["accepted"]), reason=_optional_text(m.get("reason")),
        transferred_to=_optional_text(m.get("transferred_to")), verdict=_optional_text(m.get("verdict")),
        item=_optional_text(m.get("item")),
        closed=_optional_date(m.get("closed")), path=path, line=m.line, at=m.values_at,
        deadline=_optional_date(m.get("deadline")),
        progress=[ProgressEntry(_date(p["date"]), _text(p["note"])) for p in progress],
        index=index, forwarded=_optional_date(m.get("forwarded")), extended_to=_optional_date(m.get("extended_to")),
        replied=_optional_date(m.get("replied")),
    )


def build_clues(path: str, tree: Map) -> ClueLedger | None:
    unit = tree.get("unit")
    if not isinstance(unit, str):
        return None
    clues = []
    found = tree.get("clues")
    for index, m in enumerate(found if isinstance(found, list) else ()):
        try:
            clues.append(_clue(unit, path, index, _map(m)))
        except BUILD_ERRORS:
            continue
    return ClueLedger(unit, clues, path, tree.values_at)


def build_case(path: str, tree: Map) -> Case | None:
    try:
        items = tree["items"]
        if not isinstance(items, Seq):
            raise Malformed
        return Case(
            id=_text(tree["id"]), title=_text(tree["title"]), unit=_text(tree["unit"]),
            items=[_text(ref) for ref in items], state=_text(tree["state"]),
            published=_optional_date(tree.get("published")),
            summary=_text(tree["summary"]), handling=_text(tree["handling"]), path=path,
            at=tree.values_at, items_at=list(items.items_at),
        )
    except BUILD_ERRORS:
        return None


def build_measures(path: str, tree: Map) -> MeasureLedger | None:
    seq = tree.get("measures")
    measures = []
    for m in seq if isinstance(seq, list) else ():
        try:
            m = _map(m)
            measures.append(Measure(_text(m["id"]), _date(m["date"]), _text(m["unit"]), _text(m["kind"]),
                                    _text(m["basis"]), _optional_date(m.get("follow_up")), m.line, m.values_at))
        except BUILD_ERRORS:
            continue
    return MeasureLedger(measures, path, tree.values_at)


BUILDERS = {"unit": build_unit, "arrears": build_ledger, "clues": build_clues,
            "case": build_case, "measures": build_measures}
