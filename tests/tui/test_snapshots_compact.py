"""80x24: the sign-in forms (the submit button and the status line show without scrolling, or
sit where the focus is; the footer's keys are whole), and the dialogs and panels that no other
snapshot file shows at that size. tests/tui/test_snapshots_german.py runs these scenarios in
German.

Every app runs on the embedded sandbox ("Sandbox · demo" whatever its port), with fixed
inputs; times shown by the mailbox and durations in the API log are pinned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from helpers import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    EMBEDDED,
    OPERATOR_PIN,
    FakeClock,
    demo_logged_in,
    kiosk_settings,
    settle,
    wait_ready,
    wait_until,
)
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from accountdesk.api import CustomerSignup
from accountdesk.tui import app as app_module
from accountdesk.tui.app import SESSION_EXPIRED_REASON, AccountDeskApp
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.addresses import AddressBookScreen
from accountdesk.tui.screens.change_password import ChangePasswordScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.export import CopiedTextScreen
from accountdesk.tui.screens.forgot_password import (
    RESET_REQUESTED,
    ForgotPasswordScreen,
    ResetPasswordScreen,
)
from accountdesk.tui.screens.kiosk import OperatorMenuScreen, OperatorPinScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.mailbox import MailboxScreen
from accountdesk.tui.screens.profile import EditProfileScreen
from accountdesk.tui.screens.profile_dialogs import UnsavedChangesScreen
from accountdesk.tui.screens.signup import SignUpScreen
from accountdesk.tui.widgets import api_log
from accountdesk.tui.widgets.api_log import ApiLogPanel

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
COMPACT = (80, 24)
PINNED_ORIGIN = "http://127.0.0.1:8000"


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


# -- dialogs and panels ----------------------------------------------------------------------


async def unsaved_profile(pilot: Pilot[Any]) -> None:
    """Leaving the profile editor with a changed field: the dialog names it."""
    await demo_logged_in(pilot)
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, EditProfileScreen))
    await settle(pilot)
    pilot.app.screen.query_one("#profile-middle-name", Input).value = "Augusta"
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, UnsavedChangesScreen))
    await settle(pilot)


async def discarding_typed_password(pilot: Pilot[Any]) -> None:
    """Going back from a form with something typed: "discard what you typed?"."""
    await demo_logged_in(pilot)
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChangePasswordScreen))
    await settle(pilot)
    await pilot.press(*"not-my-password", "escape")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await settle(pilot)


async def deleting_default_address(pilot: Pilot[Any]) -> None:
    """Deleting the default address: the longest question, the address and a warning."""
    await demo_logged_in(pilot)
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AddressBookScreen))
    await settle(pilot)
    await pilot.press("d")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await settle(pilot)


def pin_api_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Durations and the sandbox's port differ from run to run: both shown pinned."""
    monkeypatch.setattr(api_log, "format_duration", lambda _duration_ms: "42")
    real_as_curl = app_module.as_curl
    monkeypatch.setattr(
        app_module,
        "as_curl",
        lambda event: real_as_curl(event).replace(event.origin, PINNED_ORIGIN),
    )


async def api_log_after_failed_login(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    await settle(pilot)
    await pilot.press("f2", "f4")  # open the log and start it empty
    app.screen.query_one("#login-email", Input).value = DEMO_EMAIL
    app.screen.query_one("#login-password", Input).value = "not-the-password"
    await pilot.press("ctrl+s")
    await settle(pilot)
    panel = app.screen.query_one(ApiLogPanel)
    await wait_until(pilot, lambda: panel.selected is not None, what="the request")
    await settle(pilot)


async def curl_copied(pilot: Pilot[Any]) -> None:
    """The failed login as a curl command (f6), in the dialog that shows what was copied."""
    await api_log_after_failed_login(pilot)
    await pilot.press("f6")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CopiedTextScreen))
    await settle(pilot)


async def wrong_operator_pin(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    await settle(pilot)
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(app.screen, OperatorPinScreen))
    await pilot.press(*"0000", "enter")
    await settle(pilot)


async def operator_menu(pilot: Pilot[Any]) -> None:
    await wrong_operator_pin(pilot)
    await pilot.press(*OPERATOR_PIN, "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, OperatorMenuScreen))
    await settle(pilot)


def test_unsaved_changes_at_80x24(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=unsaved_profile, terminal_size=COMPACT)


def test_discard_typed_at_80x24(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=discarding_typed_password, terminal_size=COMPACT)


def test_delete_default_address_at_80x24(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp
) -> None:
    assert snap_compare(embedded_app, run_before=deleting_default_address, terminal_size=COMPACT)


def test_api_log_at_80x24(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_api_log(monkeypatch)
    assert snap_compare(embedded_app, run_before=api_log_after_failed_login, terminal_size=COMPACT)


def test_curl_dialog_at_80x24(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_api_log(monkeypatch)
    monkeypatch.setattr(embedded_app, "copy_to_clipboard", lambda _text: None)
    assert snap_compare(embedded_app, run_before=curl_copied, terminal_size=COMPACT)


def test_operator_pin_at_80x24(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    app = make_app(EMBEDDED, settings=kiosk_settings(), clock=FakeClock())
    assert snap_compare(app, run_before=wrong_operator_pin, terminal_size=COMPACT)


def test_operator_menu_at_80x24(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    app = make_app(EMBEDDED, settings=kiosk_settings(), clock=FakeClock())
    assert snap_compare(app, run_before=operator_menu, terminal_size=COMPACT)
