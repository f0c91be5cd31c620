"""统一社会信用代码 check (GB 32100-2015)."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def check_char(body: str) -> str:
    """The 18th character for the first 17 (which must be in ALPHABET)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    return (
        len(code) == 18
        and all(ch in _VALUE for ch in code)
        and check_char(code[:17]) == code[17]
    )


def problem(code: str) -> str | None:
    """Why `code` is not a valid credit code, in Chinese; None when it is."""
    if len(code) != 18:
        return f"应为 18 位，实际 {len(code)} 位"
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return f"含有不允许的字符 {'、'.join(bad)}（只能是数字和除 I、O、Z、S、V 外的大写字母）"
    expected = check_char(code[:17])
    if expected != code[17]:
        return f"校验位应为 {expected}，实际为 {code[17]}，请核对是否抄错"
    return None
