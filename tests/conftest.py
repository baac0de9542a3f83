"""Fixtures shared by every test package: the running sandbox and its helpers.

`sandbox` is one real uvicorn server per test session (in-memory database, demo customer
seeded) on a loopback port in a background thread. Tests that change shared state should work
in their own tenant (`fresh_tenant`). Advancing the sandbox clock (`POST /_sandbox/clock`)
moves time for every tenant of the session's server.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import settings

from accountdesk.sandbox import create_app
from accountdesk.sandbox.server import BackgroundServer

# Timings are figures for benchmarks/, never pass/fail: Hypothesis' default 200 ms deadline per
# example failed property tests whenever the machine was busy.
settings.register_profile("accountdesk", deadline=None)
settings.load_profile("accountdesk")


@dataclass(frozen=True)
class SandboxEndpoint:
    """Where a test finds a sandbox tenant."""

    base_url: str
    tenant: str
    client_id: str


class Outbox:
    """Reads the sandbox outbox of one tenant over HTTP."""

    def __init__(self, base_url: str, tenant: str) -> None:
        self.base_url = base_url
        self.tenant = tenant

    async def all(self, to: str | None = None) -> list[dict[str, Any]]:
        params = {} if to is None else {"to": to}
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10) as client:
            response = await client.get(f"/_sandbox/{self.tenant}/outbox", params=params)
        response.raise_for_status()
        mails: list[dict[str, Any]] = response.json()
        return mails

    async def latest(self, to: str, event: str) -> dict[str, Any]:
        """The newest mail of `event` sent to `to`; fails the test when there is none."""
        matching = [mail for mail in await self.all(to) if mail["event"] == event]
        assert matching, f"no {event!r} mail to {to!r} in the outbox of tenant {self.tenant!r}"
        return matching[-1]

    async def clear(self) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10) as client:
            response = await client.delete(f"/_sandbox/{self.tenant}/outbox")
        response.raise_for_status()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxEndpoint]:
    """The session's sandbox server, tenant `demo`, client `demo-storefront`."""
    with BackgroundServer(create_app(":memory:", seed_demo=True)) as server:
        yield SandboxEndpoint(base_url=server.base_url, tenant="demo", client_id="demo-storefront")


@pytest.fixture(scope="session")
def new_tenant(sandbox: SandboxEndpoint) -> Callable[[], SandboxEndpoint]:
    """Makes a new, empty tenant on the session's sandbox (double opt-in on): for fixtures
    that outlive one test, which `fresh_tenant` cannot serve."""

    def make() -> SandboxEndpoint:
        name = "t" + uuid.uuid4().hex[:12]
        client_id = f"{name}-storefront"
        response = httpx.post(
            f"{sandbox.base_url}/_sandbox/tenants",
            json={"name": name, "clientId": client_id, "doubleOptIn": True},
            timeout=10,
        )
        response.raise_for_status()
        return SandboxEndpoint(base_url=sandbox.base_url, tenant=name, client_id=client_id)

    return make


@pytest.fixture
def fresh_tenant(new_tenant: Callable[[], SandboxEndpoint]) -> SandboxEndpoint:
    """A new, empty tenant on the session's sandbox (double opt-in on)."""
    return new_tenant()


@pytest.fixture
def outbox(request: pytest.FixtureRequest, sandbox: SandboxEndpoint) -> Outbox:
    """The outbox of the test's `fresh_tenant` if it uses one, else of tenant `demo`."""
    if "fresh_tenant" in request.fixturenames:
        tenant: SandboxEndpoint = request.getfixturevalue("fresh_tenant")
        return Outbox(tenant.base_url, tenant.tenant)
    return Outbox(sandbox.base_url, sandbox.tenant)
