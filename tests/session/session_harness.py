"""Builds a SessionManager wired to a real sandbox, with tracing and a network switch."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import httpx
from session_sandbox import SandboxClock

from accountdesk.api import CustomerApiClient
from accountdesk.api.tracing import TraceEvent
from accountdesk.session import (
    MemoryTokenStore,
    SessionEvent,
    SessionManager,
    StoredSession,
    TokenStore,
)

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Password-42"


class Target(Protocol):
    base_url: str
    tenant: str
    client_id: str


class SwitchableTransport(httpx.AsyncBaseTransport):
    """Real HTTP, with a switch that makes the network "go down" (connection refused)."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class Harness:
    manager: SessionManager
    client: CustomerApiClient
    clock: SandboxClock
    transport: SwitchableTransport
    store: TokenStore
    trace: list[TraceEvent] = field(default_factory=list)
    events: list[SessionEvent] = field(default_factory=list)

    def calls(self, endpoint: str) -> list[TraceEvent]:
        return [event for event in self.trace if endpoint in event.path.split("?")[0]]

    async def stored(self) -> StoredSession | None:
        """What the token store holds for this harness's environment."""
        return await self.store.load(self.manager.environment_key)

    async def profile_email(self) -> str | None:
        profile = await self.manager.with_customer(self.client.get_profile)
        return profile.contact_email


HarnessFactory = Callable[..., Awaitable[Harness]]


async def make_harness_fixture() -> AsyncIterator[HarnessFactory]:
    made: list[Harness] = []

    async def make(target: Target, store: TokenStore | None = None) -> Harness:
        clock = SandboxClock(target.base_url)
        await clock.sync()
        transport = SwitchableTransport()
        trace: list[TraceEvent] = []
        client = CustomerApiClient(
            target.base_url,
            target.tenant,
            target.client_id,
            trace=trace.append,
            transport=transport,
        )
        store = store if store is not None else MemoryTokenStore()
        manager = SessionManager(
            client, store, environment_key=f"{target.base_url}|{target.tenant}", clock=clock
        )
        harness = Harness(manager, client, clock, transport, store, trace)
        manager.subscribe(harness.events.append)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        await harness.manager.aclose()


async def echo(token: str) -> str:
    """A "call" that just returns the token it was given."""
    return token
