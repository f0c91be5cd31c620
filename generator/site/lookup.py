"""What clerks type into the search box most — a unit's or a creditor's name, a unit id, a credit
code, a contract number — looked up in a table of our own, not in the site engine's full-text index.

`search/lookup.json` lists every unit page, creditor page and debt row with the words that find
it; site_src/assets/js/search-worker.js reads it before the engine's index and puts what it finds
first (exact matches, then beginnings, then any part of a word). The unit and creditor pages are
left out of the engine's index (their front matter says so): nearly all of them is tables, which
the index skipped anyway, and the rest is here. Names are data: the worker escapes them before
the page shows them.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.model import Records
from .render import url

PATH = "search/lookup.json"
UNIT, CREDITOR, CONTRACT = "单位", "债权人", "合同"


def lookup(records: Records, rows: list[dict]) -> dict:
    """{"pages": [[title, location, kind, [words]]]}: the pages of the units, of the creditors
    (named by a debt on the site or a complaint) and the debts' rows, each with what finds it."""
    units = records.units
    owed: dict[str, dict[str, None]] = {}  # unit -> its creditors' names, in order
    names: dict[str, dict[str, int]] = {}  # credit code -> its names, how often each is written
    contracts = []
    for row in rows:
        owed.setdefault(row["unit"], {})[row["creditor_name"]] = None
        counted = names.setdefault(row["creditor_credit_code"], {})
        counted[row["creditor_name"]] = counted.get(row["creditor_name"], 0) + 1
        unit = units.get(row["unit"])
        title = f"{unit.name if unit else row['unit']} {row['id']}（合同 {row['contract_number']}）"
        contracts.append([title, str(url(f"units/{row['unit']}.html#debt-{row['id']}")), CONTRACT,
                          [str(row["contract_number"])]])
    for clue_ledger in records.clue_ledgers:
        for clue in clue_ledger.clues:
            counted = names.setdefault(clue.complainant_code, {})
            counted[clue.complainant_name] = counted.get(clue.complainant_name, 0) + 1
    pages = [[unit.name, str(url(f"units/{unit.id}.html")), UNIT,
              [unit.name, unit.id, unit.credit_code, *owed.get(unit.id, {})]]
             for unit in sorted(units.values(), key=lambda u: u.id)]
    for code, counted in sorted(names.items()):  # most used name first, as the creditor's page has it
        found = sorted(counted, key=lambda name: (-counted[name], name))
        pages.append([found[0], str(url(f"creditors/{code}.html")), CREDITOR, [*found, code]])
    return {"pages": pages + contracts}


def write_lookup(records: Records, rows: list[dict], docs: Path) -> bytes:
    """The table as the worker reads it, written into the docs folder (also returned)."""
    text = json.dumps(lookup(records, rows), ensure_ascii=False, separators=(",", ":")).encode()
    (docs / PATH).parent.mkdir(parents=True, exist_ok=True)
    (docs / PATH).write_bytes(text)
    return text


def update_lookup(records: Records, rows: list[dict], docs: Path, out: Path) -> None:
    """`serve`: the table written again, and into the served site unless that holds the same file."""
    write_lookup(records, rows, docs)
    target = out / PATH
    if target.exists() and not target.samefile(docs / PATH):
        target.write_bytes((docs / PATH).read_bytes())
