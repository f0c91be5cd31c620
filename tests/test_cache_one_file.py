"""`validate PATH` against the cache (the pre-commit case) gives exactly what a full uncached
check of that path gives, when the changed file breaks references across files, when git's
index spares reading the others, and when the cache's records files are forged or broken."""

import hashlib
import hmac
import json
import os

import pytest

from generator.cli.main import main
from generator.cli.outputs import summary
from generator.core.config import load_campaign
from generator.validate import pipeline
from generator.validate.cache import cache_base, write_signed
from generator.validate.pipeline import validate_repo
from generator.validate.result_cache import ResultCache
from helpers import edit, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"
OTHER = "units/sl-czj.yaml"

# A changed file that breaks references held by other files, or that other files hold.
CHANGES = {
    # A003 renamed: the clue's item and the case's debt no longer exist (E408 in two other
    # files), the renamed debt's clue names another debt (E407), another debt cites a missing clue (E406)
    LEDGER: [("  - id: A003", "  - id: A033"), ("    clue: TS2022-001", "    clue: TS2022-001\n    notes: 改")],
    # a second clue with an id already used (E409), naming a debt of another ledger (E408)
    CLUES: [("  - id: TS2022-002", "  - id: TS2022-001")],
}


def _break(mini, path):
    for old, new in CHANGES[path]:
        edit(mini, path, old, new)
    if path == LEDGER:
        edit(mini, LEDGER, "  - id: A001", "  - id: A001\n    clue: TS2022-404")


def _same(cached, full):
    assert cached.issues == full.issues  # the same problems in the same order
    assert (cached.stats, cached.files, summary(cached)) == (full.stats, full.files, summary(full))


@pytest.mark.parametrize("in_git", [False, True], ids=["folder", "git"])
@pytest.mark.parametrize("path", list(CHANGES))
def test_one_changed_file_checked_against_the_cache_is_a_full_check(mini, path, in_git, monkeypatch):
    if in_git:
        git(mini, "init", "-q", "-b", "main")
        git(mini, "add", "-A")
        git(mini, "commit", "-qm", "base")
    validate_repo(mini, jobs=1, cache=True)  # fills the cache
    _break(mini, path)
    read = []
    real = pipeline._read
    monkeypatch.setattr(pipeline, "_read", lambda root, p: read.append(p) or real(root, p))
    cached = validate_repo(mini, [path], jobs=1, cache=True)
    # in a git work tree the files git's index holds unchanged are not read, only the changed one
    assert (set(read) == {path}) == in_git, sorted(read)[:3]
    full = validate_repo(mini, [path], jobs=1)
    _same(cached, full)
    assert {i.code for i in cached.issues} >= ({"E406", "E407", "E408"} if path == LEDGER else {"E409"})
    assert any(i.path != path for i in cached.errors) == (path == LEDGER)  # other files' errors too
    _same(validate_repo(mini, [path], jobs=1, cache=True), full)  # and again, the change now cached


def test_the_command_line_says_the_same_with_and_without_the_cache(mini, capsys):
    main(["validate", "--root", str(mini)])  # fills the cache
    _break(mini, LEDGER)
    capsys.readouterr()
    outputs = []
    for extra in ([], ["--no-cache"]):
        code = main(["validate", "--root", str(mini), *extra, LEDGER])
        outputs.append((code, *capsys.readouterr()))
    assert outputs[0] == outputs[1] and outputs[0][0] == 1 and "E408" in outputs[0][1]


def test_a_file_git_is_told_to_ignore_is_read_all_the_same(mini):
    """`git update-index --assume-unchanged` hides a change from git's stat check: such an
    entry is not taken from the index, so the change is seen."""
    git(mini, "init", "-q", "-b", "main")
    git(mini, "add", "-A")
    git(mini, "commit", "-qm", "base")
    validate_repo(mini, jobs=1, cache=True)
    git(mini, "update-index", "--assume-unchanged", CLUES)
    _break(mini, CLUES)
    with open(mini / OTHER, "a", encoding="utf-8") as unit:
        unit.write("# 改\n")
    cached = validate_repo(mini, [OTHER], jobs=1, cache=True)
    _same(cached, validate_repo(mini, [OTHER], jobs=1))
    assert "E409" in {i.code for i in cached.errors}


def _records_files(mini):
    return sorted(ResultCache.open(mini, load_campaign(mini)).folder.glob("*.records.json"))


