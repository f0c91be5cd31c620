"""`qingqian import`: a unit's workbook becomes its `ledgers/arrears/<unit>.yaml`.

Rows are matched to recorded debts by id (recorded debts keep their place in the file, new
ones follow, payments already recorded keep their order); the text is written in the
canonical style and checked with the project's own validator, per file and across files,
before anything touches the disk. Every problem is shown at the workbook cell it came from.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core.builders import build_ledger
from ..core.issues import Issue, make
from ..core.load import Map, load_file
from ..core.model import Ledger, Records, login_in
from ..core.schema import ITEM, ledger_path
from ..core.vocab import UnitStatus
from ..validate.check_change import ledger_change
from ..validate.check_cross import check_cross
from ..validate.pipeline import check_one, validate_repo
from .clerk_words import in_clerk_words
from .layout import INFO, ITEMS, SHEETS, SUB_SHEETS
from .read import Row, WorkbookData, cell_issue, read_workbook
from .yamlwrite import Debt, Entry, Origin, dump_ledger

_ID_NUMBER = re.compile(r"(.*?)([0-9]+)")


@dataclass
class ImportResult:
    issues: list[Issue] = field(default_factory=list)
    unit: str | None = None
    written: str | None = None  # the ledger path relative to the root, once written
    items: int = 0
    new_ids: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def import_workbook(root: Path, xlsx: Path, unit: str | None = None, actor: str | None = None,
                    records: Records | None = None) -> ImportResult:
    """Check `xlsx` and, when it has no errors, write its unit's ledger under `root`.
    `unit`/`actor` are what the caller expects (refused otherwise); `records` may be given
    to save validating the repository again."""
    file = xlsx.name
    data, cell_issues = read_workbook(xlsx, file)
    result = ImportResult(list(cell_issues), data.unit if data else None)
    if data is None or data.unit is None:
        return result
    records = records if records is not None else validate_repo(root).records
    refused = _refusals(data, unit, actor, records, file)
    if refused:
        result.issues = refused + result.issues
        return result
    rel = ledger_path(data.unit)
    old = _existing(root / rel, rel, result)
    if old is None:
        return result
    debts = _match(data, old, file, result)
    if result.errors or data.as_of is None:
        return result
    info = {name: Origin(INFO, row, "") for name, row in data.info_rows.items()}
    text, origins = dump_ledger(data.unit, data.as_of, debts, old.header, info)
    found = _validate(rel, text, records, old.record)
    lines = text.splitlines()
    result.issues += [_at_cell(issue, origins, lines, file) for issue in found]
    result.items = len(debts)
    if not result.errors:
        _write(root / rel, text)
        result.written = rel
    return result


def _refusals(data: WorkbookData, unit: str | None, actor: str | None, records: Records,
              file: str) -> list[Issue]:
    def refuse(detail: str) -> list[Issue]:
        return [cell_issue(file, INFO, data.info_rows.get("unit", 0), 2, "E711", detail)]

    if unit is not None and data.unit != unit:
        return refuse(f"工作簿属于单位“{data.unit}”，而导入时指定的是“{unit}”")
    registered = records.units.get(data.unit or "")
    if registered is None:
        return refuse(f"单位“{data.unit}”未在 units/ 中登记")
    if registered.status == UnitStatus.HALTED:
        return refuse(f"单位“{data.unit}”为停产企业，不报送台账")
    allowed = set(registered.maintainers) | records.office_maintainers()
    if actor is not None and not login_in(actor, allowed):
        return refuse(f"账号“{actor}”不在单位“{data.unit}”的 maintainers 中")
    return []


@dataclass
class Existing:
    header: list[str]  # the comment lines at the top, kept as they are
    ids: list[str]
    entries: dict[tuple[str, str], list[tuple]]  # (debt id, list field) -> recorded entries
    empty_lists: dict[str, frozenset[str]]  # debt id -> lists written as []
    record: Ledger | None = None  # the ledger the workbook replaces, as the change rules compare it


def _existing(path: Path, rel: str, result: ImportResult) -> Existing | None:
    if not path.exists():
        return Existing([], [], {}, {})
    text = path.read_bytes()
    loaded = load_file(rel, text)
    if loaded.tree is None:
        result.issues += loaded.issues  # the ledger must be readable to match rows to it
        return None
    lines = text.decode("utf-8").removeprefix("\ufeff").splitlines()
    header = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            break
        header.append(line)
    for number, line in enumerate(lines[len(header):], len(header) + 1):
        comment = line.lstrip().startswith("#") or (" #" in line and not re.search("[\"']", line))
        if comment:
            result.issues.append(make(rel, number, line.find("#") + 1, "W703"))
            break
    record = build_ledger(rel, loaded.tree)
    existing = Existing(header, [], {}, {}, record if isinstance(record, Ledger) else None)
    items = loaded.tree.get("items")
    for m in items if isinstance(items, list) else ():
        if not isinstance(m, Map) or not isinstance(m.get("id"), str):
            continue
        existing.ids.append(m["id"])
        existing.empty_lists[m["id"]] = frozenset(k for k in SUB_SHEETS if m.get(k) == [])
        for list_field in SUB_SHEETS:
            entries = m.get(list_field)
            keys = list(ITEM[list_field]["schema"]["schema"])
            existing.entries[(m["id"], list_field)] = [
                tuple(_canonical(e.get(k)) for k in keys) for e in entries if isinstance(e, Map)
            ] if isinstance(entries, list) else []
    return existing


def _canonical(value) -> object:
    """A recorded value as the workbook reader gives it, so entries can be compared."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]+\.[0-9]+", value):
        try:
            return f"{Decimal(value):.2f}"
        except InvalidOperation:
            return value
    return value


