"""The shared fixtures of tests/conftest.py work as the contract describes."""

from __future__ import annotations

from typing import Any

import httpx
from sandbox_harness import Harness

# The fixture objects are duck-typed here: importing `conftest` by name is ambiguous when
# several test packages have one.
SandboxEndpoint = Any
Outbox = Any


async def test_session_sandbox_serves_the_demo_tenant(sandbox: SandboxEndpoint) -> None:
    assert sandbox.tenant == "demo"
    assert sandbox.client_id == "demo-storefront"
    async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
        demo = Harness(client, sandbox.tenant, sandbox.client_id)
        login = await demo.login("demo@example.com", "Demo-Password-42")
    assert login.status_code == 200


async def test_fresh_tenant_is_isolated_and_outbox_follows_it(
    sandbox: SandboxEndpoint, fresh_tenant: SandboxEndpoint, outbox: Outbox
) -> None:
    assert fresh_tenant.tenant != sandbox.tenant
    assert outbox.tenant == fresh_tenant.tenant
    async with httpx.AsyncClient(base_url=fresh_tenant.base_url) as client:
        fresh = Harness(client, fresh_tenant.tenant, fresh_tenant.client_id)
        # The demo customer lives in `demo` only.
        login = await fresh.login("demo@example.com", "Demo-Password-42")
        assert login.status_code == 401
        signup = await fresh.signup("new@example.com", "Sandbox-Pass-1")
        assert signup.status_code == 201
    mail = await outbox.latest("new@example.com", "customer.opt-in")
    assert mail["token"]
    await outbox.clear()
    assert await outbox.all() == []


async def test_outbox_defaults_to_demo_tenant(outbox: Outbox) -> None:
    assert outbox.tenant == "demo"