def _entries(file):
    mac, _, payload = file.read_bytes().partition(b"\n")
    return mac, json.loads(payload)


def _forge_claims(entries):
    """Every ledger's record claims no debts and no clue references: if believed, the
    changed ledger's broken references would go unnoticed by the other files' rules."""
    for value in entries.values():
        if value[2] and value[2][0] == "l":
            value[2][3], value[2][4] = [], []
    return json.dumps(entries, ensure_ascii=False).encode()


def _other_key(file, payload):
    where = file.relative_to(cache_base()).as_posix().encode()
    return hmac.new(os.urandom(32), where + b"\0" + payload, hashlib.sha256).hexdigest().encode()


HOSTILE = {
    "forged": lambda file: file.write_bytes(_entries(file)[0] + b"\n" + _forge_claims(_entries(file)[1])),
    "other key": lambda file: file.write_bytes(
        _other_key(file, payload := _forge_claims(_entries(file)[1])) + b"\n" + payload),
    "truncated": lambda file: file.write_bytes(file.read_bytes()[:len(file.read_bytes()) // 2]),
    "moved": None,  # each shard's file, signed, put in the place of another shard's
    # signed with the user's key but not of a shape we write: still only a miss
    "odd rows": lambda file: write_signed(file, json.dumps(
        {path: [value[0], 7, ["u", 1]] for path, value in _entries(file)[1].items()}).encode()),
    "wrong shard": lambda file: write_signed(file, json.dumps(
        {f"{path}.other": value for path, value in _entries(file)[1].items()}).encode()),
}


@pytest.mark.parametrize("attack", list(HOSTILE))
@pytest.mark.parametrize("in_git", [False, True], ids=["folder", "git"])
def test_a_broken_or_forged_records_file_is_only_a_miss(mini, attack, in_git):
    if in_git:
        git(mini, "init", "-q", "-b", "main")
        git(mini, "add", "-A")
        git(mini, "commit", "-qm", "base")
    validate_repo(mini, jobs=1, cache=True)
    files = _records_files(mini)
    assert len(files) > 1
    originals = {file: file.read_bytes() for file in files}
    for file, other in zip(files, files[1:] + files[:1], strict=True):
        if attack == "moved":
            file.write_bytes(originals[other])
        else:
            HOSTILE[attack](file)
        assert file.read_bytes() != originals[file]
    _break(mini, LEDGER)
    cached = validate_repo(mini, [LEDGER], jobs=1, cache=True)
    _same(cached, validate_repo(mini, [LEDGER], jobs=1))
    assert {"E406", "E407", "E408"} <= {i.code for i in cached.errors}
    store = ResultCache.open(mini, load_campaign(mini))
    assert not store.dirty and LEDGER in store.records  # the shards were rewritten whole


def test_a_records_row_reads_back_as_the_slim_record(mini):
    """Rows are written and read by explicit code per kind; a record holding a value of a type
    the rows do not expect takes the general tagged form, and reads back all the same."""
    from dataclasses import replace

    from generator.validate.result_cache import record_of, record_row, slim

    report = validate_repo(mini, jobs=1)
    records = [*report.records.units.values(), *report.records.ledgers, *report.records.clue_ledgers,
               *report.records.cases]
    odd = replace(slim(report.records.ledgers[0]), followup_by=[(12345, (3, 4))])
    for record in [*records, odd]:
        kept = slim(record)
        row = json.loads(json.dumps(record_row(kept)))
        assert row[0] == ("o" if record is odd else {"Unit": "u", "LedgerRefs": "l"}.get(type(kept).__name__, "o"))
        assert record_of(record.path, row) == kept, record.path


def test_data_in_a_subfolder_of_the_work_tree_meets_git_index(tmp_path, mini, monkeypatch):
    """The data root need not be the top of the work tree: git's paths are taken relative to it."""
    top = tmp_path / "top"
    top.mkdir()
    data = mini.rename(top / "data")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "base")
    validate_repo(data, jobs=1, cache=True)
    _break(data, LEDGER)
    read = []
    real = pipeline._read
    monkeypatch.setattr(pipeline, "_read", lambda root, p: read.append(p) or real(root, p))
    cached = validate_repo(data, [LEDGER], jobs=1, cache=True)
    assert set(read) == {LEDGER}
    monkeypatch.undo()
    _same(cached, validate_repo(data, [LEDGER], jobs=1))
