"""Read one Excel cell as the exact text a ledger holds, or say (code, detail) why not.

Excel stores numbers as binary doubles, turns `0012` into 12 and `2021-3` into a date, and
a formula such as =0.1+0.2 gives 0.30000000000000004. Money is taken from the shortest
decimal that gives the stored double (what Excel showed), and rounded to the fen only
when that lies within a thousandth of a fen; codes are taken from numbers only when exact.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from ..core.scalars import credit_code_problem, date_problem, days_problem, money_problem, rate_problem
from .layout import Column

FEN = Decimal("0.01")
TOLERANCE = Decimal("0.00001")  # a thousandth of a fen, in yuan
EXACT_DIGITS = 15  # Excel keeps 15 significant digits of a number
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")

Problem = tuple[str, str]  # (code, detail)
Value = str | bool | None


def read(value: object, col: Column) -> tuple[Value, list[Problem]]:
    """The cell's value as ledger text (or bool for flags), None when empty, and problems."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None, []
    reader = _READERS.get(col.kind, _text)
    return reader(value, col)


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "逻辑值 TRUE" if value else "逻辑值 FALSE"
    if isinstance(value, datetime | date):
        return f"日期 {value:%Y-%m-%d}"
    return f"数字 {_number_text(value)}" if isinstance(value, int | float) else f"“{value}”"


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**EXACT_DIGITS:
        return str(int(value))
    return repr(value)


def _money(value: object, col: Column) -> tuple[Value, list[Problem]]:
    h = col.header
    if isinstance(value, bool | datetime | date | time):
        return None, [("E712", f"{h}是{_describe(value)}，应为数字")]
    if isinstance(value, str):
        text = value.replace(",", "") if _GROUPED.fullmatch(value) else value
        found = money_problem(text)
        if found:
            why = "不是数字" if found[0] == "E205" else "超过两位小数" if found[0] == "E206" else "是负数"
            return None, [("E704", f"{h}“{value}”{why}")]
        return f"{Decimal(text):.2f}", []
    if not isinstance(value, int | float):
        return None, [("E712", f"{h}是{_describe(value)}，应为数字")]
    if isinstance(value, float) and not math.isfinite(value):
        return None, [("E704", f"{h}“{value}”不是有效金额")]
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(int(value))
    shown = _number_text(value)
    if amount < 0:
        return None, [("E704", f"{h} {shown} 是负数")]
    fen = amount.quantize(FEN, ROUND_HALF_UP)
    if fen == amount:
        return f"{fen:.2f}", []
    if abs(fen - amount) <= TOLERANCE:
        return f"{fen:.2f}", [("W701", f"{h} {shown} 按 {fen:.2f} 读取")]
    return None, [("E704", f"{h} {shown} 超过两位小数（到分）")]


def _date(value: object, col: Column) -> tuple[Value, list[Problem]]:
    h = col.header
    if isinstance(value, datetime):
        if value.time() != time(0):
            return None, [("E705", f"{h} {value:%Y-%m-%d %H:%M} 含有时刻，只填日期")]
        return value.date().isoformat(), []
    if isinstance(value, date):
        return value.isoformat(), []
    if not isinstance(value, str):
        return None, [("E712", f"{h}是{_describe(value)}，不是日期；请设为日期格式后重新输入")]
    found = date_problem(value)
    if found:
        why = "不是 YYYY-MM-DD 形式的日期" if found[0] == "E208" else "这一天不存在"
        return None, [("E705", f"{h}“{value}”{why}")]
    return value, []


def _number(value: object, col: Column) -> tuple[str | None, list[Problem]]:
    """A number cell (or its text) as the text Excel showed: 45, 3.1."""
    if isinstance(value, bool | datetime | date | time):
        return None, [("E712", f"{col.header}是{_describe(value)}，应为数字")]
    if isinstance(value, float) and not math.isfinite(value):
        return None, [("E714", f"{col.header}“{value}”不是有效数字")]
    return (_number_text(value) if isinstance(value, int | float) else str(value)), []


