"""Fixtures for running the client against the real sandbox (started by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from api_sandbox_desk import SandboxDesk, SandboxTarget

from accountdesk.api import CustomerApiClient, RetryPolicy, TraceEvent


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
