"""Work spread over processes gives what one process gives, in the same order."""

import os
from dataclasses import replace
from functools import partial
from pathlib import Path

from generator.core.running import PARALLEL_FROM, in_chunks
from generator.site.downloads import template_path, write_templates
from generator.validate.pipeline import validate_repo
from helpers import REPO


def _square_all(offset: int, numbers: list[int]) -> list[int]:
    return [n * n + offset for n in numbers]


def test_chunks_keep_the_input_order():
    numbers = list(range(PARALLEL_FROM * 3 + 7))
    assert in_chunks(partial(_square_all, 1), numbers, jobs=2) == [n * n + 1 for n in numbers]


def test_the_garbage_collector_is_handed_back_as_it_was(mini_office):
    """Collection is paused while results arrive and the build's data kept out of it
    (running.collection_paused, kept_out_of_collection); afterwards, with or without an
    error, the collector is as it was, so no caller's objects stay uncollectable."""
    import gc

    import pytest

    from generator.core.running import kept_out_of_collection

    numbers = list(range(PARALLEL_FROM * 2))
    assert gc.isenabled() and gc.get_freeze_count() == 0  # ... after the session's site builds too
    in_chunks(partial(_square_all, 0), numbers, jobs=2)
    assert gc.isenabled()
    gc.disable()
    try:
        in_chunks(partial(_square_all, 0), numbers, jobs=1)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    with pytest.raises(ZeroDivisionError), kept_out_of_collection() as settle:
        settle()
        assert gc.get_freeze_count() > 0
        print(1 / 0)
    assert gc.get_freeze_count() == 0


def test_templates_written_in_a_pool_are_the_ones_written_in_one_process(tmp_path: Path):
    records = validate_repo(REPO, jobs=1).records
    # enough reporting units for the pool: copies of one with a ledger, under ids of their own
    unit = records.units[records.ledgers[0].unit]
    for n in range(PARALLEL_FROM):
        records.units[f"{unit.id}-{n}"] = replace(unit, id=f"{unit.id}-{n}")
    serial, pooled = tmp_path / "serial", tmp_path / "pooled"
    ids = write_templates(records, serial, jobs=1)
    assert write_templates(records, pooled, jobs=2) == ids and len(ids) >= PARALLEL_FROM
    for unit_id in ids:
        assert (pooled / template_path(unit_id)).read_bytes() == (serial / template_path(unit_id)).read_bytes()


def test_forked_tasks_use_data_made_before_the_fork_and_keep_their_order():
    """The workers find each task in the memory they inherited: a task built on a closure and
    data that was never pickled gives what it gives in this process."""
    from generator.core.running import Forked

    big = [str(n) for n in range(10_000)]
    with Forked(2) as pool:
        tasks = [pool.add(lambda n=n: (n, len(big), big[n], os.getpid())) for n in range(5)]
        pool.start()
        results = [task.result() for task in tasks]
    assert [r[:3] for r in results] == [(n, 10_000, str(n)) for n in range(5)]
    assert any(pid != os.getpid() for *_, pid in results)  # done by the workers
    with Forked(1) as serial:
        one = serial.add(lambda: os.getpid())
        serial.start()
        assert one.result() == os.getpid()  # one job: done here, when asked


def test_a_forked_tasks_error_reaches_the_caller_and_no_task_comes_after_start():
    import pytest

    from generator.core.running import Forked

    with Forked(2) as pool:
        failing = pool.add(lambda: 1 // 0)
        pool.add(lambda: 1)
        pool.start()
        with pytest.raises(ZeroDivisionError):
            failing.result()
        with pytest.raises(RuntimeError):
            pool.add(lambda: 2)


def test_with_another_thread_running_the_workers_are_not_forked_copies_and_get_the_same_results():
    """A thread's locks would be copied held into a forked worker: beside a thread (serve's web
    server) the tasks are pickled to workers of a fresh process instead."""
    import threading
    from functools import partial

    from generator.core.running import Forked

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with Forked(2) as pool:
            tasks = [pool.add(partial(divmod, n, 3)) for n in range(5)]
            pids = pool.add(os.getpid)
            pool.start()
            assert [task.result() for task in tasks] == [divmod(n, 3) for n in range(5)]
            assert pids.result() != os.getpid()
            assert pool.pool is not None and pool.pool._mp_context.get_start_method() != "fork"
    finally:
        stop.set()
        thread.join()
