"""Snapshots of the sign-in flow screens (pytest-textual-snapshot; plain `def` tests).

Every app here runs on the embedded sandbox: its status line reads "Sandbox · demo" whatever
port the subprocess got, so the pictures do not depend on the machine. Each scenario drives
the same state every time (the demo customer, fixed inputs) and waits for all workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from accountdesk.session import Environment
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.forgot_password import (
    RESET_REQUESTED,
    ForgotPasswordScreen,
    ResetPasswordScreen,
)
from accountdesk.tui.screens.signup import SignUpScreen

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
SIZE = (100, 40)


@pytest.fixture
def embedded_app(make_app: MakeApp) -> AccountDeskApp:
    return make_app(
        Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront")
    )


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def set_values(pilot: Pilot[Any], values: dict[str, str]) -> None:
    for input_id, value in values.items():
        pilot.app.screen.query_one(f"#{input_id}", Input).value = value


def test_login_screen(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=settle, terminal_size=SIZE)


def test_login_wrong_password(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def wrong_password(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        set_values(pilot, {"login-email": "demo@example.com", "login-password": "not-it"})
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=wrong_password, terminal_size=SIZE)


def test_login_inline_errors(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def bad_input(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*"ada.example.com", "ctrl+s")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=bad_input, terminal_size=SIZE)


def test_signup_inline_errors(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def bad_form(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(SignUpScreen())
        await pilot.pause()
        await pilot.press(*"ada@example")
        pilot.app.screen.query_one("#signup-password", Input).focus()
        await pilot.press(*"short")
        pilot.app.screen.query_one("#signup-password-again", Input).focus()
        await pilot.press(*"shorter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        pilot.app.screen.query_one("#signup-email", Input).focus()
        pilot.app.screen.scroll_home(animate=False)
        await pilot.pause()

    assert snap_compare(embedded_app, run_before=bad_form, terminal_size=(100, 50))


def test_signup_strength_and_country_picker(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp
) -> None:
    async def picking(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(SignUpScreen(email="ada@example.com"))
        await pilot.pause()
        await pilot.press(*"violet-harbour-7")
        set_values(
            pilot,
            {
                "signup-first-name": "Ada",
                "signup-last-name": "Lovelace",
                "signup-street": "St James's Square",
                "signup-city": "London",
            },
        )
        pilot.app.screen.query_one("#signup-country").focus()
        await pilot.press(*"united")
        await pilot.pause()
        pilot.app.screen.query_one("#signup-form").scroll_end(animate=False)
        await pilot.pause()

    assert snap_compare(embedded_app, run_before=picking, terminal_size=(100, 50))


def test_activation_screen(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def open_activation(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ActivationScreen(email="ada@example.com"))
        await pilot.pause()

    assert snap_compare(embedded_app, run_before=open_activation, terminal_size=SIZE)


def test_activation_bad_code(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def bad_code(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ActivationScreen(email="ada@example.com"))
        await pilot.pause()
        await pilot.press(*"not-a-real-code", "enter")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=bad_code, terminal_size=SIZE)


def test_forgot_password_screen(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def open_forgot(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ForgotPasswordScreen(email="ada@example.com"))
        await pilot.pause()

    assert snap_compare(embedded_app, run_before=open_forgot, terminal_size=SIZE)


def test_reset_password_mismatch(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def mismatch(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ResetPasswordScreen(email="ada@example.com", notice=RESET_REQUESTED))
        await pilot.pause()
        await pilot.press(*"CODE-FROM-THE-EMAIL", "enter")
        await pilot.press(*"quietly-violet-harbour", "enter")
        await pilot.press(*"quietly-violet-harbor", "enter")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=mismatch, terminal_size=SIZE)
