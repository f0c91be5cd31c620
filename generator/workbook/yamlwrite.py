"""Write a debt ledger in the repository's canonical YAML style, the style of the example files.

Keys in schema order; creditor/contract/dispute and each payment, plan and correction entry
as one flow mapping per line; money with two decimals; text plain when it reads back as the
same text (so `0012` and 18-digit codes stay unquoted), double-quoted otherwise.
For each written line the writer also says which workbook row it came from, so problems
the validator finds in the text can be shown at the cell the unit typed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

from ..core.schema import ITEM

_PLAIN_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"}
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


@dataclass(frozen=True)
class Origin:
    sheet: str
    row: int
    prefix: str  # dotted prefix of the keys on the line ("creditor." on the creditor line)


@dataclass
class Entry:
    """One debt, payment, plan or correction: field -> text (bool for flags), and its row."""

    values: dict[str, str | bool]
    origin: Origin | None = None


@dataclass
class Debt:
    entry: Entry
    lists: dict[str, list[Entry]]  # payments | plan | corrections
    empty_lists: frozenset[str] = frozenset()  # written as `payments: []` when there are none


def scalar(text: str | bool, flow: bool = False) -> str:
    if isinstance(text, bool):
        return "true" if text else "false"
    return text if _reads_back(text, flow) else json.dumps(text, ensure_ascii=False)


def _reads_back(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or "\r" in text:
        return False
    try:
        node = yaml.compose(f"k: {{v: {text}}}" if flow else f"k: {text}", Loader=yaml.CSafeLoader)
        assert node is not None  # a one-key mapping always composes to a node
        value = node.value[0][1]
        if flow:
            value = value.value[0][1]
    except (yaml.YAMLError, AttributeError, IndexError, TypeError):
        return False
    if not isinstance(value, yaml.ScalarNode) or value.style or value.value != text:
        return False
    # numbers keep their text when all digits (codes like 0012); other number forms are quoted
    return value.tag in _PLAIN_TAGS or (value.tag in _NUMBER_TAGS and text.isdigit())


def value(text: str | bool, rules: dict, in_flow: bool = False) -> str:
    # money, days and rates are always the plain number (canonical, the reader made it so)
    if rules["meta"]["kind"] in ("money", "days", "rate"):
        return str(text)
    if rules["type"] == "list":  # fixed words read from one cell, separated by 、
        return "[" + ", ".join(scalar(word, True) for word in str(text).split("、")) + "]"
    return scalar(text, in_flow)


def flow(values: dict[str, str | bool], schema: dict) -> str:
    return "{" + ", ".join(f"{k}: {value(values[k], r, True)}" for k, r in schema.items() if k in values) + "}"


def dump_ledger(unit: str, as_of: str, debts: list[Debt], header: list[str],
                info_origins: dict[str, Origin] | None = None) -> tuple[str, list[Origin | None]]:
    """The file's text and, for each line, where in the workbook it came from."""
    info = info_origins or {}
    lines: list[tuple[str, Origin | None]] = [(line, None) for line in header]
    lines += [(f"unit: {scalar(unit)}", info.get("unit")), (f"as_of: {scalar(as_of)}", info.get("as_of")),
              ("items:" if debts else "items: []", None)]
    for debt in debts:
        lines += _debt(debt)
    text = "\n".join(line for line, _origin in lines) + "\n"
    return text, [origin for _line, origin in lines]


def _debt(debt: Debt) -> list[tuple[str, Origin | None]]:
    values, origin = debt.entry.values, debt.entry.origin
    out: list[tuple[str, Origin | None]] = []
    for name, rules in ITEM.items():
        lead = "  - " if not out else "    "
        if rules["type"] == "dict":
            group = {k: values[f"{name}.{k}"] for k in rules["schema"] if f"{name}.{k}" in values}
            if group:
                at = Origin(origin.sheet, origin.row, f"{name}.") if origin else None
                out.append((f"{lead}{name}: {flow(group, rules['schema'])}", at))
        elif rules["type"] == "list" and name in values:  # words in one cell (付款条件)
            out.append((f"{lead}{name}: {value(values[name], rules)}", origin))
        elif rules["type"] == "list":
            entries = debt.lists.get(name, [])
            if entries:
                out.append((f"{lead}{name}:", origin))
                out += [(f"      - {flow(e.values, rules['schema']['schema'])}", e.origin) for e in entries]
            elif name in debt.empty_lists:
                out.append((f"{lead}{name}: []", origin))
        elif name in values:
            out.append((f"{lead}{name}: {value(values[name], rules)}", origin))
    return out
