"""Money as exact integer fen inside, decimal yuan text outside."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def fen(amount: Decimal) -> int:
    return int(amount * 100)


def yuan_decimal(fen_amount: int) -> Decimal:
    """Fen as an exact decimal of yuan with two places: 12345 -> Decimal("123.45")."""
    return Decimal(int(fen_amount)).scaleb(-2)


def yuan(fen_amount: int) -> str:
    return f"{yuan_decimal(fen_amount):.2f}"


def grouped(fen_amount: int) -> str:
    """Fen as yuan with thousands separators, as tables show it: 123456789 -> 1,234,567.89."""
    whole, _, cents = yuan(fen_amount).partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}.{cents}"


def wan(fen_amount: int) -> Decimal:
    """Fen as 万元 to two decimals, for figures people compare at a glance (cards, charts)."""
    return (Decimal(int(fen_amount)) / Decimal(1_000_000)).quantize(Decimal("0.01"))


def rounded(value: Fraction, places: int) -> Decimal:
    """An exact fraction rounded once, half-up (四舍五入), to `places` decimals:
    Fraction(49, 400) (0.1225) -> 0.123 at three places, where half-even would give 0.122."""
    scaled = value * 10 ** places
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(whole if scaled >= 0 else -whole).scaleb(-places)


def percent_shown(rate: Fraction | None) -> Decimal | None:
    """A rate as every page, report, workbook and document shows it: the exact fraction rounded
    once, half-up, to one decimal of a percent (0.123 for 12.3%); None when nothing is owed."""
    return None if rate is None else rounded(rate, 3)


def percent(rate: Fraction | None) -> str:
    """The shown rate as text: 12.3%; — when nothing is owed (no rate, not 0%)."""
    shown = percent_shown(rate)
    return "—" if shown is None else f"{shown * 100:.1f}%"
