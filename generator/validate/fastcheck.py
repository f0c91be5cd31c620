"""A fast yes/no check compiled from the same cerberus schemas.

cerberus builds a child validator for every nested mapping and list, which costs about a
millisecond per debt: at province scale (100,000 debts) that is most of the validation time.
Almost every file is valid, so we first ask this compiled check, which only answers
"certainly valid"; anything else goes to cerberus, which stays the one source of the
error messages. A test holds the two to the same verdict on mutated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..core.load import Num
from ..core.scalars import date_problem, days_problem, is_valid_credit_code, money_problem, rate_problem
from ..core.schema import CELL_LIMIT

Check = Callable[[Any], bool]

TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "money": lambda v: isinstance(v, Num),
    "ymd": lambda v: isinstance(v, str) and not isinstance(v, Num),
    "flag": lambda v: isinstance(v, bool | str),
    "days": lambda v: isinstance(v, Num),
    "rate": lambda v: isinstance(v, Num),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
}
# Rules that do not constrain a value; any other rule we do not compile is refused below,
# so a rule added to the schema can never be silently skipped by the fast path.
INERT = {"meta", "required", "type", "schema"}


def compile_mapping(schema: dict) -> Check:
    fields = {name: compile_rules(rules) for name, rules in schema.items()}
    required = frozenset(name for name, rules in schema.items() if rules.get("required"))

    def check(doc: Any) -> bool:
        if not isinstance(doc, dict) or not required <= doc.keys():
            return False
        for key, value in doc.items():
            field = fields.get(key)
            if field is None or not field(value):
                return False
        return True

    return check


def compile_rules(rules: dict) -> Check:
    text = rules["type"] == "string" and bool(rules.get("fits_cell"))
    # every text field fits a cell: one test for the type and the length, not a check more each
    checks: list[Check] = [_fitting_text if text else TYPES[rules["type"]]]
    for rule, constraint in rules.items():
        if rule in INERT or (text and rule == "fits_cell"):
            continue
        checks.append(_rule(rule, constraint))
    inner = rules.get("schema")
    if inner is not None:
        if rules["type"] == "dict":
            checks.append(compile_mapping(inner))
        else:
            element = compile_rules(inner)
            checks.append(lambda v: all(map(element, v)))

    def check(value: Any) -> bool:
        return all(c(value) for c in checks)

    return check


def _fitting_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= CELL_LIMIT


def _rule(rule: str, constraint: Any) -> Check:
    if rule == "allowed":
        allowed = frozenset(constraint)
        return lambda v: v in allowed
    if rule == "regex":
        pattern = re.compile(constraint)
        return lambda v: pattern.fullmatch(v) is not None
    if rule == "minlength":
        return lambda v: len(v) >= constraint
    if rule == "money" and constraint:
        return lambda v: money_problem(v) is None
    if rule == "real_date" and constraint:
        return lambda v: date_problem(v) is None
    if rule == "day_count" and constraint:
        return lambda v: days_problem(v) is None
    if rule == "percent" and constraint:
        return lambda v: rate_problem(v) is None
    if rule == "credit_code" and constraint:
        return is_valid_credit_code
    if rule == "filled" and constraint:
        return lambda v: not isinstance(v, str) or bool(v.strip())
    if rule == "fits_cell" and constraint:
        return lambda v: not isinstance(v, str) or len(v) <= CELL_LIMIT
    if rule == "yes_no" and constraint:
        return lambda v: isinstance(v, bool) or v in ("是", "否")
    raise ValueError(f"fastcheck cannot compile rule {rule!r}")
