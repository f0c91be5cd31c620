"""Checks of single written values (amounts, dates, 统一社会信用代码 per GB 32100-2015), shared
by cerberus, the fast path and the workbook reader."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONEY = re.compile(r"[0-9]+(\.[0-9]+)?")
# Above any real debt, far below what overflows a 64-bit count of fen in the sums.
MONEY_LIMIT_DIGITS = 12  # whole yuan: less than 10**12, 1 万亿元
MONEY_LIMIT = Decimal(10) ** MONEY_LIMIT_DIGITS  # 1 万亿元: every amount, and every ledger's total, is below it
BEIJING = timedelta(hours=8)


def today() -> date:
    """Today in China, whatever the machine's clock zone: the day data may be dated up to."""
    return (datetime.now(UTC) + BEIJING).date()


def money_problem(text: str) -> tuple[str, str] | None:
    """(code, detail) when `text` is not a non-negative amount with at most two decimals."""
    if text.lower().lstrip("+-") in (".nan", ".inf"):
        return "E205", f"“{text}”不是有效金额"
    if text.startswith("-"):
        return "E207", f"“{text}”"
    if not _MONEY.fullmatch(text):
        return "E205", f"“{text}”不是普通的数字写法，请写成 12345.67 的形式"
    whole, _, cents = text.partition(".")
    if len(whole) > 1 and whole.startswith("0"):
        return "E205", (f"“{text}”以 0 开头，不同的 YAML 读取器会把它读成不同的数（八进制或十进制），"
                        f"请去掉开头的 0")
    if len(cents.rstrip("0")) > 2:
        return "E206", f"“{text}”"
    if len(whole) > MONEY_LIMIT_DIGITS:
        return "E214", f"“{text}”"  # the code's fix names the limit
    if not whole.strip("0") and not cents.strip("0"):
        return "E215", f"“{text}”"
    return None


DAYS_LIMIT = 365  # an agreed period (acceptance, payment) longer than a year is a slip of the pen
_DAYS = re.compile(r"[0-9]{1,6}")
_RATE = re.compile(r"[0-9]{1,3}(\.[0-9]{1,4})?")


def days_problem(text: str) -> tuple[str, str] | None:
    """(code, detail) when `text` is not a whole number of days from 0 to a year (DAYS_LIMIT)."""
    if not _DAYS.fullmatch(text):
        return "E217", f"“{text}”不是不带小数、不带负号的整数天数"
    if int(text) > DAYS_LIMIT:
        return "E217", f"“{text}”天超过 {DAYS_LIMIT} 天，请核对是否多写了数字"
    return None


def rate_problem(text: str) -> tuple[str, str] | None:
    """(code, detail) when `text` is not a yearly rate in percent from 0 to under 100."""
    if text.startswith("-"):
        return "E218", f"“{text}”是负数，利率不能为负"
    if not _RATE.fullmatch(text) or Decimal(text) >= 100:
        return "E218", f"“{text}”不是 0 到 100 之间、最多四位小数的百分数（年利率 3.10% 写作 3.10）"
    return None


def date_problem(text: str) -> tuple[str, str] | None:
    if not _DATE.fullmatch(text):
        return "E208", f"“{text}”"
    try:
        date.fromisoformat(text)
    except ValueError:
        return "E209", f"“{text}”"
    return None


# 统一社会信用代码 (GB 32100-2015)
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CODE_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}


def credit_code_check_char(body: str) -> str:
    """The 18th character for the first 17 (which must be in CREDIT_CODE_ALPHABET)."""
    total = sum(_CODE_VALUE[ch] * w for ch, w in zip(body, _WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    return (
        len(code) == 18
        and all(ch in _CODE_VALUE for ch in code)
        and credit_code_check_char(code[:17]) == code[17]
    )


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not a valid credit code, in Chinese; None when it is."""
    if len(code) != 18:
        return f"应为 18 位，实际 {len(code)} 位"
    bad = sorted({ch for ch in code if ch not in _CODE_VALUE})
    if bad:
        return f"含有不允许的字符 {'、'.join(bad)}（只能是数字和除 I、O、Z、S、V 外的大写字母）"
    expected = credit_code_check_char(code[:17])
    if expected != code[17]:
        return f"校验位应为 {expected}，实际为 {code[17]}，请核对是否抄错"
    return None
