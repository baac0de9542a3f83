"""Every screen and dialog in German at 80x24 (German words are longer than English ones).

Login, sign-up and the account overview are in test_german.py. The scenarios are the ones of
the English snapshots, imported from their files, so both languages show the same state.

The app runs on the embedded sandbox in German as an operator who keeps German after login
(``follow_customer_language`` off): the demo customer prefers British English, which the
account screens would otherwise follow (tests/tui/test_customer_language.py has those rules).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    DEMO_EMAIL,
    EMBEDDED,
    FakeClock,
    advance_sandbox_clock,
    demo_logged_in,
    kiosk_settings,
    settle,
    wait_ready,
    wait_until,
)
from test_snapshots_addresses import address_book, bad_postal_code, tagging
from test_snapshots_compact import (
    api_log_after_failed_login,
    curl_copied,
    deleting_default_address,
    discarding_typed_password,
    operator_menu,
    pin_api_log,
    unsaved_profile,
    wrong_operator_pin,
)
from test_snapshots_credentials import (
    delete_code_step,
    delete_dialog,
    email_confirm_step,
    email_form,
    password_typed,
)
from test_snapshots_kiosk import counting_down
from test_snapshots_profile import conflicting, phone_refused
from test_snapshots_social import open_social_step
from textual.pilot import Pilot
from textual.widgets import DataTable

from accountdesk.api import CustomerSignup
from accountdesk.session import Settings
from accountdesk.tui import app as app_module
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.i18n import _
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.assign_account import AssignAccountScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
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
Scenario = Callable[[Pilot[Any]], Any]
COMPACT = (80, 24)
GERMAN = {"language": "de", "follow_customer_language": False}


@pytest.fixture
def german_app(make_app: MakeApp) -> AccountDeskApp:
    return make_app(EMBEDDED, settings=Settings(**GERMAN))


@pytest.fixture
def german_kiosk(make_app: MakeApp) -> AccountDeskApp:
    return make_app(EMBEDDED, settings=kiosk_settings(**GERMAN), clock=FakeClock())


async def open_screen(pilot: Pilot[Any], screen: Any) -> None:
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    await settle(pilot)
    app.push_screen(screen)
    await settle(pilot)


# -- signing in ------------------------------------------------------------------------------


async def wrong_password(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    await settle(pilot)
    await pilot.press(*DEMO_EMAIL, "tab", *"not-it", "enter")
    await settle(pilot)


async def signup_sent_from_the_end(pilot: Pilot[Any]) -> None:
    await open_screen(pilot, SignUpScreen(email="ada@example"))
    pilot.app.screen.query_one("#signup-country").focus()
    await pilot.press("ctrl+s")
    await settle(pilot)
    pilot.app.screen.query_one("#signup-form").scroll_end(animate=False)
    await settle(pilot)


async def bad_activation_code(pilot: Pilot[Any]) -> None:
    await open_screen(pilot, ActivationScreen(email="ada@example.com"))
    await pilot.press(*"not-a-real-code", "enter")
    await settle(pilot)


async def forgot_with_bad_email(pilot: Pilot[Any]) -> None:
    await open_screen(pilot, ForgotPasswordScreen(email="ada@"))
    await pilot.press("enter")
    await settle(pilot)


async def reset_mismatch(pilot: Pilot[Any]) -> None:
    # Translated as the forgot-password screen does when it opens this one.
    notice = _(RESET_REQUESTED)
    await open_screen(pilot, ResetPasswordScreen(email="ada@example.com", notice=notice))
    await pilot.press(*"CODE-FROM-THE-EMAIL", "enter")
    await pilot.press(*"quietly-violet-harbour", "enter")
    await pilot.press(*"quietly-violet-harbor", "enter")
    await settle(pilot)


async def session_expired(pilot: Pilot[Any]) -> None:
    """The re-login screen over the account, after a real expiry (as in test_snapshots.py)."""
    await demo_logged_in(pilot)
    base_url = pilot.app.base_url
    assert base_url is not None
    await advance_sandbox_clock(base_url, 2_700_000)
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    await settle(pilot)


async def social_step(pilot: Pilot[Any]) -> None:
    await open_social_step(pilot)
    await pilot.press(*"hedy@example.com")
    await pilot.pause()


async def adding_password_login(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await open_social_step(pilot)
    await pilot.press(*"hedy@example.com", "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="the account")
    account = app.screen
    assert isinstance(account, AccountScreen)
    await wait_until(pilot, lambda: account.password_login is False, what="the profile")
    await settle(pilot)
    await pilot.press("l")
    await wait_until(pilot, lambda: isinstance(app.screen, AssignAccountScreen))
    await settle(pilot)
    await pilot.press(*"violet-harbour-7")
    await settle(pilot)


async def mailbox_with_code(pilot: Pilot[Any]) -> None:
    """Two mails; the activation email selected and its code offered (as "y" does)."""
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
    table.move_cursor(row=1)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, MailboxScreen)
    assert screen.selected is not None
    # The code is random: a fixed one in its place.
    screen.selected = replace(screen.selected, token="CODE-FROM-THE-EMAIL")
    app.clear_notifications()
    await pilot.press("y")
    await settle(pilot)


@pytest.mark.parametrize(
    "scenario",
    [
        wrong_password,
        signup_sent_from_the_end,
        bad_activation_code,
        forgot_with_bad_email,
        reset_mismatch,
        session_expired,
    ],
    ids=lambda scenario: scenario.__name__,
)
def test_signing_in_in_german(
    snap_compare: SnapCompare, german_app: AccountDeskApp, scenario: Scenario
) -> None:
    assert snap_compare(german_app, run_before=scenario, terminal_size=COMPACT)


@pytest.mark.usefixtures("pinned_sign_in")
def test_social_step_in_german(snap_compare: SnapCompare, german_app: AccountDeskApp) -> None:
    assert snap_compare(german_app, run_before=social_step, terminal_size=COMPACT)


def test_adding_password_login_in_german(
    snap_compare: SnapCompare, german_app: AccountDeskApp
) -> None:
    # Not pinned: the sign-in page must be the embedded sandbox's own to get past it.
    assert snap_compare(german_app, run_before=adding_password_login, terminal_size=COMPACT)


@pytest.mark.usefixtures("pinned_mail_times")
def test_mailbox_in_german(
    snap_compare: SnapCompare, german_app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(german_app, "copy_to_clipboard", lambda _text: None)
    assert snap_compare(german_app, run_before=mailbox_with_code, terminal_size=COMPACT)


# -- the account's screens and dialogs ------------------------------------------------------


async def logging_out(pilot: Pilot[Any]) -> None:
    await demo_logged_in(pilot)
    await pilot.press("ctrl+l")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.pause()


@pytest.mark.parametrize(
    "scenario",
    [
        phone_refused,
        unsaved_profile,
        conflicting,
        address_book,
        bad_postal_code,
        tagging,
        deleting_default_address,
        logging_out,
        discarding_typed_password,
        password_typed,
        email_form,
        email_confirm_step,
        delete_dialog,
        delete_code_step,
    ],
    ids=lambda scenario: scenario.__name__,
)
def test_account_in_german(
    snap_compare: SnapCompare, german_app: AccountDeskApp, scenario: Scenario
) -> None:
    assert snap_compare(german_app, run_before=scenario, terminal_size=COMPACT)


# -- the shell's dialogs and panels -----------------------------------------------------------


class _PinnedNow(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _PinnedNow:
        return cls(2025, 6, 24, 9, 30, 0, tzinfo=tz)


async def screenshot_folder(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("f8")
    await settle(pilot)


def test_api_log_in_german(
    snap_compare: SnapCompare, german_app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_api_log(monkeypatch)
    assert snap_compare(german_app, run_before=api_log_after_failed_login, terminal_size=COMPACT)


def test_curl_dialog_in_german(
    snap_compare: SnapCompare, german_app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_api_log(monkeypatch)
    monkeypatch.setattr(german_app, "copy_to_clipboard", lambda _text: None)
    assert snap_compare(german_app, run_before=curl_copied, terminal_size=COMPACT)


def test_screenshot_folder_in_german(
    snap_compare: SnapCompare, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder every machine has, and a fixed time in the file name.
    monkeypatch.setattr(app_module, "datetime", _PinnedNow)
    app = make_app(EMBEDDED, settings=Settings(export_dir=Path("/tmp"), **GERMAN))  # noqa: S108
    assert snap_compare(app, run_before=screenshot_folder, terminal_size=COMPACT)


# -- kiosk -----------------------------------------------------------------------------------


async def kiosk_welcome(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    await settle(pilot)


@pytest.mark.parametrize(
    "scenario",
    [kiosk_welcome, wrong_operator_pin, operator_menu],
    ids=lambda scenario: scenario.__name__,
)
def test_kiosk_in_german(
    snap_compare: SnapCompare, german_kiosk: AccountDeskApp, scenario: Scenario
) -> None:
    assert snap_compare(german_kiosk, run_before=scenario, terminal_size=COMPACT)


def test_kiosk_countdown_in_german(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    clock = FakeClock()
    app = make_app(EMBEDDED, settings=kiosk_settings(**GERMAN), clock=clock)

    async def idle(pilot: Pilot[Any]) -> None:
        await counting_down(pilot, clock, 12)

    assert snap_compare(app, run_before=idle, terminal_size=COMPACT)
