"""The JSON form of a period report (report_data.PeriodReport): what the archive keeps, what
`qingqian report --format json` prints and what the site's report cache holds.

Each dataclass becomes an object with its fields in order (a section a period lacks is left
out); money in fen becomes yuan text ("1234.50"), a rate its four-decimal text, times and days
ISO text ("" where they may be missing). `report_of` reads the form back, guided by the same
field types, so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import types
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from ..core.money import fen, yuan
from .report_data import BLANK, FEN, RATE, PeriodReport, rate_text

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """A dataclass's field types, markers included, resolved once per class."""
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls, include_extras=True)
    return _HINTS[cls]


def _marker(hint: Any) -> str | None:
    return hint.__metadata__[0] if get_origin(hint) is Annotated else None


def _plain(value: Any, hint: Any = None) -> Any:
    """A report value in its JSON form: dataclasses as dicts in field order, fen as yuan text,
    rates as four-decimal text, times and days as ISO text ("" where they may be missing)."""
    marker = _marker(hint)
    if marker == FEN:
        return None if value is None else yuan(value)
    if marker == RATE:
        return rate_text(value)
    if marker == BLANK and value is None:
        return ""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    if isinstance(value, list):
        item = get_args(_strip(hint))[0] if get_args(_strip(hint)) else None
        return [_plain(v, item) for v in value]
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return value


def _fields(value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    hints = _hints(type(value))
    for f in dataclasses.fields(value):
        found = getattr(value, f.name)
        if f.metadata.get("flatten"):
            out.update(_fields(found))
        elif not (found is None and f.metadata.get("optional")):
            out[f.name] = _plain(found, hints[f.name])
    return out


def _strip(hint: Any) -> Any:
    """`X` of `X | None` (and of Annotated[X, ...]); other hints as they are."""
    if get_origin(hint) is Annotated:
        hint = get_args(hint)[0]
    if get_origin(hint) in (Union, types.UnionType):
        rest = [arg for arg in get_args(hint) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else hint
    return hint


def _typed(cls: Any, value: Any) -> Any:
    """The typed value of `_plain`'s JSON form, for the hint `cls`. A shape we did not write
    raises (KeyError, TypeError, ValueError)."""
    marker = _marker(cls)
    if marker == FEN:
        return None if value is None else fen(Decimal(value))
    if marker == RATE:
        return Fraction(Decimal(value)) if value not in ("", None) else None
    if marker == BLANK and value == "":
        return None
    if value is None:
        return None
    hint = _strip(cls)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = _hints(hint)
        kwargs = {f.name: (_typed(hints[f.name], value) if f.metadata.get("flatten")
                           else _typed(hints[f.name], value.get(f.name)))
                  for f in dataclasses.fields(hint) if f.name in value or f.metadata.get("flatten")}
        return hint(**kwargs)
    if get_origin(hint) is list:
        return [_typed(get_args(hint)[0], v) for v in value]
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    return value


def json_form(report: PeriodReport) -> dict[str, Any]:
    """The report's JSON form (what the archive keeps and `qingqian report --format json` prints)."""
    return _fields(report)


def report_of(data: dict[str, Any]) -> PeriodReport:
    """A report from its JSON form, as `json_form` gave it."""
    report = _typed(PeriodReport, data)
    assert isinstance(report, PeriodReport)
    return report