def _match(data: WorkbookData, old: Existing, file: str, result: ImportResult) -> list[Debt]:
    sheet = SHEETS[ITEMS]
    seen: dict[str, Row] = {}
    new_rows: list[Row] = []
    for row in data.rows[ITEMS]:
        debt_id = row.values.get("id")
        if isinstance(debt_id, str) and debt_id in seen:
            result.issues.append(cell_issue(file, ITEMS, row.row, sheet.index("id") or 1, "E709",
                                            f"欠款编号“{debt_id}”与第 {seen[debt_id].row} 行重复"))
            continue
        if isinstance(debt_id, str):
            seen[debt_id] = row
        if debt_id not in old.ids:
            new_rows.append(row)
    for debt_id in old.ids:
        if debt_id not in seen:
            result.issues.append(cell_issue(file, ITEMS, 0, 0, "E710", f"欠款 {debt_id} 不在工作簿中"))
    fresh = iter(_next_ids([*old.ids, *seen], sum("id" not in r.values for r in new_rows)))
    ordered: list[tuple[str, Row]] = [(i, seen[i]) for i in old.ids if i in seen]
    for row in new_rows:
        debt_id = row.values.get("id")
        ordered.append((debt_id if isinstance(debt_id, str) else next(fresh), row))
    result.new_ids = [debt_id for debt_id, row in ordered if row in new_rows]
    lists = _sub_rows(data, {debt_id for debt_id, _row in ordered}, file, result)
    debts = []
    for debt_id, row in ordered:
        entry = Entry({**_filled(row), "id": debt_id}, Origin(ITEMS, row.row, ""))
        by_list = {name: _keep_order(old.entries.get((debt_id, name), []), lists.get((debt_id, name), []), name)
                   for name in SUB_SHEETS}
        empty = old.empty_lists.get(debt_id, frozenset({"payments"}))  # new debts: like the examples
        debts.append(Debt(entry, by_list, empty))
    return debts


def _filled(row: Row) -> dict[str, str | bool]:
    return {k: v for k, v in row.values.items() if v is not None}


