"""The address book end to end against the real sandbox: add, edit, delete, default, tags.

Every test works in its own tenant with a fresh customer; results are checked through the
account service (`app.account.list_addresses()`), i.e. as the server stores them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
from textual.widgets import Checkbox, DataTable, Input, Select

from accountdesk.api import Address, AddressCreate
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.address_form import AddressFormScreen
from accountdesk.tui.screens.address_tags import AddressTagsScreen
from accountdesk.tui.screens.addresses import DEFAULT_MARK, AddressBookScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.widgets.address_fields import StateChoice
from accountdesk.tui.widgets.country_select import CountrySelect
from accountdesk.tui.widgets.form_field import FormField, FormStatus

MakeApp = Callable[..., AccountDeskApp]
SIZE = (120, 40)

BERLIN = AddressCreate(
    contact_name="Grace Hopper",
    street="Unter den Linden",
    street_number="1",
    zip_code="10117",
    city="Berlin",
    country="DE",
)
WASHINGTON = AddressCreate(
    contact_name="Grace Hopper",
    company_name="US Navy",
    street="Pennsylvania Avenue",
    street_number="1600",
    zip_code="20500",
    city="Washington",
    state="DC",
    country="US",
)
PARIS = AddressCreate(
    contact_name="Ada Lovelace",
    street="rue de Rivoli",
    street_number="99",
    zip_code="75001",
    city="Paris",
    country="FR",
)


async def open_book(
    pilot: Pilot[Any], app: AccountDeskApp, tenant: Any, *seeded: AddressCreate
) -> AddressBookScreen:
    """Log a new customer in, store ``seeded`` addresses, open the book with `a`."""
    email = unique_email("book")
    await create_active_customer(tenant, email)
    await log_in(pilot, app, email, CUSTOMER_PASSWORD)
    for address in seeded:
        await app.account.add_address(address)
    assert isinstance(app.screen, AccountScreen)
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, AddressBookScreen), what="the book")
    await settle(pilot)
    book = app.screen
    assert isinstance(book, AddressBookScreen)
    return book


def table_of(book: AddressBookScreen) -> DataTable[str]:
    return book.query_one("#addresses-table", DataTable)


def column(book: AddressBookScreen, key: str) -> list[str]:
    table = table_of(book)
    return [str(table.get_cell(row_key, key)) for row_key in table.rows]


def field(pilot: Pilot[Any], key: str) -> FormField:
    return pilot.app.screen.query_one(f"#address-{key}-field", FormField)


def set_inputs(pilot: Pilot[Any], values: dict[str, str]) -> None:
    for key, value in values.items():
        pilot.app.screen.query_one(f"#address-{key}", Input).value = value


async def choose_country(pilot: Pilot[Any], typed: str) -> None:
    picker = pilot.app.screen.query_one("#address-country", CountrySelect)
    picker.focus()
    await pilot.press("ctrl+a", "ctrl+k", *typed, "enter")
    await pilot.pause()


async def by_id(app: AccountDeskApp) -> dict[str, Address]:
    return {address.id or "": address for address in await app.account.list_addresses()}


async def test_add_an_address_typed_into_the_form(make_app: MakeApp, fresh_tenant: Any) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant)
        assert "No addresses yet" in str(book.query_one("#addresses-detail").render())

        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AddressFormScreen)
        assert app.focused is app.screen.query_one("#address-contact-name", Input)
        await pilot.press(*"Grace Hopper", "enter")
        await pilot.press(*"Navy", "enter")
        await pilot.press(*"Unter den Linden", "enter", *"1", "enter")
        await pilot.press(*"Hinterhaus", "enter")
        await pilot.press(*"10117", "enter", *"Berlin", "enter")
        assert app.focused is app.screen.query_one("#address-country .country-filter", Input)
        await pilot.press(*"germ", "enter")  # picks Germany
        assert app.screen.query_one("#address-country", CountrySelect).value == "DE"
        set_inputs(pilot, {"phone": "030 901820"})
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is book
        [stored] = await app.account.list_addresses()
        assert (
            stored.contact_name,
            stored.company_name,
            stored.street,
            stored.street_number,
            stored.street_appendix,
            stored.zip_code,
            stored.city,
            stored.country,
            stored.contact_phone,
        ) == (
            "Grace Hopper",
            "Navy",
            "Unter den Linden",
            "1",
            "Hinterhaus",
            "10117",
            "Berlin",
            "DE",
            "030 901820",
        )
        assert stored.is_default  # the first address becomes the default
        assert column(book, "country") == ["Germany"]
        assert column(book, "street") == ["Unter den Linden 1"]
        assert column(book, "default") == [DEFAULT_MARK]
        # The detail shows it as a German letter is addressed: postal code before the city.
        detail = str(book.query_one("#addresses-detail").render())
        assert "10117 BERLIN" in detail
        assert book.query_one("#addresses-status", FormStatus).message == "Address saved."


async def test_a_bad_postal_code_is_shown_next_to_the_field_and_nothing_is_lost(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        await open_book(pilot, app, fresh_tenant)
        await pilot.press("n")
        await pilot.pause()
        set_inputs(
            pilot,
            {
                "contact-name": "Grace Hopper",
                "street": "Pennsylvania Avenue",
                "street-number": "1600",
                "city": "Washington",
            },
        )
        await choose_country(pilot, "us")
        app.screen.query_one("#address-state-choice", Select).value = "DC"
        app.screen.query_one("#address-zip", Input).focus()
        await pilot.press(*"2050")
        assert field(pilot, "zip").error == (
            "A ZIP code in the United States looks like 95014 or 22162-1010."
        )
        calls_before = len(app.api_log)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, AddressFormScreen)
        assert field(pilot, "zip").error == (
            "A ZIP code in the United States looks like 95014 or 22162-1010."
        )
        assert app.screen.query_one("#address-status", FormStatus).message == (
            "Check the highlighted field: ZIP code."
        )
        assert app.focused is app.screen.query_one("#address-zip", Input)
        assert len(app.api_log) == calls_before  # nothing was sent
        assert app.screen.query_one("#address-street", Input).value == "Pennsylvania Avenue"
        assert app.screen.query_one("#address-zip", Input).value == "2050"

        # A well-formed code of another state is refused too, with that state's format.
        await pilot.press("ctrl+a", "ctrl+k", *"90210")
        assert field(pilot, "zip").error == (
            "This ZIP code is not in District of Columbia; there they look like 20000 or 56999."
        )
        app.screen.query_one("#address-zip", Input).value = "20500"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AddressBookScreen)
        [stored] = await app.account.list_addresses()
        assert (stored.zip_code, stored.state, stored.country) == ("20500", "DC", "US")


async def test_us_states_are_offered_as_a_list_and_other_countries_type_freely(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        await open_book(pilot, app, fresh_tenant)
        await pilot.press("n")
        await pilot.pause()
        state = app.screen.query_one(StateChoice)
        assert not state.offers_choices
        assert field(pilot, "state").label == "State/region"

        await choose_country(pilot, "us")
        assert state.offers_choices
        choice = app.screen.query_one("#address-state-choice", Select)
        assert choice.display
        assert not app.screen.query_one("#address-state", Input).display
        choice.value = "CA"  # an option: anything else would raise InvalidSelectValueError
        choice.value = Select.NULL
        assert field(pilot, "state").label == "State"
        assert field(pilot, "state").required  # the US needs a state
        assert field(pilot, "zip").label == "ZIP code"

        # Without a state the form is refused, with the reason next to the state.
        set_inputs(
            pilot, {"contact-name": "Grace", "street": "Main St", "zip": "94105", "city": "SF"}
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field(pilot, "state").error == "State is required."
        choice.value = "CA"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AddressBookScreen)
        [stored] = await app.account.list_addresses()
        assert stored.state == "CA"

        # Germany has no list: free text, and its own word for the postal code.
        await pilot.press("n")
        await pilot.pause()
        await choose_country(pilot, "de")
        state = app.screen.query_one(StateChoice)
        assert not state.offers_choices
        assert app.screen.query_one("#address-state", Input).display
        assert field(pilot, "zip").label == "Postal code"
        assert not field(pilot, "state").required


async def test_edit_keeps_the_cursor_on_the_edited_row(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant, BERLIN, WASHINGTON, PARIS)
        table = table_of(book)
        await pilot.press("down")
        assert table.cursor_row == 1
        edited = book.addresses[1]
        assert edited.city == "Washington"

        await pilot.press("enter")  # enter edits, like e
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AddressFormScreen)
        # The form shows the stored address, state picked from the list.
        assert form.query_one("#address-company", Input).value == "US Navy"
        assert form.query_one("#address-country", CountrySelect).value == "US"
        assert form.query_one("#address-state-choice", Select).value == "DC"
        form.query_one("#address-street-number", Input).value = "1601"
        form.query_one("#address-company", Input).value = ""  # emptied: cleared on the server
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is book
        assert table.cursor_row == 1
        assert book.selected is not None
        assert book.selected.id == edited.id
        stored = (await by_id(app))[edited.id or ""]
        assert stored.street_number == "1601"
        assert not stored.company_name
        # In the US the number comes first.
        assert column(book, "street")[1] == "1601 Pennsylvania Avenue"


async def test_delete_asks_first(make_app: MakeApp, fresh_tenant: Any) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant, BERLIN, WASHINGTON, PARIS)
        await pilot.press("down")
        doomed = book.addresses[1]

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # changed my mind
        await settle(pilot)
        assert app.screen is book
        assert len(await app.account.list_addresses()) == 3

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is book
        remaining = await by_id(app)
        assert doomed.id not in remaining
        assert len(remaining) == 2
        # The cursor stays on the same row, now the next address.
        assert table_of(book).cursor_row == 1
        assert column(book, "city") == ["Berlin", "Paris"]
        assert book.query_one("#addresses-status", FormStatus).message == "Address deleted."


async def test_deleting_the_default_address_leaves_none(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant, BERLIN, WASHINGTON)
        assert column(book, "default") == [DEFAULT_MARK, ""]
        await pilot.press("d")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.detail is not None
        assert "This is your default address" in confirm.detail
        await pilot.press("y")
        await settle(pilot)

        [left] = await app.account.list_addresses()
        assert left.city == "Washington"
        assert not left.is_default
        assert column(book, "default") == [""]  # the table shows the server's truth
        assert table_of(book).cursor_row == 0

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        shown = str(app.screen.query_one("#account-address").render())
        assert shown == "No default address yet."


async def test_set_the_default_address(make_app: MakeApp, fresh_tenant: Any) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant, BERLIN, WASHINGTON)
        await pilot.press("down", "s")
        await settle(pilot)
        stored = await app.account.list_addresses()
        assert [(a.city, a.is_default) for a in stored] == [
            ("Berlin", False),
            ("Washington", True),
        ]
        assert column(book, "default") == ["", DEFAULT_MARK]
        assert table_of(book).cursor_row == 1
        # Already the default: the key does nothing (and is shown dimmed).
        assert book.check_action("set_default", ()) is None


async def test_tags_are_added_and_removed(make_app: MakeApp, fresh_tenant: Any) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant, BERLIN)

        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddressTagsScreen)
        boxes = list(dialog.query(Checkbox))
        assert [str(box.label) for box in boxes] == ["BILLING", "SHIPPING"]
        assert app.focused is boxes[0]
        await pilot.press("space")  # BILLING
        dialog.query_one("#address-tags-new", Input).focus()
        await pilot.press(*"a,b", "enter")
        assert dialog.query_one("#address-tags-new-field", FormField).error == (
            "A tag cannot contain a comma; add one tag at a time."
        )
        # Brackets stay text: a tag is never read as markup ("[B]" is not bold).
        await pilot.press("ctrl+a", "ctrl+k", *"Gate [B]", "enter")
        await pilot.pause()
        assert [box.label.plain for box in dialog.query(Checkbox)][-1] == "Gate [B]"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is book
        [stored] = await app.account.list_addresses()
        assert stored.tags == ["BILLING", "Gate [B]"]
        assert column(book, "tags") == ["BILLING, Gate [B]"]

        # Again: BILLING off, SHIPPING on, the custom tag kept.
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddressTagsScreen)
        billing, shipping, office = dialog.query(Checkbox)
        assert (billing.value, shipping.value, office.value) == (True, False, True)
        billing.value = False
        shipping.value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        [stored] = await app.account.list_addresses()
        assert sorted(stored.tags) == ["Gate [B]", "SHIPPING"]

        # And the custom tag off too.
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddressTagsScreen)
        next(box for box in dialog.query(Checkbox) if str(box.label) == "Gate [B]").value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        [stored] = await app.account.list_addresses()
        assert stored.tags == ["SHIPPING"]
        assert column(book, "tags") == ["SHIPPING"]


async def test_server_field_errors_land_next_to_their_fields(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        await open_book(pilot, app, fresh_tenant, BERLIN)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AddressFormScreen)
        # Longer than the server's 255-character limit, with the form's own length check off:
        # a server stricter than the form, whose 400 has to land next to the field.
        field(pilot, "street-appendix").max_length = None
        form.query_one("#address-street-appendix", Input).value = "x" * 300
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert field(pilot, "street-appendix").error == "At most 255 characters are allowed."
        assert app.focused is form.query_one("#address-street-appendix", Input)
        assert form.query_one("#address-street-appendix", Input).value == "x" * 300
        [stored] = await app.account.list_addresses()
        assert not stored.street_appendix

        await pilot.press("escape")
        await settle(pilot)
        # What was typed is still there: going back asks first (Discard is focused).
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AddressBookScreen)


async def test_an_address_changed_elsewhere_is_not_overwritten(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant, BERLIN)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AddressFormScreen)
        # Meanwhile, another session changes the same address.
        address_id = book.addresses[0].id or ""
        await app.account.add_address_tags(address_id, ["SHIPPING"])
        form.query_one("#address-city", Input).value = "Potsdam"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is form
        assert form.query_one("#address-status", FormStatus).message == (
            "This was changed elsewhere in the meantime. Reload it and try again."
        )
        assert form.query_one("#address-city", Input).value == "Potsdam"
        [stored] = await app.account.list_addresses()
        assert stored.city == "Berlin"


async def test_the_whole_form_by_keyboard_alone_at_80x24(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_book(pilot, app, fresh_tenant)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AddressFormScreen)
        # The status line and the buttons stay in view while the fields scroll.
        save = form.query_one("#address-save")
        assert save.region.bottom <= 23
        # Enter moves from field to field, empty optional ones included.
        await pilot.press(*"Grace Hopper", "enter", "enter")
        await pilot.press(*"Main Street", "enter", *"1", "enter", "enter")
        await pilot.press(*"20500", "enter", *"Washington", "enter")
        await pilot.press(*"us", "enter")  # picks the United States...
        await pilot.press("enter")  # ...and moves on to the state list
        assert app.focused is form.query_one("#address-state-choice", Select)
        await pilot.press("enter", *"dis", "enter")  # open, type to search, choose
        await pilot.pause()
        assert form.query_one("#address-state-choice", Select).value == "DC"
        await pilot.press("tab", *"202 456 1111", "enter")  # enter in the last field saves
        await settle(pilot)

        assert isinstance(app.screen, AddressBookScreen)
        [stored] = await app.account.list_addresses()
        assert (stored.street, stored.zip_code, stored.state, stored.country) == (
            "Main Street",
            "20500",
            "DC",
            "US",
        )
        assert stored.contact_phone == "202 456 1111"


async def test_an_address_deleted_elsewhere_is_reported_and_the_table_catches_up(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant, BERLIN, WASHINGTON)
        await app.account.delete_address(book.addresses[0].id or "")  # another session
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert book.query_one("#addresses-status", FormStatus).message == (
            "That no longer exists on the server; it may have been deleted elsewhere."
        )
        assert column(book, "city") == ["Washington"]


async def test_a_narrow_terminal_shows_fewer_columns_whole(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    """Below 100 columns the table drops the state and the tags and shows the country by its
    code; widened again, it shows them all. The cursor stays on its address throughout."""
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        book = await open_book(pilot, app, fresh_tenant, BERLIN, WASHINGTON)
        table = table_of(book)
        await pilot.press("down")
        assert len(table.columns) == 8
        assert column(book, "country") == ["Germany", "United States"]

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert [str(key.value) for key in table.columns] == [
            "default", "contact", "street", "zip", "city", "country",
        ]  # fmt: skip
        assert column(book, "country") == ["DE", "US"]
        assert table.cursor_row == 1
        # Every column whole: nothing to scroll sideways.
        assert table.virtual_size.width <= table.scrollable_content_region.width

        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert len(table.columns) == 8
        assert column(book, "state") == ["", "DC"]
        assert table.cursor_row == 1
