"""Fixtures for the emulator's own tests.

`api` runs each test twice: over real HTTP against a private uvicorn server (so clock jumps do
not disturb the session-wide `sandbox` other packages use) and in-process through
`httpx.ASGITransport` against a fresh `create_app()`. Either way the test gets its own tenant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sandbox_harness import Harness, new_tenant

from accountdesk.sandbox import create_app
from accountdesk.sandbox.server import BackgroundServer


@pytest.fixture(scope="session")
def private_server() -> Iterator[str]:
    with BackgroundServer(create_app(":memory:", seed_demo=True)) as server:
        yield server.base_url


@pytest.fixture(params=["http", "asgi"])
async def api(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    if request.param == "http":
        base_url: str = request.getfixturevalue("private_server")
        client = httpx.AsyncClient(base_url=base_url, timeout=30)
    else:
        transport = httpx.ASGITransport(app=create_app(":memory:", seed_demo=True))
        client = httpx.AsyncClient(transport=transport, base_url="http://localhost")
    async with client:
        tenant, client_id = await new_tenant(client)
        yield Harness(client, tenant, client_id)


@pytest.fixture
async def asgi_client() -> AsyncIterator[httpx.AsyncClient]:
    """In-process only: for garbage-input tests that need no second transport."""
    transport = httpx.ASGITransport(app=create_app(":memory:", seed_demo=True))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client
