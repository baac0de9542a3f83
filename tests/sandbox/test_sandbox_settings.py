"""Lifetimes, password policy and the clock are injectable settings."""

from __future__ import annotations

import httpx
from sandbox_harness import Harness, fields, unique_email

from accountdesk.sandbox import create_app
from accountdesk.sandbox.clock import Clock
from accountdesk.sandbox.settings import Lifetimes, SandboxSettings, ThrottlePolicy


async def test_lifetimes_throttle_and_clock_come_from_settings() -> None:
    moments = [1_800_000_000.0]
    settings = SandboxSettings(
        lifetimes=Lifetimes(customer_access=60, customer_refresh=120, anonymous_access=30),
        throttle=ThrottlePolicy(free_attempts=2, base_delay=10, max_delay=15),
    )
    app = create_app(":memory:", settings=settings, clock=Clock(lambda: moments[0]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        clock = (await client.get("/_sandbox/clock")).json()["now"]
        assert clock == "2027-01-15T08:00:00.000Z"
        demo = Harness(client, "demo", "demo-storefront")
        anonymous = await demo.anonymous()
        assert anonymous["expires_in"] == 30
        login = await demo.login("demo@example.com", "Demo-Password-42")
        assert login.json()["expires_in"] == 60
        assert login.json()["refresh_token_expires_in"] == 120
        access = login.json()["access_token"]
        moments[0] += 59
        assert (await demo.call("GET", "/me", access)).status_code == 200
        moments[0] += 1
        assert (await demo.call("GET", "/me", access)).status_code == 401
        for _ in range(2):
            await demo.login("demo@example.com", "wrong-password")
        locked = await demo.login("demo@example.com", "Demo-Password-42")
        assert locked.headers["Retry-After"] == "10"
        for _ in range(3):
            moments[0] += 11
            await demo.login("demo@example.com", "wrong-password")
        capped = await demo.login("demo@example.com", "Demo-Password-42")
        assert capped.headers["Retry-After"] == "15"


async def test_password_length_is_a_tenant_setting() -> None:
    app = create_app(":memory:", seed_demo=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        created = await client.post(
            "/_sandbox/tenants",
            json={
                "name": "strict",
                "clientId": "s",
                "passwordMinLength": 12,
                "passwordMaxLength": 20,
            },
        )
        assert created.status_code == 201
        strict = Harness(client, "strict", "s")
        too_short = await strict.signup(unique_email(), "Eleven-char")
        assert fields(too_short) == {"password": "invalid_value"}
        assert "12" in too_short.json()["details"][0]["message"]
        too_long = await strict.signup(unique_email(), "x" * 21)
        assert fields(too_long) == {"password": "invalid_value"}
        assert (await strict.signup(unique_email(), "Twelve-chars")).status_code == 201
        inverted = await client.post(
            "/_sandbox/tenants",
            json={
                "name": "broken",
                "clientId": "b",
                "passwordMinLength": 30,
                "passwordMaxLength": 20,
            },
        )
        assert inverted.status_code == 400
        # Without --seed-demo there is no demo customer, but the demo tenant exists.
        demo = Harness(client, "demo", "demo-storefront")
        assert (await demo.login("demo@example.com", "Demo-Password-42")).status_code == 401
