"""The shared fixtures of tests/conftest.py work as the contract describes."""

from __future__ import annotations

from typing import Any

import httpx

# The fixture objects are duck-typed here: importing `conftest` by name is ambiguous when
# several test packages have one.
SandboxEndpoint = Any
Outbox = Any


async def test_session_sandbox_serves_the_demo_tenant(sandbox: SandboxEndpoint) -> None:
    assert sandbox.tenant == "demo"
    assert sandbox.client_id == "demo-storefront"
    async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
        anonymous = await client.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": sandbox.tenant, "client_id": sandbox.client_id},
        )
        assert anonymous.status_code == 200
        login = await client.post(
            f"/customer/{sandbox.tenant}/login",
            json={"email": "demo@example.com", "password": "Demo-Password-42"},
            headers={"Authorization": f"Bearer {anonymous.json()['access_token']}"},
        )
    assert login.status_code == 200


async def test_fresh_tenant_is_isolated_and_outbox_follows_it(
    sandbox: SandboxEndpoint, fresh_tenant: SandboxEndpoint, outbox: Outbox
) -> None:
    assert fresh_tenant.tenant != sandbox.tenant
    assert outbox.tenant == fresh_tenant.tenant
    async with httpx.AsyncClient(base_url=fresh_tenant.base_url) as client:
        anonymous = await client.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": fresh_tenant.tenant, "client_id": fresh_tenant.client_id},
        )
        token = anonymous.json()["access_token"]
        # The demo customer lives in `demo` only.
        login = await client.post(
            f"/customer/{fresh_tenant.tenant}/login",
            json={"email": "demo@example.com", "password": "Demo-Password-42"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert login.status_code == 401
        signup = await client.post(
            f"/customer/{fresh_tenant.tenant}/signup",
            json={"email": "new@example.com", "password": "Sandbox-Pass-1"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert signup.status_code == 201
    mail = await outbox.latest("new@example.com", "customer.opt-in")
    assert mail["token"]
    await outbox.clear()
    assert await outbox.all() == []


async def test_outbox_defaults_to_demo_tenant(outbox: Outbox) -> None:
    assert outbox.tenant == "demo"
