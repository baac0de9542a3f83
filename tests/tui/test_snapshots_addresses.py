"""Snapshots of the address book, its form and its tags dialog (pytest-textual-snapshot).

Like tests/tui/test_snapshots.py, every app runs on the embedded sandbox (status line
"Sandbox · demo" whatever the port) as the demo customer, whose two seeded addresses (London
and Berlin) are joined by one in Washington, so the table shows three countries' layouts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers import DEMO_EMAIL, DEMO_PASSWORD, settle, wait_ready, wait_until
from textual.pilot import Pilot
from textual.widgets import Input

from accountdesk.api import AddressCreate
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.address_form import AddressFormScreen
from accountdesk.tui.screens.address_tags import AddressTagsScreen
from accountdesk.tui.screens.addresses import AddressBookScreen

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
LARGE = (120, 40)
SMALL = (80, 24)

WASHINGTON = AddressCreate(
    contact_name="Grace Hopper",
    company_name="US Navy",
    street="Pennsylvania Avenue",
    street_number="1600",
    zip_code="20500",
    city="Washington",
    state="DC",
    country="US",
    contact_phone="+1 202-456-1111",
)


async def address_book(pilot: Pilot[Any]) -> None:
    """The demo customer's address book, three addresses, the cursor on the first."""
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
    await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="the account")
    await app.account.add_address(WASHINGTON)
    await settle(pilot)
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, AddressBookScreen), what="the book")
    await settle(pilot)


async def editing_washington(pilot: Pilot[Any]) -> None:
    await address_book(pilot)
    await pilot.press("down", "down", "e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AddressFormScreen)


async def bad_postal_code(pilot: Pilot[Any]) -> None:
    await editing_washington(pilot)
    zip_input = pilot.app.screen.query_one("#address-zip", Input)
    zip_input.focus()
    await pilot.press("ctrl+a", "ctrl+k", *"2050", "ctrl+s")
    await settle(pilot)


async def tagging(pilot: Pilot[Any]) -> None:
    await address_book(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AddressTagsScreen)


def test_address_book_large(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=address_book, terminal_size=LARGE)


def test_address_book_small(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=address_book, terminal_size=SMALL)


def test_address_form_small(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=editing_washington, terminal_size=SMALL)


def test_address_form_postal_code_error_small(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp
) -> None:
    assert snap_compare(embedded_app, run_before=bad_postal_code, terminal_size=SMALL)


def test_address_form_large(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=editing_washington, terminal_size=LARGE)


def test_address_tags_small(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    assert snap_compare(embedded_app, run_before=tagging, terminal_size=SMALL)
