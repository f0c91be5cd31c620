"""Change rules: what a pull request may change compared with its base revision, and who may.

The repository is the system of record: debts and clues are never deleted, payments are
append-only, a recorded amount, date, creditor or contract changes only with a new
`corrections` entry, `as_of` never goes back, and each unit edits only its own files.
Permissions come from the base revision's registry, so nobody can grant themselves access
in the change that uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.builders import BUILDERS
from ..core.gitrepo import REGULAR, SUBMODULE, SYMLINK, GitError, git
from ..core.issues import Issue, make, readable_name
from ..core.ledgerdiff import DebtDiff, diff_items, first_rewritten
from ..core.load import load_file
from ..core.model import ClueLedger, Confirmation, Ledger, MeasureLedger, Records, Unit, login_in
from ..core.schema import file_id, item_field_label, kind_of
from ..core.vocab import UnitStatus, UnitType
from .authority import Authors, clue_records, ledger_records


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D, T (git diff letters; renames are not paired, see changes())
    path: str
    old_path: str  # the same path: a rename is a deletion and an addition
    old_mode: str
    new_mode: str


def changes(root: Path, base: str) -> list[Change]:
    """Every path that differs between `base` and the working tree, untracked files included.

    Paths, not git's pairing of them: a file whose text resembles a deleted one is not a
    rename of it (git's similarity guess would hide the deletion), so rename detection is
    off and every path of the base that the change lacks is a deletion (status D)."""
    if base.startswith("-"):
        raise GitError(f"基准版本“{base}”不能以 - 开头")
    try:
        git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}")
    except GitError:
        raise GitError(f"找不到基准版本“{base}”") from None
    # A file name need not be UTF-8: its bytes are kept (surrogateescape) and reported by _shape.
    raw = git(root, "diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--end-of-options", base,
              "--").decode("utf-8", "surrogateescape")
    fields = raw.split("\0")
    found = []
    for meta, path in zip(fields[0:-1:2], fields[1::2], strict=False):
        old_mode, new_mode, _old, _new, status = meta.lstrip(":").split()
        found.append(Change(status[0], path, path, old_mode, new_mode))
    untracked = git(root, "ls-files", "-z", "--others", "--exclude-standard").decode("utf-8", "surrogateescape")
    found += [Change("A", p, p, "000000", REGULAR) for p in untracked.split("\0") if p]
    return found


def _built(path: str, data: bytes):
    kind = kind_of(path)
    if kind is None:
        return None
    loaded = load_file(path, data)
    return BUILDERS[kind](path, loaded.tree) if loaded.tree is not None else None


def base_record(root: Path, base: str, path: str):
    return _built(path, git(root, "show", f"{base}:{path}"))


def current_record(root: Path, path: str):
    """The working-tree version, read here so the rules need only the changed files."""
    file = root / path
    return _built(path, file.read_bytes()) if file.is_file() and not file.is_symlink() else None


def base_registry(root: Path, base: str) -> Records:
    records = Records()
    listing = git(root, "ls-tree", "-z", "--name-only", base, "units/").decode("utf-8")
    for path in filter(None, listing.split("\0")):
        if path.endswith(".yaml") and (record := base_record(root, base, path)) is not None:
            records.add(record)
    return records


def check_change(root: Path, base: str, actors: list[str] | None) -> list[Issue]:
    """The change rules, and with `actors` (the pull request's author and every commit's
    author) whether each of them may change every changed path, and every record in it."""
    found = changes(root, base)
    issues: list[Issue] = []
    registry = base_registry(root, base)
    office = registry.office_maintainers()
    by_office = bool(actors) and all(login_in(actor, office) for actor in actors or ())
    authors = Authors(registry, actors or [])
    if actors:
        for actor in dict.fromkeys(actors):
            issues += _ownership(found, registry, actor)
    issues += _moved(root, base, found)
    for change in found:
        issues += _shape(change)
        issues += _halted(root, registry, change, by_office)
        if change.status == "D":
            if not (by_office and _halted_unit(root, change.path) is not None):
                issues += _deleted(root, base, change)
            continue
        old = base_record(root, base, change.path) if change.status != "A" and change.old_mode != SYMLINK else None
        new = current_record(root, change.path)
        if isinstance(new, Ledger):
            issues += ledger_records(old if isinstance(old, Ledger) else None, new, authors)
        elif isinstance(new, ClueLedger):
            issues += clue_records(old if isinstance(old, ClueLedger) else None, new, authors)
        if isinstance(old, Ledger) and isinstance(new, Ledger):
            issues += ledger_change(old, new)
        elif isinstance(old, MeasureLedger) and isinstance(new, MeasureLedger):
            issues += _measures_change(old, new)
        elif isinstance(old, ClueLedger) and isinstance(new, ClueLedger):
            kept = {c.id for c in new.clues}
            issues += [make(change.path, *new.at.get("clues", (1, 1)), "E601", f"线索 {clue.id}")
                       for clue in old.clues if clue.id not in kept]
    return issues


def _moved(root: Path, base: str, found: list[Change]) -> Iterator[Issue]:
    """A file git would pair as renamed into another unit's name. The deleted path is a
    deletion all the same (E601, judged by path); this names the move as well."""
    if not any(c.status == "D" for c in found) or not any(c.status == "A" for c in found):
        return
    raw = git(root, "diff", "--name-status", "-z", "-M", "--diff-filter=R", "--end-of-options", base, "--")
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    for i in range(0, len(fields) - 2, 3):
        before, after = fields[i + 1], fields[i + 2]
        if _owner_of(before) != _owner_of(after):
            yield make(after, 1, 1, "E607", f"{before} → {after}")


def _halted_unit(root: Path, path: str) -> Unit | None:
    """The unit owning a ledger path when the working tree marks it 停产 with a halt date."""
    owner = _owner_of(path)
    unit = current_record(root, f"units/{owner}.yaml") if owner and kind_of(path) == "arrears" else None
    return unit if isinstance(unit, Unit) and unit.status == UnitStatus.HALTED and unit.halted else None


def _halted(root: Path, registry: Records, change: Change, by_office: bool) -> Iterator[Issue]:
    """A ledger of a unit already halted in the base revision is read-only (its history is the
    record); only the office may still remove it."""
    owner = _owner_of(change.path)
    unit = registry.units.get(owner) if owner and kind_of(change.path) == "arrears" else None
    if unit is None or unit.status != UnitStatus.HALTED or unit.halted is None:
        return
    if change.status == "D" and by_office:
        return
    yield make(change.path, 1, 1, "E610", f"{unit.name} 自 {unit.halted} 起停产")


def _shape(change: Change) -> Iterator[Issue]:
    if not readable_name(change.path):
        yield make(change.path, 1, 1, "E110", "文件名不是 UTF-8 编码或含有控制字符，请改用普通的文件名")
    if change.new_mode in (SYMLINK, SUBMODULE):
        what = "符号链接" if change.new_mode == SYMLINK else "子模块"
        yield make(change.path, 1, 1, "E608", what)


def _deleted(root: Path, base: str, change: Change) -> Iterator[Issue]:
    kind = kind_of(change.path)
    if kind == "arrears":
        old = base_record(root, base, change.path)
        count = len(old.items) if old else 0
        yield make(change.path, 1, 1, "E601", f"删除了整本台账（{count} 笔欠款）")
    elif kind == "clues":
        yield make(change.path, 1, 1, "E601", "删除了整本线索台账")
    elif kind == "measures":
        yield make(change.path, 1, 1, "E630", "删除了整个措施文件")


def ledger_change(old: Ledger, new: Ledger) -> Iterator[Issue]:
    """What the rules forbid between two versions of a debt ledger, at the new one's lines
    (also asked by `qingqian import`, before it writes a workbook over the ledger)."""
    path = new.path
    if new.as_of < old.as_of:
        yield make(path, *new.at["as_of"], "E605", f"由 {old.as_of} 改为 {new.as_of}")
    for debt in diff_items(old.items, new.items):
        if debt.kind == "removed":
            assert debt.old is not None
            yield make(path, *new.at.get("items", (1, 1)), "E601", f"欠款 {debt.id}（{debt.old.creditor_name}）")
        elif debt.kind == "kept":
            yield from _item_change(path, debt, old.as_of)


def _item_change(path: str, debt: DebtDiff, base_as_of: date) -> Iterator[Issue]:
    before, after = debt.old, debt.new
    assert before is not None and after is not None
    # A correction counts only with a reason: a blank one must not let an amount fall or a payment go.
    corrected = {name for day, name, reason in debt.corrections_added if day >= base_as_of and reason.strip()}
    if debt.corrections_rewritten:
        yield make(path, *after.at.get("corrections", (after.line, 1)), "E603", f"{after.id} 的更正记录")
    if before.creditor_code != after.creditor_code and before.contract_number != after.contract_number:
        yield make(path, *after.at["id"], "E602",
                   f"{after.id} 原为 {before.creditor_name} 合同 {before.contract_number}")
        return
    for name in debt.changed:
        if name not in corrected:
            yield make(path, *after.at[name], "E604", f"{after.id} 的{item_field_label(name)}（{name}）")
    if (index := debt.payment_rewritten) is not None and "payments" not in corrected:
        where = after.at.get("payments", (after.line, 1))
        yield make(path, *where, "E603", f"{after.id} 的第 {index + 1} 笔还款")
    yield from _records_change(path, debt, corrected)


def _confirmations_kept(before: list[Confirmation], after: list[Confirmation]) -> int | None:
    """The first recorded request that was deleted or rewritten; an answer may be added to a
    pending one (answered, result, reason filled in), never changed once given."""
    for index, old in enumerate(before):
        if index >= len(after):
            return index
        new = after[index]
        if (old.received, old.purpose) != (new.received, new.purpose):
            return index
        answer = (old.answered, old.result, old.reason)
        if old.answered is not None and answer != (new.answered, new.result, new.reason):
            return index
    return None


def _records_change(path: str, debt: DebtDiff, corrected: set[str]) -> Iterator[Issue]:
    before, after = debt.old, debt.new
    assert before is not None and after is not None
    if "confirmations" not in corrected and (
            index := _confirmations_kept(before.confirmations, after.confirmations)) is not None:
        yield make(path, *after.at.get("confirmations", (after.line, 1)), "E603",
                   f"{after.id} 的第 {index + 1} 条确权记录被删除或改写（未答复的只能补填答复）")
    if "followups" not in corrected and (index := first_rewritten(before.followups, after.followups)) is not None:
        yield make(path, *after.at.get("followups", (after.line, 1)), "E603",
                   f"{after.id} 的第 {index + 1} 条核查记录被删除或改写")


MEASURE_FIXED = ("date", "unit", "kind")


def _measures_change(old: MeasureLedger, new: MeasureLedger) -> Iterator[Issue]:
    current = {m.id: m for m in new.measures}
    for before in old.measures:
        after = current.get(before.id)
        if after is None:
            yield make(new.path, *new.at.get("measures", (1, 1)), "E630",
                       f"措施 {before.id}（{before.unit} {before.kind}）")
            continue
        for name in MEASURE_FIXED:
            if getattr(before, name) != getattr(after, name):
                yield make(new.path, *after.at[name], "E630",
                           f"措施 {before.id} 的 {name} 由“{getattr(before, name)}”改为“{getattr(after, name)}”")


def _owner_of(path: str) -> str | None:
    """The unit whose maintainers own a path, or None for office-only paths."""
    if kind_of(path) in ("arrears", "clues"):
        return file_id(path)
    return None


def _ownership(found: list[Change], registry: Records, actor: str) -> Iterator[Issue]:
    if login_in(actor, registry.office_maintainers()):
        return
    name = actor or "未关联 GitHub 账号的提交作者"
    for change in found:
        for path in {change.old_path, change.path}:
            owner = _owner_of(path)
            unit = registry.units.get(owner) if owner else None
            if unit is None or not login_in(actor, unit.maintainers):
                who = f"单位 {owner} 的维护人（{'、'.join(unit.maintainers)}）" if unit else UnitType.OFFICE
                yield make(path, 1, 1, "E606", f"{name} 不能修改 {path}，只有{who}可以")
