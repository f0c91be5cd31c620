"""One way to spread work over the cores: contiguous chunks, results in input order."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 200  # below this many items a process pool costs more than it saves


def in_chunks(worker: Callable[[list[T]], list[R]], items: list[T], jobs: int | None = None) -> list[R]:
    """`worker` over `items`, in a process pool when there are many. A few chunks per core keep
    the cores busy to the end while each chunk is pickled once; `worker` must be picklable."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(items) < PARALLEL_FROM:
        return worker(items)
    size = max(len(items) // (jobs * 4), 1)
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(jobs) as pool:
        return [result for batch in pool.map(worker, chunks) for result in batch]