def _days(value: object, col: Column) -> tuple[Value, list[Problem]]:
    text, problems = _number(value, col)
    if text is None:
        return None, problems
    found = days_problem(text)
    return (None, [("E714", f"{col.header}{found[1]}")]) if found else (text, [])


def _rate(value: object, col: Column) -> tuple[Value, list[Problem]]:
    text, problems = _number(value, col)
    if text is None:
        return None, problems
    text = text.removesuffix("%").strip()
    found = rate_problem(text)
    if found:
        return None, [("E714", f"{col.header}{found[1]}")]
    whole, _, places = text.partition(".")
    return f"{whole}.{places.ljust(2, '0')}", []  # at least two places, as written: 3 -> 3.00, 3.125 stays


_WORDS = re.compile(r"[、,，;；\s]+")


def _words(value: object, col: Column) -> tuple[Value, list[Problem]]:
    """Fixed words in one cell, separated by 、 (or commas, semicolons, spaces), each allowed."""
    text, problems = _text(value, col)
    if problems or text is None:
        return text, problems
    words = [w for w in _WORDS.split(str(text)) if w]
    wrong = [w for w in words if w not in col.allowed]
    if wrong:
        return None, [("E706", f"{col.header}中的“{'、'.join(wrong)}”不是允许的取值，只能是：{'、'.join(col.allowed)}")]
    return "、".join(dict.fromkeys(words)), []


def _flag(value: object, col: Column) -> tuple[Value, list[Problem]]:
    if isinstance(value, bool):
        return value, []
    text = str(value).lower()
    if text in ("是", "true"):
        return True, []
    if text in ("否", "false"):
        return False, []
    return None, [("E706", f"{col.header}为{_describe(value)}，只能是：是、否")]


def _enum(value: object, col: Column) -> tuple[Value, list[Problem]]:
    text, problems = _text(value, col)
    if problems:
        return text, problems
    stored = col.stored(str(text))
    if stored is not None:
        return stored, []
    return None, [("E706", f"{col.header}为“{text}”，只能是：{'、'.join(col.allowed)}")]


def _code(value: object, col: Column) -> tuple[Value, list[Problem]]:
    h = col.header
    if isinstance(value, bool | datetime | date | time):
        return None, [("E712", f"{h}被 Excel 识别成了{_describe(value)}")]
    problems: list[Problem] = []
    if isinstance(value, int | float):
        exact = float(value).is_integer() and abs(value) < 10**EXACT_DIGITS
        if not exact:
            return None, [("E712", f"{h}是{_describe(value)}，无法确定原来的写法")]
        value = str(int(value))
        problems.append(("W702", f"{h}是数字，按“{value}”读取"))
    text = str(value)
    if col.regex and not re.fullmatch(col.regex, text):
        return None, [("E708", f"{h}“{text}”")]
    return text, problems


def _credit_code(value: object, col: Column) -> tuple[Value, list[Problem]]:
    if not isinstance(value, str):
        return None, [("E712", f"{col.header}是{_describe(value)}；18 位代码超出 Excel 数字的精度，"
                               "请把单元格设为文本格式后重新输入")]
    found = credit_code_problem(value)
    return (None, [("E707", f"{col.header}“{value}”{found}")]) if found else (value, [])


def _text(value: object, col: Column) -> tuple[Value, list[Problem]]:
    if isinstance(value, str):
        return value, []
    if isinstance(value, datetime | date | time):
        return None, [("E712", f"{col.header}被 Excel 识别成了{_describe(value)}")]
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), []
    return _number_text(value), []  # type: ignore[arg-type]


_READERS = {"money": _money, "date": _date, "flag": _flag, "enum": _enum, "code": _code,
            "credit_code": _credit_code, "text": _text, "days": _days, "rate": _rate, "words": _words}
