"""The content-hash cache gives the same answers as a cold run, and lives outside the tree."""

import json
import shutil

from generator.core.config import load_campaign
from generator.validate.cache import cache_dir
from generator.validate.pipeline import validate_repo
from generator.validate.result_cache import ResultCache
from helpers import REPO, edit, git

LEDGER = "ledgers/arrears/sl-jtj.yaml"


def answers(report):
    return sorted((i.path, i.line, i.code, i.message) for i in report.issues)


def test_warm_run_after_a_change_matches_a_cold_run(mini):
    first = validate_repo(mini, jobs=1, cache=True)
    assert answers(first) == answers(validate_repo(mini, jobs=1))
    edit(mini, LEDGER, "clue: TS2022-001", "clue: TS2022-404")  # breaks a cross-file reference
    edit(mini, "units/sl-czj.yaml", "type: 机关", "type: 局")  # and a per-file rule elsewhere
    warm, cold = validate_repo(mini, jobs=1, cache=True), validate_repo(mini, jobs=1)
    assert answers(warm) == answers(cold)
    assert {(i.path, i.code) for i in warm.errors} >= {(LEDGER, "E406"), ("units/sl-czj.yaml", "E204")}
    assert warm.stats == cold.stats


def test_only_changed_files_are_checked_again(mini, monkeypatch):
    validate_repo(mini, jobs=1, cache=True)
    checked = []
    import generator.validate.pipeline as validate_module

    real = validate_module.check_one
    monkeypatch.setattr(validate_module, "check_one", lambda p, d, *rest: checked.append(p) or real(p, d, *rest))
    edit(mini, LEDGER, "notes: 分两期支付", "notes: 分两期支付，已催办")
    validate_repo(mini, jobs=1, cache=True)
    assert checked == [LEDGER]


def test_cache_is_outside_the_tree_and_safe_to_delete(mini):
    git(mini, "init", "-q")
    validate_repo(mini, jobs=1, cache=True)
    assert not cache_dir(mini).is_relative_to(mini)
    status = git(mini, "status", "--porcelain", "--ignored")
    assert ".cache" not in status and "json" not in status
    shards = sorted(ResultCache.open(mini, load_campaign(mini)).folder.glob("*.json"))
    assert shards
    for shard in shards:
        shard.write_bytes(b"not a cache file")  # corrupt: those files are checked afresh
    assert validate_repo(mini, jobs=1, cache=True).valid
    assert all(json.loads(shard.read_bytes().partition(b"\n")[2]) for shard in shards)  # and rewritten
    shutil.rmtree(cache_dir(mini))
    assert validate_repo(mini, jobs=1, cache=True).valid


def test_deleted_files_leave_the_cache(mini):
    validate_repo(mini, jobs=1, cache=True)
    (mini / "ledgers/cases/2022-002.yaml").unlink()
    validate_repo(mini, jobs=1, cache=True)
    assert "ledgers/cases/2022-002.yaml" not in ResultCache.open(mini, load_campaign(mini)).records


def test_every_kind_of_record_of_the_example_city_is_cached(tmp_path):
    """Clue progress notes and the office's measures too: a record the cache cannot hold made
    `qingqian validate` (which caches by default) end in a traceback on the example data."""
    for folder in ("units", "ledgers"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    cold = validate_repo(tmp_path, jobs=1)
    assert cold.records.measures and any(c.progress for cl in cold.records.clue_ledgers for c in cl.clues)
    for _ in range(2):  # writes the cache, then reads it
        warm = validate_repo(tmp_path, jobs=1, cache=True)
        assert answers(warm) == answers(cold) and warm.stats == cold.stats
        assert len(warm.records.measures) == len(cold.records.measures)


def test_entries_made_by_the_checkers_read_back_as_checked(mini):
    """Each entry's JSON is made where its file was checked (pipeline._check_for_cache) and
    the shards are those entries joined: reading them back gives the hash of the bytes, the
    problems and the slim record a fresh check gives."""
    from generator.validate.cache import content_hash
    from generator.validate.pipeline import check_one
    from generator.validate.result_cache import slim

    campaign = load_campaign(mini)
    validate_repo(mini, jobs=1, cache=True)
    store = ResultCache.open(mini, campaign)
    assert store.records and not store.dirty  # every shard read back whole
    for path in list(store.records):
        data = (mini / path).read_bytes()
        fresh = check_one(path, data, campaign)
        assert store.get(path, content_hash(data)) == (fresh.issues, slim(fresh.record)), path
    assert any(store.get(path, store.records[path][0])[0] for path in store.records)  # some file has warnings
    assert not store.dirty


def test_a_file_whose_problems_are_not_reported_has_them_left_unread(mini):
    """A one-file check (validate PATH) needs the others' records, not their warnings, which
    stay in their shards' issues files unread; asked for later, they are there, and an entry
    whose problems do not decode is a miss."""
    from generator.validate.cache import content_hash
    from generator.validate.pipeline import check_one
    from generator.validate.result_cache import shard_of

    campaign = load_campaign(mini)
    validate_repo(mini, jobs=1, cache=True)
    store = ResultCache.open(mini, campaign)
    digest = content_hash((mini / LEDGER).read_bytes())
    issues, record = store.get(LEDGER, digest, with_issues=False)
    assert issues == [] and record is not None and not store.read and not store.issues
    assert store.get(LEDGER, digest)[0] == check_one(LEDGER, (mini / LEDGER).read_bytes(), campaign).issues
    assert store.read == {shard_of(LEDGER)}
    for rows in ([["x", 1]], [[LEDGER, "1", 1, "W501", "text", "warning", ""]], {"not": "a list"}):
        store.issues[LEDGER] = (digest, rows)
        assert store.get(LEDGER, digest) is None
