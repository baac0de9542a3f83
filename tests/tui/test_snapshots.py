"""Snapshots of the sign-in flow screens (pytest-textual-snapshot; plain `def` tests).

Every app here runs on the embedded sandbox: its status line reads "Sandbox · demo" whatever
port the subprocess got, so the pictures do not depend on the machine. Each scenario drives
the same state every time (the demo customer, fixed inputs) and waits for all workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import (
    DEMO_EMAIL,
    advance_sandbox_clock,
    demo_logged_in,
    settle,
    wait_ready,
    wait_until,
)
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from accountdesk.api import CustomerSignup
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.forgot_password import (
    RESET_REQUESTED,
    ForgotPasswordScreen,
    ResetPasswordScreen,
)
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.mailbox import MailboxScreen
from accountdesk.tui.screens.signup import SignUpScreen
from accountdesk.tui.widgets import api_log
from accountdesk.tui.widgets.api_log import ApiLogPanel

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
SIZE = (100, 40)


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


# -- the logged-in screens, the mailbox and the API log ----------------------------------------


def test_account_screen(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=demo_logged_in, terminal_size=SIZE)


def test_logout_confirmation(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def asking(pilot: Pilot[Any]) -> None:
        await demo_logged_in(pilot)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.pause()

    assert snap_compare(embedded_app, run_before=asking, terminal_size=SIZE)


def test_session_expired_login(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def expired(pilot: Pilot[Any]) -> None:
        await demo_logged_in(pilot)
        base_url = pilot.app.base_url
        assert base_url is not None
        # A real expiry: past the customer token's 30 days and its refresh token's day.
        await advance_sandbox_clock(base_url, 2_700_000)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=expired, terminal_size=SIZE)


@pytest.mark.usefixtures("pinned_mail_times")
def test_mailbox(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def with_mail(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await wait_ready(pilot, app)
        signup = CustomerSignup(email="grace@example.com", password="Correct-Horse-Battery-9")
        await app.account.sign_up(signup)
        await app.account.request_password_reset(DEMO_EMAIL)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen))
        table = app.screen.query_one("#mailbox-list", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, what="the two mails")
        table.move_cursor(row=1)  # the older one: the activation email
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=with_mail, terminal_size=SIZE)


def test_api_log_after_a_failed_login(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Durations differ from run to run; every other column and both bodies are the real ones.
    monkeypatch.setattr(api_log, "format_duration", lambda _duration_ms: "42")

    async def failed_login(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await wait_ready(pilot, app)
        await pilot.press("f2", "f4")  # open the log and start it empty
        set_values(pilot, {"login-email": DEMO_EMAIL, "login-password": "not-the-password"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        panel = app.screen.query_one(ApiLogPanel)
        await wait_until(pilot, lambda: panel.selected is not None, what="the request")

    assert snap_compare(embedded_app, run_before=failed_login, terminal_size=SIZE)
