"""`/_sandbox/*` (outbox, clock, tenants) answers loopback Hosts only: no DNS rebinding.

Before, a page at http://attacker.example resolved to 127.0.0.1 could read every emailed code.
"""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from accountdesk.sandbox import create_app
from accountdesk.sandbox.host_check import hostname, is_loopback
from accountdesk.sandbox.settings import SandboxSettings


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1:8765", "[::1]:8765", "127.9.9.9"])
async def test_loopback_hosts_reach_the_sandbox_routes(host: str) -> None:
    transport = httpx.ASGITransport(app=create_app(":memory:", seed_demo=True))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        response = await client.get("/_sandbox/demo/outbox", headers={"Host": host})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", ["/_sandbox/demo/outbox", "/_sandbox/clock"])
async def test_a_rebound_name_is_refused_on_the_sandbox_routes_only(path: str) -> None:
    transport = httpx.ASGITransport(app=create_app(":memory:", seed_demo=True))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        refused = await client.get(path, headers={"Host": "attacker.example:8765"})
        api = await client.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": "demo", "client_id": "demo-storefront"},
            headers={"Host": "attacker.example:8765"},
        )
    assert refused.status_code == 403
    assert refused.json()["type"] == "forbidden"
    assert api.status_code == 200  # the Emporix API itself is host-agnostic, like Emporix


async def test_a_configured_host_is_allowed() -> None:
    settings = SandboxSettings(allowed_hosts=("sandbox.lan",))
    transport = httpx.ASGITransport(app=create_app(":memory:", settings=settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        allowed = await client.get("/_sandbox/clock", headers={"Host": "Sandbox.LAN:80"})
        other = await client.get("/_sandbox/clock", headers={"Host": "sandbox.lan.evil"})
    assert allowed.status_code == 200
    assert other.status_code == 403


def test_host_parsing() -> None:
    assert hostname("example.com:80") == "example.com"
    assert hostname("[::1]:8765") == "[::1]"
    assert hostname("::1") == "::1"
    assert is_loopback("[::1]")
    assert is_loopback("app.localhost")
    assert not is_loopback("10.0.0.1")
    assert not is_loopback("localhost.attacker.example")


def test_serving_beyond_loopback_warns_loudly() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "accountdesk.sandbox",
            "serve",
            "--db",
            ":memory:",
            "--host",
            "256.0.0.1",  # not an address: the warning comes first, then listening fails
            "--port",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "WARNING: listening on 256.0.0.1, not loopback" in completed.stderr
    assert completed.returncode == 1