def _sub_rows(data: WorkbookData, ids: set[str], file: str, result: ImportResult
              ) -> dict[tuple[str, str], list[Entry]]:
    grouped: dict[tuple[str, str], list[Entry]] = {}
    for list_field, sheet_name in SUB_SHEETS.items():
        for row in data.rows[sheet_name]:
            ref = row.values.get("item")
            if ref not in ids:
                if isinstance(ref, str):
                    result.issues.append(cell_issue(file, sheet_name, row.row, 1, "E709",
                                                    f"欠款编号“{ref}”在 欠款 表中没有"))
                continue
            values = {k: v for k, v in _filled(row).items() if k != "item"}
            grouped.setdefault((str(ref), list_field), []).append(Entry(values, Origin(sheet_name, row.row, "")))
    return grouped


def _keep_order(recorded: list[tuple], entries: list[Entry], list_field: str) -> list[Entry]:
    """Recorded entries first, in their recorded order (the lists are append-only, and a
    sorted sheet must not reorder them), then the new ones in sheet order."""
    keys = list(ITEM[list_field]["schema"]["schema"])
    keyed = [(tuple(e.values.get(k) for k in keys), e) for e in entries]
    have = Counter(key for key, _e in keyed)
    if any(have[key] < count for key, count in Counter(recorded).items()):
        return entries  # something recorded was changed; the change check reports it
    ordered, rest = [], list(keyed)
    for key in recorded:
        index = next(i for i, (k, _e) in enumerate(rest) if k == key)
        ordered.append(rest.pop(index)[1])
    return ordered + [e for _k, e in rest]


def _next_ids(used: list[str], count: int) -> list[str]:
    """Fresh ids after the highest numbered one in use, in its style (A007 -> A008)."""
    prefix, width, top = "A", 3, 0
    for debt_id in used:
        match = _ID_NUMBER.fullmatch(debt_id)
        if match and int(match.group(2)) >= top:
            prefix, width, top = match.group(1), len(match.group(2)), int(match.group(2))
    taken, number = set(used), top
    out: list[str] = []
    while len(out) < count:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
        if candidate not in taken:
            out.append(candidate)
    return out


def _validate(rel: str, text: str, records: Records, old: Ledger | None) -> list[Issue]:
    """The validator's verdict on the new text: its own checks, the cross-file ones, and the
    change rules against the ledger it replaces (a payment rewritten, an amount changed with no
    correction): what the merge check would refuse, said now at the workbook's cells."""
    checked = check_one(rel, text.encode("utf-8"))
    others = [led for led in records.ledgers if led.path != rel]
    unreadable = records.unreadable - {rel} | (set() if checked.record else {rel})
    merged = Records(records.units, others, records.clue_ledgers, records.cases, unreadable, records.measures,
                     records.measures_path)
    if checked.record is not None:
        merged.add(checked.record)
    changed = list(ledger_change(old, checked.record)) if old and isinstance(checked.record, Ledger) else []
    return checked.issues + [i for i in check_cross(merged) if i.path == rel] + changed


def _at_cell(issue: Issue, origins: list[Origin | None], lines: list[str], file: str) -> Issue:
    origin = origins[issue.line - 1] if 0 < issue.line <= len(origins) else None
    words = in_clerk_words(issue.code, issue.message)  # the fix as the template says it, not the YAML
    if origin is None:
        return Issue(file, 0, 0, issue.code, words, issue.severity, "")
    if origin.sheet == INFO:
        return Issue(file, origin.row, 2, issue.code, words, issue.severity, INFO)
    sheet = SHEETS[origin.sheet]
    keys = [(m.start(1) + 1, m.group(1)) for m in re.finditer(r"([a-z_]+): ", lines[issue.line - 1])]
    key = next((k for start, k in reversed(keys) if start <= issue.col), "")
    col = sheet.index(origin.prefix + key)
    if col is None:  # the line's own key (payments:, creditor:): its first column, else the id
        starts = [i for i, c in enumerate(sheet.columns, 1) if origin.prefix and c.field.startswith(origin.prefix)]
        col = starts[0] if starts else 1
    # the column as the template heads it: the clerk filled a sheet, not the YAML its message names
    header = sheet.columns[col - 1].header if 0 < col <= len(sheet.columns) else None
    message = f"“{header}”列：{words}" if header else words
    return Issue(file, origin.row, col, issue.code, message, issue.severity, origin.sheet)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)  # never a half-written ledger
