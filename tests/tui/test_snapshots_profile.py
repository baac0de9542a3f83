"""Snapshots of the profile editor, its conflict dialog and the account overview hub.

Every app runs on the embedded sandbox with the demo customer (fresh database per app), so the
status line and the data are the same on every machine; nothing shown depends on the time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers import DEMO_EMAIL, DEMO_PASSWORD, demo_logged_in, settle, wait_until
from textual.pilot import Pilot
from textual.widgets import Input

from accountdesk.api import CustomerApiClient, CustomerPatch
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.profile import EditProfileScreen
from accountdesk.tui.screens.profile_dialogs import ConflictScreen

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
LARGE = (120, 40)
SMALL = (80, 24)


async def editing(pilot: Pilot[Any]) -> EditProfileScreen:
    """The profile editor, loaded, with one field changed (the marker shows)."""
    await demo_logged_in(pilot)
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, EditProfileScreen))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EditProfileScreen)
    screen.query_one("#profile-middle-name", Input).value = "Augusta"
    await settle(pilot)
    return screen


def test_account_hub(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=demo_logged_in, terminal_size=LARGE)


def test_account_hub_small(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=demo_logged_in, terminal_size=SMALL)


def test_edit_profile(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await editing(pilot)

    assert snap_compare(embedded_app, run_before=run_before, terminal_size=LARGE)


async def phone_refused(pilot: Pilot[Any]) -> None:
    """A phone number without its country code, sent: the error next to the field."""
    screen = await editing(pilot)
    screen.query_one("#profile-phone", Input).value = "020 7946 0018"
    await pilot.press("ctrl+s")
    await settle(pilot)


async def conflicting(pilot: Pilot[Any]) -> None:
    """The conflict dialog: another device changed the profile after the editor loaded it."""
    screen = await editing(pilot)
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    assert app.base_url is not None
    async with CustomerApiClient(app.base_url, "demo", "demo-storefront") as client:
        anonymous = await client.anonymous_login()
        token = await client.login(anonymous.access_token, DEMO_EMAIL, DEMO_PASSWORD)
        await client.update_profile(
            token.access_token,
            CustomerPatch(middle_name="King", preferred_currency="EUR", company="Babbage & Co"),
        )
    screen.query_one("#profile-company", Input).value = "Difference Engines plc"
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen), what="dialog")
    # Not `settle`: the conflict worker waits for the dialog's answer.
    await pilot.pause()


def test_edit_profile_small_with_an_error(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp
) -> None:
    assert snap_compare(embedded_app, run_before=phone_refused, terminal_size=SMALL)


def test_conflict_dialog(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=conflicting, terminal_size=SMALL)
