"""`serve`'s server: mkdocs' live-reload server, which serves the site folder, watches the data and
reloads the browsers after each rebuild."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

Server = LiveReloadServer  # serve(), shutdown() and the builder it was given


def live_server(rebuild: Callable[[], None], out: Path, host: str, port: int,
                watched: list[Path]) -> tuple[Server, Callable[[], None]]:
    """The server of `out` on `host:port`, calling `rebuild` when a `watched` path (of those that
    exist) changes; and a function that lets it answer again while `rebuild` still runs.

    The server holds every request while its builder runs (so that no half-built site is seen),
    which at province scale means minutes of no answer. The builder calls the function once it
    knows what is stale: the server answers again and the browsers reload; the pages still stale
    say so themselves (site.js) and reload once rebuilt."""
    server = Server(builder=rebuild, host=host, port=port, root=str(out))

    def published() -> None:
        with server._epoch_cond:  # mkdocs 1.6: what the server does when its builder returns
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()

    for path in watched:
        if path.exists():
            server.watch(str(path))
    return server, published
