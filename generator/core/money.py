"""Money as exact integer fen inside, decimal yuan text outside."""

from __future__ import annotations

from decimal import Decimal


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
