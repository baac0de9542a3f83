"""Helpers for the TUI's Pilot tests (plain functions, imported by test modules)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from accountdesk.api import CustomerApiClient, CustomerDetails, CustomerSignup
from accountdesk.session import Environment, Settings
from accountdesk.session.config import KioskFeature, KioskOptions
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen

EMBEDDED = Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront")
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Password-42"
CUSTOMER_PASSWORD = "Shell-Test-Pass-77"


def isolate_user_dirs(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, data, state and cache under ``home``; no real keyring; no ACCOUNTDESK_* leaks
    (the autouse `isolated_user_dirs`, for fixtures that outlive one test)."""
    for variable, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        path = home / sub
        path.mkdir(parents=True)
        monkeypatch.setenv(variable, str(path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for variable in list(os.environ):
        if variable.startswith("ACCOUNTDESK_"):
            monkeypatch.delenv(variable)
    return home


def environment_for(target: Any, name: str = "test-tenant") -> Environment:
    """An environment for a ``.base_url .tenant .client_id`` object (e.g. ``fresh_tenant``)."""
    return Environment(
        name=name, base_url=target.base_url, tenant=target.tenant, client_id=target.client_id
    )


def unique_email(prefix: str = "ada") -> str:
    """An address no other test uses (the shared sandbox keeps every customer)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


async def settle(pilot: Pilot[Any]) -> None:
    """Let the app process what is queued, finish every worker, then repaint."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], *, seconds: float = 10.0, what: str = ""
) -> None:
    """Let the app run until ``condition()`` holds; fail with ``what`` after ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.05)


async def wait_ready(pilot: Pilot[Any], app: AccountDeskApp, seconds: float = 30.0) -> None:
    await wait_until(
        pilot, lambda: app.backend_state == "ready", seconds=seconds, what="the backend"
    )


async def wait_mode(pilot: Pilot[Any], app: AccountDeskApp, mode: str) -> None:
    """Wait for ``mode`` and let the app finish dropping the other mode's stack."""
    await wait_until(pilot, lambda: app.current_mode == mode, what=f"the {mode} mode")
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def log_in(pilot: Pilot[Any], app: AccountDeskApp, email: str, password: str) -> None:
    """Log in through the session (the login form has its own tests) and wait for "account"."""
    await wait_ready(pilot, app)
    await app.session.login(email, password)
    await wait_mode(pilot, app, "account")


async def create_active_customer(
    target: Any, email: str, first_name: str = "Grace", *, preferred_language: str | None = None
) -> None:
    """Sign up ``email`` in ``target``'s tenant and confirm its opt-in (leaves it logged out)."""
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        anonymous = await client.anonymous_login()
        await client.sign_up(
            anonymous.access_token,
            CustomerSignup(
                email=email,
                password=CUSTOMER_PASSWORD,
                customer_details=CustomerDetails(
                    first_name=first_name,
                    last_name="Hopper",
                    preferred_language=preferred_language,
                ),
            ),
        )
        token = (await latest_mail(target, email, "customer.opt-in"))["token"]
        await client.confirm_opt_in(anonymous.access_token, token)


async def latest_mail(target: Any, to: str, event: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=target.base_url, timeout=10) as client:
        response = await client.get(f"/_sandbox/{target.tenant}/outbox", params={"to": to})
    response.raise_for_status()
    mails = [mail for mail in response.json() if mail["event"] == event]
    assert mails, f"no {event} mail to {to}"
    return dict(mails[-1])


async def advance_sandbox_clock(base_url: str, seconds: int) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        response = await client.post("/_sandbox/clock", json={"advanceSeconds": seconds})
    response.raise_for_status()


async def demo_logged_in(pilot: Pilot[Any]) -> None:
    """The demo customer's account screen with the profile loaded (the login form has its own
    tests; here the session logs in directly). A snapshot's ``run_before``."""
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
    await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="the account")
    name = app.screen.query_one("#account-name", Static)
    await wait_until(pilot, lambda: "Lovelace" in str(name.render()), what="the profile")
    await settle(pilot)


OPERATOR_PIN = "2468"


class FakeClock:
    """A monotonic clock that moves only when told (the kiosk's idle watch reads it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def kiosk_settings(*allow: KioskFeature, **settings: Any) -> Settings:
    """Kiosk mode with the default idle times, operator PIN `OPERATOR_PIN`, ``allow``ing some."""
    options = KioskOptions(allow=frozenset(allow), operator_pin=OPERATOR_PIN)
    return Settings(kiosk=True, kiosk_options=options, **settings)


def record_notifications(app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message ``app.notify`` shows from now on, in order (the toasts are shown too)."""
    said: list[str] = []
    original = app.notify

    def record(message: str, **options: Any) -> None:
        said.append(message)
        original(message, **options)

    monkeypatch.setattr(app, "notify", record)
    return said
