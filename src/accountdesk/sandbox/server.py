"""Running the emulator with uvicorn: in the foreground (the `serve` command) or in a thread.

Access logging is off: logout and account deletion carry tokens in their query strings
(`?accessToken=`, `?token=`), and an access log would write them to the terminal.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from typing import TextIO

import uvicorn
from fastapi import FastAPI

READY_PREFIX = "Account Desk sandbox ready at"


def _config(app: FastAPI, log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        # Uvicorn's own default log config would print nothing useful here and may add
        # handlers that outlive embedded servers; warnings still reach stderr.
        log_config=None,
    )


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind first, so `--port 0` yields a real port that we can announce."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets it knows are TCP, and
    # without it every keep-alive answer waits ~40 ms for the delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def base_url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _AnnouncingServer(uvicorn.Server):
    """Prints the ready line once uvicorn is accepting connections."""

    def __init__(self, config: uvicorn.Config, base_url: str, stream: TextIO) -> None:
        super().__init__(config)
        self._base_url = base_url
        self._stream = stream

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._stream.write(f"{READY_PREFIX} {self._base_url}\n")
            self._stream.flush()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch_parent(server: uvicorn.Server, parent_pid: int) -> None:
    """Stop the server when the parent process (the TUI) is gone, so no sandbox is orphaned."""
    stop = threading.Event()
    # When the parent was our real parent, reparenting (getppid changing) also means it died,
    # which catches a recycled pid.
    was_real_parent = os.getppid() == parent_pid
    while not stop.wait(0.5):
        if server.should_exit:
            return
        reparented = was_real_parent and os.getppid() != parent_pid
        if reparented or not _process_alive(parent_pid):
            server.should_exit = True
            return


def serve(
    app: FastAPI,
    *,
    host: str,
    port: int,
    parent_pid: int | None = None,
    stream: TextIO | None = None,
) -> None:
    """Serve in the foreground until Ctrl-C / SIGTERM (uvicorn handles both and exits cleanly)."""
    sock = bind_socket(host, port)
    server = _AnnouncingServer(_config(app), base_url_of(sock), stream or sys.stdout)
    if parent_pid is not None:
        threading.Thread(
            target=_watch_parent, args=(server, parent_pid), name="parent-watchdog", daemon=True
        ).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


class BackgroundServer:
    """The emulator on a loopback port in a daemon thread (tests, embedding).

    Use as a context manager or call `start()` / `stop()`.
    """

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        self._sock = bind_socket(host, port)
        self.base_url = base_url_of(self._sock)
        self._server = uvicorn.Server(_config(app))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("The sandbox server did not start.")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
