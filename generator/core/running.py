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
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TextIO, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 200  # below this many items a process pool costs more than it saves


def _ignore(_done: int) -> None:
    return None


class Chunks(Generic[T, R]):
    """`worker` over `items`, in a process pool when there are many, started at once so the
    caller can do other work meanwhile; `results` waits for them. A few chunks per core keep
    the cores busy to the end while each chunk is pickled once; `worker` must be picklable.
    Use it as a context manager: leaving it stops the workers."""

    def __init__(self, worker: Callable[[list[T]], list[R]], items: list[T], jobs: int | None = None) -> None:
        self.worker, self.items = worker, items
        jobs = jobs or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[tuple[Future[list[R]], int]] = []
        if jobs == 1 or len(items) < PARALLEL_FROM:
            return  # done in this process, when the results are asked for
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when a pool is made

        size = max(len(items) // (jobs * 4), 1)
        self.pool = ProcessPoolExecutor(jobs)
        for start in range(0, len(items), size):
            chunk = items[start:start + size]
            self.futures.append((self.pool.submit(worker, chunk), len(chunk)))

    def results(self, advance: Callable[[int], None] = _ignore) -> list[R]:
        """All results in input order; `advance` is told the items done as chunks finish."""
        with collection_paused():
            if self.pool is None:
                out = self.worker(self.items)
                advance(len(self.items))
                return out
            results: list[R] = []
            for future, done in self.futures:
                results += future.result()
                advance(done)
            return results

    def __enter__(self) -> Chunks[T, R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


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
