"""The validation and history caches live in a folder others may write: nothing read from
it can run code, make an invalid ledger pass, follow a planted link or put markup on a page."""

import json
import os
import pickle
import stat
from datetime import date

from generator.core.config import Config, load_campaign
from generator.history.period_report import build_report
from generator.history.report_json import json_form
from generator.history.state import History
from generator.validate.cache import KEY_FILE, FactCache, cache_base, cache_dir, decode, encode
from generator.validate.pipeline import validate_repo
from generator.validate.result_cache import ResultCache
from helpers import commit, edit, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"


class Boom:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def shards(mini):
    return sorted(ResultCache.open(mini, load_campaign(mini)).folder.glob("*"))


def test_a_planted_pickle_runs_nothing(mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    validate_repo(mini, jobs=1, cache=True)
    for shard in shards(mini):
        shard.write_bytes(pickle.dumps({LEDGER: Boom()}))
        shard.with_suffix(".pickle").write_bytes(pickle.dumps({LEDGER: Boom()}))
    assert validate_repo(mini, jobs=1, cache=True).valid
    assert not (tmp_path / "pwned").exists()


def test_a_forged_entry_does_not_make_an_invalid_ledger_pass(mini):
    edit(mini, LEDGER, "    amount: 380000.00", "    amount: 380000.005")
    assert not validate_repo(mini, jobs=1, cache=True).valid
    # Rewrite every shard so the broken ledger's entry claims no problems, keeping the format.
    for shard in shards(mini):
        if shard.name.endswith(".issues.json"):
            mac, _, payload = shard.read_bytes().partition(b"\n")
            entries = json.loads(payload)
            for entry in entries.values():
                entry[1] = []
            shard.write_bytes(mac + b"\n" + json.dumps(entries).encode())
    assert "E206" in {i.code for i in validate_repo(mini, jobs=1, cache=True).errors}


def test_the_key_is_private_to_the_user(mini):
    validate_repo(mini, jobs=1, cache=True)
    key = cache_base() / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert shards(mini)


def test_files_are_json_written_through_fresh_temporary_files(mini):
    validate_repo(mini, jobs=1, cache=True)
    folder = ResultCache.open(mini, load_campaign(mini)).folder
    victim = folder.parent / "victim"
    victim.write_text("keep", encoding="utf-8")
    # A link planted where the old code wrote its temporary file (name.<pid>.tmp) and at the shard itself.
    for n in range(64):
        (folder / f"{n:02d}.{os.getpid()}.tmp").unlink(missing_ok=True)
        (folder / f"{n:02d}.{os.getpid()}.tmp").symlink_to(victim)
    edit(mini, LEDGER, "notes: 分两期支付", "notes: 分两期支付，已催办")
    validate_repo(mini, jobs=1, cache=True)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not list(folder.glob(".tmp-*"))
    for shard in folder.glob("*.json"):
        json.loads(shard.read_bytes().partition(b"\n")[2])


def test_an_unreadable_or_foreign_file_is_a_miss(mini):
    store = FactCache(mini, "reports")
    store.put("k", ({"x": "<script>"}, b"xlsx"))
    store.save()
    assert FactCache.open(mini, "reports").entries == {"k": ({"x": "<script>"}, b"xlsx")}
    text = store.file.read_bytes()
    store.file.write_bytes(text.replace(b"script", b"scrip7"))
    assert FactCache.open(mini, "reports").entries == {}
    store.file.write_bytes(b"\x80garbage")
    assert FactCache.open(mini, "reports").entries == {}
    assert cache_dir(mini).is_relative_to(cache_base())


def test_report_data_and_records_come_back_as_they_went(mini):
    git(mini, "init", "-q", "-b", "main")
    commit(mini, "2022-10-31T09:00:00+08:00", "建立台账")
    data = json_form(build_report(History.read(mini), "month", date(2022, 10, 1), Config()))
    records = validate_repo(mini, jobs=1).records
    value = {"report": (data, b"\x00xlsx"), "records": [*records.units.values(), *records.cases,
                                                        *records.clue_ledgers]}
    assert decode(json.dumps(encode(value)).encode()) == value
