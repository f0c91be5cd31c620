"""`qingqian serve`: build one audience's site and serve it, rebuilding when data changes.

The engine's live-reload server (mkdocs') does the serving and the watching; the builder it calls is an
incremental `Session` (site/incremental.py): it re-checks the changed files first, so a ledger
saved with an error keeps the last good site up and prints the problems, as `validate` would,
and then rewrites and rebuilds just the pages the change touched, saying which are still stale.
"""

from __future__ import annotations

import errno
import socket
import sys
from datetime import date
from pathlib import Path

from ..core.config import CONFIG_FILE
from ..core.running import Progress
from . import engine
from .build import Sources
from .incremental import Session


class PortBusy(Exception):
    """The address cannot be listened on: said before building, with the flag that helps."""


def claim(host: str, port: int) -> None:
    """Raise PortBusy unless `host:port` can be listened on (as the server will, reusing
    addresses), so that a busy port is said at once, not after a build and in a traceback."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, OverflowError) as exc:
        raise PortBusy(f"无法使用地址 {host}:{port}（{exc}）；用 --host、--port 指定，如 --host 127.0.0.1") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortBusy(_busy(host, port, exc)) from None


def _busy(host: str, port: int, exc: OSError) -> str:
    other = 8001 if port == 8000 else port + 1
    if exc.errno == errno.EADDRINUSE:
        return (f"端口 {port} 已被占用（{host}:{port} 上已有程序在运行，可能是另一个 qingqian serve）。"
                f"请换一个端口：qingqian serve --port {other}（或 python3 dev.py run --port {other}）")
    return f"无法在 {host}:{port} 上监听（{exc.strerror or exc}）；用 --host、--port 换一个地址或端口"


def serve(root: Path, audience: str, work: Path, host: str, port: int, as_of: date | None) -> None:
    """Serve until interrupted. Raises PortBusy when the address is taken."""
    claim(host, port)
    out, docs = work / "site", work / "docs"
    session = Session(root, audience, out, docs, as_of, progress=Progress(sys.stderr))
    sources = Sources.for_root(root)
    server = live_server(session, host, port, [root / "units", root / "ledgers", root / CONFIG_FILE,
                                               sources.site_src, sources.config])
    out.mkdir(parents=True, exist_ok=True)
    server.builder()
    try:
        server.serve()
    except OSError as exc:  # taken between the check and now
        raise PortBusy(_busy(host, port, exc)) from None
    except KeyboardInterrupt:
        print("已停止", file=sys.stderr)
    finally:
        server.shutdown()


def live_server(session: Session, host: str, port: int, watched: list[Path]) -> engine.Server:
    """The engine's live-reload server around `session`, watching the `watched` paths that exist;
    the session lets it answer again once it knows what is stale (engine.live_server)."""
    def rebuild() -> None:
        if session.rebuild():
            print(f"网站：http://{host}:{port}/", file=sys.stderr)

    server, session.published = engine.live_server(rebuild, session.out, host, port, watched)
    return server
