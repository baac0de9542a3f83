"""Fixtures for running the client against the real sandbox (started by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from api_sandbox_desk import SandboxDesk, SandboxTarget

from accountdesk.api import CustomerApiClient, RetryPolicy, TraceEvent
from accountdesk.sandbox import create_app
from accountdesk.sandbox.server import BackgroundServer


@dataclass(frozen=True)
class _PrivateTarget:
    base_url: str
    tenant: str
    client_id: str


async def _no_sleep(seconds: float) -> None:
    """Retries against loopback need no real waiting."""


async def _desk(target: SandboxTarget) -> AsyncIterator[SandboxDesk]:
    traces: list[TraceEvent] = []
    policy = RetryPolicy(sleep=_no_sleep)
    async with CustomerApiClient(
        target.base_url, target.tenant, target.client_id, trace=traces.append, retry=policy
    ) as api:
        yield SandboxDesk(api=api, base_url=target.base_url, tenant=target.tenant, traces=traces)


@pytest.fixture
async def desk(fresh_tenant: SandboxTarget) -> AsyncIterator[SandboxDesk]:
    """A client on a new, isolated tenant (double opt-in on)."""
    async for value in _desk(fresh_tenant):
        yield value


@pytest.fixture
async def demo_desk(sandbox: SandboxTarget) -> AsyncIterator[SandboxDesk]:
    """A client on the built-in ``demo`` tenant with the seeded demo customer."""
    async for value in _desk(sandbox):
        yield value


@pytest.fixture
async def time_travel_desk() -> AsyncIterator[SandboxDesk]:
    """A client on a private sandbox whose clock the test may move.

    The clock of the shared sandbox moves for every tenant of the test session, which would
    expire other tests' tokens and mail tokens; time travel therefore gets its own server.
    """
    with BackgroundServer(create_app(":memory:", seed_demo=False)) as server:
        target = _PrivateTarget(server.base_url, "demo", "demo-storefront")
        async for value in _desk(target):
            yield value
