"""A private sandbox with short customer access tokens, served over loopback HTTP.

The shared `sandbox` fixture uses the Emporix lifetimes, where the 24 h refresh token dies long
before the 30-day access token, so "access token expired but refresh token alive" cannot happen
there. This instance issues 10-minute customer access tokens to make that state reachable.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
import uvicorn

from accountdesk.sandbox import create_app
from accountdesk.sandbox.settings import Lifetimes, SandboxSettings

SHORT_CUSTOMER_ACCESS = 600


@dataclass(frozen=True)
class RunningSandbox:
    base_url: str
    tenant: str = "demo"
    client_id: str = "demo-storefront"


@contextmanager
def serve_short_lived_sandbox() -> Iterator[RunningSandbox]:
    settings = SandboxSettings(lifetimes=Lifetimes(customer_access=SHORT_CUSTOMER_ACCESS))
    app = create_app(":memory:", seed_demo=True, settings=settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test sandbox did not start")
        time.sleep(0.01)
    try:
        yield RunningSandbox(base_url=f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class SandboxClock:
    """The manager's clock, kept in step with the sandbox's (which tests move forward).

    ``advance`` moves both; ``advance_server`` moves only the sandbox, which is how a client with
    a slow clock (or a server that revoked early) looks from the manager's side.
    """

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url
        self._offset = 0.0

    def __call__(self) -> float:
        return time.time() + self._offset

    async def sync(self) -> None:
        async with httpx.AsyncClient(base_url=self._base_url) as http:
            response = await http.get("/_sandbox/clock")
        self._offset = _parse(response) - time.time()

    async def advance_server(self, seconds: float) -> None:
        async with httpx.AsyncClient(base_url=self._base_url) as http:
            response = await http.post("/_sandbox/clock", json={"advanceSeconds": seconds})
        response.raise_for_status()

    async def advance(self, seconds: float) -> None:
        await self.advance_server(seconds)
        self._offset += seconds


def _parse(response: httpx.Response) -> float:
    response.raise_for_status()
    return datetime.fromisoformat(response.json()["now"].replace("Z", "+00:00")).timestamp()
