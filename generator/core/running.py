"""Long work: spread over the cores, and its progress shown while it runs.

Parallel: contiguous chunks, results in input order. Progress: a province build runs for
minutes and should say what it is doing; the stages report to a `Progress` the command line
makes (on a terminal a tqdm bar per stage, elsewhere one line per finished stage, so a log is
not flooded with bar redraws). Library code receives `SILENT` unless a caller asks.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 200  # below this many items a process pool costs more than it saves


def _ignore(_done: int) -> None:
    return None


_INHERITED: dict[int, list[Callable[[], Any]]] = {}  # the tasks of each started Forked, by its id


def _run_inherited(key: int, number: int) -> Any:
    """In a forked worker: task `number` of the Forked `key`, from the memory it inherited."""
    return _INHERITED[key][number]()


def _worker_started() -> None:
    """What a forked worker inherited stays out of its garbage collector's passes: a pass would
    touch every inherited object and so copy the parent's memory (gigabytes at province scale)."""
    gc.freeze()


def _fork_context() -> Any:
    """Linux's fork, where this process has no other thread (a thread's locks would be copied
    held); None: see `_fresh_context`."""
    import multiprocessing
    import sys
    import threading

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None


def can_fork() -> bool:
    """Whether Forked's workers are forked here (see `_fork_context`)."""
    return _fork_context() is not None


def _fresh_context() -> Any:
    """Workers that do not copy this process (each task is pickled to them): forkserver where
    there is one, else spawn. Not the platform's default, which is fork on Linux even when
    this process has threads (`qingqian serve` has its web server's)."""
    import multiprocessing

    return multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                       else "spawn")


class Task(Generic[R]):
    """One task of a Forked; `result` waits for it (or, without a pool, does it)."""

    def __init__(self, pool: Forked, number: int) -> None:
        self.pool, self.number = pool, number

    def result(self) -> R:
        return self.pool.result(self.number)


class Forked:
    """Tasks (functions without arguments) done by worker processes while the caller does
    other work. The workers are forked once every task is added (`start`), so a task's data
    (the records, the rows of 100,000 debts) is in their memory already: only the task's
    number goes to a worker and only its result comes back (pickling the records of 10,000
    units to the template workers cost the parent 3.5 s and them 4.7 s). With one job, or
    no fork, see `_fork_context`. Use it as a context manager: leaving it stops the workers."""

    def __init__(self, jobs: int | None = None, pickles: bool = True) -> None:
        """`pickles` False: the tasks' data cannot be pickled (templates, mkdocs' state), so
        where workers cannot be forked the tasks are done in this process."""
        self.jobs = jobs or os.cpu_count() or 1
        self.pickles = pickles
        self.tasks: list[Callable[[], Any]] = []
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[Any]] = []
        self.done: dict[int, Any] = {}  # without a pool: the results of the tasks done here

    def add(self, task: Callable[[], R]) -> Task[R]:
        if self.pool is not None:
            raise RuntimeError("Forked: a task added after start would not be in the workers' memory")
        self.tasks.append(task)
        return Task(self, len(self.tasks) - 1)

    def start(self) -> None:
        """Hand every task to the workers, in the order added. With one job nothing happens:
        each task is done in this process when its result is asked for."""
        if self.jobs == 1 or not self.tasks or self.pool is not None:
            return
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when a pool is made

        context = _fork_context()
        if context is None and not self.pickles:
            return
        self.pool = ProcessPoolExecutor(min(self.jobs, len(self.tasks)), mp_context=context or _fresh_context(),
                                        initializer=None if context is None else _worker_started)
        if context is None:
            self.futures = [self.pool.submit(task) for task in self.tasks]  # task and its data pickled
            return
        _INHERITED[id(self)] = self.tasks
        self.futures = [self.pool.submit(_run_inherited, id(self), number) for number in range(len(self.tasks))]

    def result(self, number: int) -> Any:
        if self.pool is not None:
            return self.futures[number].result()
        if number not in self.done:
            self.done[number] = self.tasks[number]()
        return self.done[number]

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        _INHERITED.pop(id(self), None)


class Chunks(Generic[T, R]):
    """`worker` over `items`, in worker processes when there are many, started at once so the
    caller can do other work meanwhile; `results` waits for them. A few chunks per core keep
    the cores busy to the end. Given a `pool` (not started yet), the chunks are tasks of it,
    beside its other tasks; else of a pool of its own, started at once. Use it as a context
    manager: leaving it stops the workers of its own pool."""

    def __init__(self, worker: Callable[[list[T]], list[R]], items: list[T], jobs: int | None = None,
                 pool: Forked | None = None) -> None:
        self.items = items
        self.own = pool is None
        self.pool = pool or Forked(jobs if len(items) >= PARALLEL_FROM else 1)
        parallel = self.pool.jobs > 1 and len(items) >= PARALLEL_FROM
        size = max(len(items) // (self.pool.jobs * 4), 1) if parallel else max(len(items), 1)
        self.parts = [(self.pool.add(partial(worker, items[start:start + size])), len(items[start:start + size]))
                      for start in range(0, len(items), size)]
        if self.own:
            self.pool.start()

    def results(self, advance: Callable[[int], None] = _ignore) -> list[R]:
        """All results in input order; `advance` is told the items done as chunks finish."""
        with collection_paused():
            results: list[R] = []
            for task, done in self.parts:
                results += task.result()
                advance(done)
            return results

    def __enter__(self) -> Chunks[T, R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.own:
            self.pool.__exit__(kind, error, trace)


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while many long-lived objects are made at once (the
    records of 100,000 debts arriving from the workers): each full pass would walk all of
    them again as they grow, a quarter of the parent's time in a check of 1,000 ledgers."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def kept_out_of_collection() -> Iterator[Callable[[], None]]:
    """The objects alive now, and those alive whenever the yielded function is called, are
    left out of the cyclic garbage collector's passes until the block ends: a site build
    keeps the records, the items frame and every page's data to the end, and mkdocs' full
    collections walked them all again and again (a tenth of a build of 1,000 units). They are
    handed back to the collector when the block ends."""
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def in_chunks(worker: Callable[[list[T]], list[R]], items: list[T], jobs: int | None = None) -> list[R]:
    """`worker` over `items`, in a process pool when there are many (see Chunks)."""
    with Chunks(worker, items, jobs) as chunks:
        return chunks.results()


Advance = Callable[[int], None]


class Progress:
    """Where stages report; `stream` None: nowhere."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    @contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = "个") -> Iterator[Advance]:
        """A stage of `total` steps (None: not counted); the caller calls the yielded
        function with the steps done since its last call."""
        if self.stream is None:
            yield _ignore
            return
        if self.stream.isatty():
            from tqdm import tqdm  # only a terminal needs it; `validate` should not load it

            # no monitor thread: Forked forks only a process without other threads (a thread's
            # locks would be copied held), and a bar's thread made every later stage single-core
            tqdm.monitor_interval = 0
            with tqdm(total=total, desc=label, unit=unit, file=self.stream, leave=False,
                      dynamic_ncols=True) as bar:
                yield bar.update
            return
        done = [0]
        start = time.perf_counter()

        def advance(steps: int) -> None:
            done[0] += steps

        yield advance
        counted = f"：{done[0]:,} {unit}" if total is not None or done[0] else ""
        print(f"{label}{counted}（{time.perf_counter() - start:.1f} s）", file=self.stream, flush=True)


SILENT = Progress()
