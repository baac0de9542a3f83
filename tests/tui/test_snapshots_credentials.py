"""Snapshots of change password, change email and delete account (pytest-textual-snapshot).

As in test_snapshots.py, every app runs on the embedded sandbox ("Sandbox · demo" whatever
port it got) and the demo customer is logged in through the session. Each screen at 120x40
and 80x24; no scenario depends on the clock (no mailbox times are shown).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD, demo_logged_in, settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Input

from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.change_email import ChangeEmailScreen, ConfirmEmailChangeScreen
from accountdesk.tui.screens.change_password import ChangePasswordScreen
from accountdesk.tui.screens.delete_account import DeleteAccountScreen

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
Scenario = Callable[[Pilot[Any]], Awaitable[None]]
SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


async def open_by_key(pilot: Pilot[Any], key: str, screen_type: type[object]) -> None:
    await demo_logged_in(pilot)
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), what=key)
    await settle(pilot)


async def password_typed(pilot: Pilot[Any]) -> None:
    await open_by_key(pilot, "p", ChangePasswordScreen)
    await pilot.press(*"not-my-password", "enter")
    await pilot.press(*"quietly-violet-harbour", "enter")
    await pilot.press(*"quietly-violet-harbour", "enter")
    await settle(pilot)  # the sandbox refuses the current password: shown next to it


async def email_form(pilot: Pilot[Any]) -> None:
    await open_by_key(pilot, "m", ChangeEmailScreen)
    await pilot.press(*"ada.new@example.com", "enter")
    await settle(pilot)


async def email_confirm_step(pilot: Pilot[Any]) -> None:
    await open_by_key(pilot, "m", ChangeEmailScreen)
    await pilot.press(*"ada.new@example.com", "enter")
    await pilot.press(*DEMO_PASSWORD, "enter")
    # The step is current before its Mount handler focuses the code field: wait for the focus,
    # as a person waits for the field to show (the first key was lost on a busy machine).
    await wait_until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, ConfirmEmailChangeScreen)
            and pilot.app.focused is not None
            and pilot.app.focused.id == "confirm-email-token"
        ),
    )
    await pilot.press(*"not-the-code", "enter")
    await settle(pilot)


async def delete_dialog(pilot: Pilot[Any]) -> None:
    await open_by_key(pilot, "d", DeleteAccountScreen)
    await pilot.press(*DEMO_EMAIL)
    await settle(pilot)


async def delete_code_step(pilot: Pilot[Any]) -> None:
    await open_by_key(pilot, "d", DeleteAccountScreen)
    pilot.app.screen.query_one("#delete-email", Input).value = DEMO_EMAIL
    await pilot.press("enter")
    await wait_until(
        pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "delete-code"
    )
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_change_password_wrong_current(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    assert snap_compare(embedded_app, run_before=password_typed, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_change_email_form(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    assert snap_compare(embedded_app, run_before=email_form, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_change_email_confirm_step(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    assert snap_compare(embedded_app, run_before=email_confirm_step, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_delete_account_dialog(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    assert snap_compare(embedded_app, run_before=delete_dialog, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_delete_account_code_step(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    assert snap_compare(embedded_app, run_before=delete_code_step, terminal_size=size)
