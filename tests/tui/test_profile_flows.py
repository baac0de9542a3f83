"""Edit profile end to end against the sandbox: save, conflicts (both choices), a refused save,
the unsaved-changes question, the keyboard, and the account overview afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    create_active_customer,
    environment_for,
    log_in,
    settle,
    unique_email,
    wait_until,
)
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from accountdesk.api import Customer, CustomerApiClient, CustomerPatch
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.profile import EditProfileScreen
from accountdesk.tui.screens.profile_dialogs import ConflictScreen, UnsavedChangesScreen
from accountdesk.tui.widgets.form_field import FormField, FormStatus

MakeApp = Callable[..., AccountDeskApp]
SIZE = (100, 40)


async def profile_on_server(target: Any, email: str) -> Customer:
    """GET /me through a second login of the same customer."""
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        anonymous = await client.anonymous_login()
        token = await client.login(anonymous.access_token, email, CUSTOMER_PASSWORD)
        return await client.get_profile(token.access_token)


async def change_elsewhere(target: Any, email: str, patch: CustomerPatch) -> None:
    """Change the profile through a second login, as another device would."""
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        anonymous = await client.anonymous_login()
        token = await client.login(anonymous.access_token, email, CUSTOMER_PASSWORD)
        await client.update_profile(token.access_token, patch)


@asynccontextmanager
async def editing_profile(
    make_app: MakeApp, target: Any, size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[AccountDeskApp, Pilot[Any], EditProfileScreen, str]]:
    """A new customer, logged in, with the profile editor open and loaded."""
    email = unique_email("profile")
    await create_active_customer(target, email)
    app = make_app(environment_for(target))
    async with app.run_test(size=size) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, EditProfileScreen), what="editor")
        screen = app.screen
        assert isinstance(screen, EditProfileScreen)
        await settle(pilot)
        assert screen.query_one("#profile-first-name", Input).value == "Grace"
        yield app, pilot, screen, email


def value_of(screen: EditProfileScreen, input_id: str) -> str:
    return screen.query_one(f"#{input_id}", Input).value


def status_of(screen: EditProfileScreen) -> str:
    return screen.query_one("#profile-status", FormStatus).message


def dirty_marker(screen: EditProfileScreen) -> str:
    return str(screen.query_one("#profile-dirty", Static).render())


async def test_a_saved_profile_is_what_the_server_returns(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        screen.query_one("#profile-middle-name", Input).value = "Brewster"
        screen.query_one("#profile-phone", Input).value = "+1 650 253 0000"
        screen.query_one("#profile-currency", Select).value = "CHF"
        await pilot.pause()
        assert dirty_marker(screen) == "● 3 unsaved changes"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status_of(screen) == "Profile saved."
        assert dirty_marker(screen) == ""
        stored = await profile_on_server(fresh_tenant, email)
        assert (stored.middle_name, stored.contact_phone, stored.preferred_currency) == (
            "Brewster",
            "+1 650 253 0000",
            "CHF",
        )
        assert stored.first_name == "Grace"  # untouched fields stay as they were

        # Clearing a field removes it on the server (sent as a merge patch with null).
        screen.query_one("#profile-middle-name", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status_of(screen) == "Profile saved."
        assert (await profile_on_server(fresh_tenant, email)).middle_name is None

        # Back on the overview, the new values are shown.
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="overview")
        await settle(pilot)
        overview = app.screen
        assert "+1 650 253 0000" in str(overview.query_one("#account-phone", Static).render())
        assert "CHF" in str(overview.query_one("#account-currency", Static).render())


async def test_a_conflict_offers_both_values_and_keeping_mine_saves_mine(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        await change_elsewhere(
            fresh_tenant, email, CustomerPatch(first_name="Amazing", company="Navy")
        )
        screen.query_one("#profile-first-name", Input).value = "Gracie"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen), what="dialog")
        dialog = app.screen
        assert isinstance(dialog, ConflictScreen)
        [conflict] = dialog.conflicts  # the company changed only there: no question about it
        assert conflict.label == "First name"
        assert (conflict.mine, conflict.theirs) == ("Gracie", "Amazing")
        # The field only the other side changed now shows their value.
        assert value_of(screen, "profile-company") == "Navy"
        await pilot.press("ctrl+s")  # keep mine (preselected)
        await settle(pilot)
        assert app.screen is screen
        assert status_of(screen) == "Profile saved."
        stored = await profile_on_server(fresh_tenant, email)
        assert (stored.first_name, stored.company) == ("Gracie", "Navy")


async def test_a_conflict_can_take_the_servers_value_per_field(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        await change_elsewhere(
            fresh_tenant, email, CustomerPatch(first_name="Amazing", last_name="Murray")
        )
        screen.query_one("#profile-first-name", Input).value = "Gracie"
        screen.query_one("#profile-last-name", Input).value = "Hopper-Murray"
        screen.query_one("#profile-company", Input).value = "Harvard"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen), what="dialog")
        dialog = app.screen
        assert isinstance(dialog, ConflictScreen)
        assert [c.attribute for c in dialog.conflicts] == ["first_name", "last_name"]
        # By keyboard: the first row is focused; down arrow + enter picks "take server's".
        await pilot.press("down", "enter")
        assert dialog.take_theirs("first_name")
        assert not dialog.take_theirs("last_name")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert status_of(screen) == "Profile saved."
        assert value_of(screen, "profile-first-name") == "Amazing"
        assert value_of(screen, "profile-last-name") == "Hopper-Murray"
        stored = await profile_on_server(fresh_tenant, email)
        assert (stored.first_name, stored.last_name, stored.company) == (
            "Amazing",
            "Hopper-Murray",
            "Harvard",
        )


async def test_a_cancelled_conflict_saves_nothing_and_keeps_the_input(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        await change_elsewhere(fresh_tenant, email, CustomerPatch(first_name="Amazing"))
        screen.query_one("#profile-first-name", Input).value = "Gracie"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen), what="dialog")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert value_of(screen, "profile-first-name") == "Gracie"
        assert status_of(screen).startswith("Not saved.")
        assert (await profile_on_server(fresh_tenant, email)).first_name == "Amazing"


async def test_a_refused_save_keeps_every_value_and_says_why_next_to_the_field(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        screen.query_one("#profile-middle-name", Input).value = "Brewster"
        # The server's limit is 255; with the form's own check off, the server's 400 is what
        # has to land next to the field (a server stricter than the form).
        screen.query_one("#profile-company-field", FormField).max_length = None
        screen.query_one("#profile-company", Input).value = "C" * 300
        screen.query_one("#profile-language", Select).value = "de"
        await pilot.press("ctrl+s")
        await settle(pilot)
        company = screen.query_one("#profile-company-field", FormField)
        assert company.error == "At most 255 characters are allowed."
        assert app.focused is screen.query_one("#profile-company", Input)
        assert value_of(screen, "profile-middle-name") == "Brewster"
        assert value_of(screen, "profile-company") == "C" * 300
        assert screen.query_one("#profile-language", Select).value == "de"
        assert dirty_marker(screen) == "● 3 unsaved changes"
        assert (await profile_on_server(fresh_tenant, email)).middle_name is None


async def test_checks_before_sending_phone_and_registration_rule(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        screen.query_one("#profile-phone", Input).value = "030 1234567"
        screen.query_one("#profile-registration", Input).value = "HRB 12345"
        await pilot.press("ctrl+s")
        await settle(pilot)
        phone = screen.query_one("#profile-phone-field", FormField)
        registration = screen.query_one("#profile-registration-field", FormField)
        assert phone.error is not None
        assert "country code" in phone.error
        assert registration.error == (
            "A registration id needs first name, last name and company. Missing: Company."
        )
        assert status_of(screen) == "Check the highlighted fields: Phone, Company registration id."
        # Filling in the company satisfies the rule; a valid number the phone.
        screen.query_one("#profile-company", Input).value = "Navy"
        screen.query_one("#profile-phone", Input).value = "+49 30 1234567"
        await pilot.pause()
        assert registration.error is None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status_of(screen) == "Profile saved."
        stored = await profile_on_server(fresh_tenant, email)
        assert stored.b2b is not None
        assert stored.b2b.company_registration_id == "HRB 12345"
        assert stored.business_model == "B2B"
        # The overview shows the B2B block now.
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="overview")
        await settle(pilot)
        overview = app.screen
        assert overview.query_one("#account-b2b").display
        assert str(overview.query_one("#account-registration", Static).render()) == "HRB 12345"


async def test_leaving_with_unsaved_changes_asks_first(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        screen.query_one("#profile-company", Input).value = "Navy"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.screen is screen
        assert value_of(screen, "profile-company") == "Navy"

        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")  # discard
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="overview")
        assert (await profile_on_server(fresh_tenant, email)).company is None

        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, EditProfileScreen), what="editor")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, EditProfileScreen)
        assert value_of(again, "profile-company") == ""  # discarded
        again.query_one("#profile-company", Input).value = "Navy"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")  # save, then leave
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="overview")
        assert (await profile_on_server(fresh_tenant, email)).company == "Navy"


async def test_editing_by_keyboard_alone(make_app: MakeApp, fresh_tenant: Any) -> None:
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        # The first name has the focus; enter moves on to the next field.
        assert app.focused is screen.query_one("#profile-first-name", Input)
        await pilot.press("end", "backspace", *"ie", "enter")
        assert app.focused is screen.query_one("#profile-middle-name", Input)
        await pilot.press(*"B.", "enter")
        assert app.focused is screen.query_one("#profile-last-name", Input)
        await pilot.press("enter", "enter")  # last name -> contact email -> phone
        assert app.focused is screen.query_one("#profile-phone", Input)
        await pilot.press(*"+44 20 7946 0018", "enter", *"Navy", "enter")
        assert app.focused is screen.query_one("#profile-language", Select)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#profile-currency", Select)
        # Open the currency list, type to search, enter picks.
        await pilot.press("enter", *"swiss", "enter")
        await pilot.pause()
        assert screen.query_one("#profile-currency", Select).value == "CHF"
        await pilot.press("tab", *"main", "enter")  # site -> registration id
        assert app.focused is screen.query_one("#profile-registration", Input)
        await pilot.press("enter")  # enter in the last field saves
        await settle(pilot)
        assert status_of(screen) == "Profile saved."
        stored = await profile_on_server(fresh_tenant, email)
        assert (stored.first_name, stored.middle_name, stored.company) == ("Gracie", "B.", "Navy")
        assert (stored.contact_phone, stored.preferred_currency) == ("+44 20 7946 0018", "CHF")
        assert stored.preferred_site == "main"


@pytest.mark.parametrize(
    "pasted", ["\x1b[31mRed", "Love\tlace", "Love\nlace", "\x7f", "Lovelace\u009b"]
)
async def test_pasted_control_characters_are_refused_next_to_the_field(
    make_app: MakeApp, fresh_tenant: Any, pasted: str
) -> None:
    """A surname with ESC[31m or a tab used to be stored: now the form stops it, says so
    next to the field, keeps what was typed and sends nothing."""
    async with editing_profile(make_app, fresh_tenant) as (app, pilot, screen, email):
        last_name = screen.query_one("#profile-last-name", Input)
        last_name.value = pasted
        requests_before = len(app.api_log)
        await pilot.press("ctrl+s")
        await settle(pilot)
        field = screen.query_one("#profile-last-name-field", FormField)
        assert field.error is not None
        assert "control characters" in field.error
        assert last_name.value == pasted
        assert not [e for e in app.api_log[requests_before:] if e.method == "PATCH"]
        assert (await profile_on_server(fresh_tenant, email)).last_name == "Hopper"


async def test_right_to_left_and_emoji_text_is_saved_as_typed(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    async with editing_profile(make_app, fresh_tenant) as (_app, pilot, screen, email):
        screen.query_one("#profile-last-name", Input).value = "هوبر 🙂"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_until(
            pilot, lambda: not screen.query_one("#profile-last-name-field", FormField).error
        )
        assert (await profile_on_server(fresh_tenant, email)).last_name == "هوبر 🙂"
