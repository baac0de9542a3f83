"""The sign-in forms at 80x24: the submit button and the status line show without scrolling
(or sit where the focus is), and the footer's keys are whole.

Every app runs on the embedded sandbox ("Sandbox · demo" whatever its port), with fixed
inputs; times shown by the mailbox are pinned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD, settle, wait_ready, wait_until
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from accountdesk.api import CustomerSignup
from accountdesk.tui.app import SESSION_EXPIRED_REASON, AccountDeskApp
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.forgot_password import (
    RESET_REQUESTED,
    ForgotPasswordScreen,
    ResetPasswordScreen,
)
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.mailbox import MailboxScreen
from accountdesk.tui.screens.signup import SignUpScreen

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
COMPACT = (80, 24)


async def open_screen(pilot: Pilot[Any], screen: Any) -> None:
    await settle(pilot)
    pilot.app.push_screen(screen)
    await settle(pilot)


def test_login_wrong_password_at_80x24(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp
) -> None:
    async def wrong_password(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await wait_ready(pilot, app)
        await settle(pilot)
        await pilot.press(*DEMO_EMAIL, "tab", *"not-it", "enter")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=wrong_password, terminal_size=COMPACT)


def test_session_expired_login_while_logged_in_at_80x24(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp
) -> None:
    """The re-login screen over the account: the longest footer of the sign-in forms."""

    async def expired(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await wait_ready(pilot, app)
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        await wait_until(pilot, lambda: app.current_mode == "account", what="the account")
        await settle(pilot)
        app.push_screen(
            LoginScreen(reason=SESSION_EXPIRED_REASON, resume_in_place=True, email=DEMO_EMAIL)
        )
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=expired, terminal_size=COMPACT)


def test_signup_bottom_at_80x24(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    """A long form scrolls; sending it from its end shows the status line and the button."""

    async def sent_from_the_end(pilot: Pilot[Any]) -> None:
        await open_screen(pilot, SignUpScreen(email="ada@example"))
        pilot.app.screen.query_one("#signup-country").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        pilot.app.screen.query_one("#signup-form").scroll_end(animate=False)
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=sent_from_the_end, terminal_size=COMPACT)


def test_activation_bad_code_at_80x24(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp
) -> None:
    async def bad_code(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await wait_ready(pilot, app)
        await open_screen(pilot, ActivationScreen(email="ada@example.com"))
        await pilot.press(*"not-a-real-code", "enter")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=bad_code, terminal_size=COMPACT)


def test_forgot_password_at_80x24(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def bad_email(pilot: Pilot[Any]) -> None:
        await open_screen(pilot, ForgotPasswordScreen(email="ada@"))
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=bad_email, terminal_size=COMPACT)


def test_reset_password_at_80x24(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def mismatch(pilot: Pilot[Any]) -> None:
        await open_screen(
            pilot, ResetPasswordScreen(email="ada@example.com", notice=RESET_REQUESTED)
        )
        await pilot.press(*"CODE-FROM-THE-EMAIL", "enter")
        await pilot.press(*"quietly-violet-harbour", "enter")
        await pilot.press(*"quietly-violet-harbor", "enter")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=mismatch, terminal_size=COMPACT)


@pytest.mark.usefixtures("pinned_mail_times")
def test_mailbox_code_offered_at_80x24(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def code_offered(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await wait_ready(pilot, app)
        signup = CustomerSignup(email="grace@example.com", password="Correct-Horse-Battery-9")
        await app.account.sign_up(signup)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen))
        table = app.screen.query_one("#mailbox-list", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1, what="the mail")
        await settle(pilot)
        # The code is random: show a fixed one in its place, the way "y" would.
        screen = app.screen
        assert isinstance(screen, MailboxScreen)
        assert screen.selected is not None
        screen.selected = replace(screen.selected, token="CODE-FROM-THE-EMAIL")
        monkeypatch.setattr(app, "copy_to_clipboard", lambda _text: None)
        app.clear_notifications()
        await pilot.press("y")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=code_offered, terminal_size=COMPACT)


def test_login_screen_at_120x40(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await wait_ready(pilot, app)
        await settle(pilot)
        pilot.app.screen.query_one("#login-email", Input).focus()

    assert snap_compare(embedded_app, run_before=ready, terminal_size=(120, 40))
