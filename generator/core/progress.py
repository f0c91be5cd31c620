"""Progress of long work: a province build runs for minutes and should say what it is doing.

The stages report to a `Progress` the command line makes: on a terminal, a tqdm bar per
stage (stage name and count); elsewhere (CI logs, pipes) one line per finished stage, so a log
is not flooded with bar redraws. Library code receives `SILENT` unless a caller asks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

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


def _ignore(_steps: int) -> None:
    return None


SILENT = Progress()
