"""Checks of single written values (amounts, dates), shared by cerberus and the fast path."""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONEY = re.compile(r"[0-9]+(\.[0-9]+)?")


def money_problem(text: str) -> tuple[str, str] | None:
    """(code, detail) when `text` is not a non-negative amount with at most two decimals."""
    if text.lower().lstrip("+-") in (".nan", ".inf"):
        return "E205", f"“{text}”不是有效金额"
    if text.startswith("-"):
        return "E207", f"“{text}”"
    if not _MONEY.fullmatch(text):
        return "E205", f"“{text}”不是普通的数字写法，请写成 12345.67 的形式"
    if "." in text and len(text.rsplit(".", 1)[1].rstrip("0")) > 2:
        return "E206", f"“{text}”"
    return None


def date_problem(text: str) -> tuple[str, str] | None:
    if not _DATE.fullmatch(text):
        return "E208", f"“{text}”"
    try:
        date.fromisoformat(text)
    except ValueError:
        return "E209", f"“{text}”"
    return None
