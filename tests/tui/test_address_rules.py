"""Per-country address rules (Google's address data, libphonenumber) and the AddressFields
widget's mapping to and from the API models."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Select

from accountdesk.api import Address, Metadata
from accountdesk.tui.address_rules import (
    CITY,
    NO_COUNTRY,
    STATE,
    STREET,
    ZIP,
    phone_problem,
    postal_code_problem,
    postal_text,
    rules_for,
    state_value,
    street_line,
    tag_problem,
)
from accountdesk.tui.widgets.address_fields import (
    AddressFields,
    AddressParts,
    StateChoice,
    address_field_paths,
)

# -- which fields a country requires, and what it calls them -----------------------------------


@pytest.mark.parametrize(
    ("code", "required"),
    [
        ("US", {STREET, CITY, ZIP, STATE}),
        ("DE", {STREET, CITY, ZIP}),
        ("IE", {STREET, CITY}),  # Eircodes are optional
        ("HK", {STREET, STATE}),  # no postal codes at all
        ("JP", {STREET, ZIP, STATE}),
    ],
)
def test_required_fields_follow_the_country(code: str, required: set[str]) -> None:
    assert rules_for(code).required == required


def test_without_a_country_the_usual_fields_are_required() -> None:
    assert rules_for("") is NO_COUNTRY
    assert NO_COUNTRY.required == {STREET, ZIP, CITY}
    assert NO_COUNTRY.postal_label == "ZIP code"
    assert rules_for("  ") is NO_COUNTRY


@pytest.mark.parametrize(
    ("code", "postal", "city", "state"),
    [
        ("US", "ZIP code", "City", "State"),
        ("DE", "Postal code", "City", "State/region"),
        ("GB", "Postal code", "Post town", "State/region"),
        ("IE", "Eircode", "City", "County"),
        ("CA", "Postal code", "City", "Province"),
        ("JP", "Postal code", "City", "Prefecture"),
        ("KR", "Postal code", "City", "Province"),
    ],
)
def test_fields_are_named_the_countrys_way(code: str, postal: str, city: str, state: str) -> None:
    rules = rules_for(code)
    assert (rules.postal_label, rules.city_label, rules.state_label) == (postal, city, state)


def test_lowercase_codes_are_accepted() -> None:
    assert rules_for("de").code == "DE"
    assert rules_for("de").name == "Germany"


def test_countries_without_postal_codes_say_so_in_the_placeholder() -> None:
    assert not rules_for("HK").uses_postal_code
    assert rules_for("HK").postal_placeholder == "not used in Hong Kong"
    assert rules_for("US").postal_placeholder == "e.g. 95014"


# -- states and regions ----------------------------------------------------------------------


def test_us_states_are_a_list_of_codes_labelled_by_name() -> None:
    choices = rules_for("US").state_choices
    assert ("California (CA)", "CA") in choices
    assert ("District of Columbia (DC)", "DC") in choices
    assert len({value for _label, value in choices}) == len(choices)


def test_each_state_is_offered_once_in_the_first_language() -> None:
    # Google lists Canadian provinces in English and French.
    values = [value for _label, value in rules_for("CA").state_choices]
    assert values.count("BC") == 1
    assert ("British Columbia (BC)", "BC") in rules_for("CA").state_choices


def test_countries_without_a_list_have_free_text() -> None:
    assert rules_for("DE").state_choices == ()
    assert rules_for("").state_choices == ()


@pytest.mark.parametrize("stored", ["CA", "ca", "California", " california "])
def test_a_stored_state_is_matched_by_code_or_name(stored: str) -> None:
    assert state_value(rules_for("US"), stored) == "CA"


def test_an_unknown_state_matches_nothing() -> None:
    assert state_value(rules_for("US"), "Atlantis") is None
    assert state_value(rules_for("US"), "") is None
    assert state_value(rules_for("DE"), "Bayern") is None


# -- postal codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("US", "20374"),
        ("US", "20374-1234"),
        ("DE", "10117"),
        ("GB", "SW1Y 4JH"),
        ("GB", "sw1y 4jh"),  # compared in capitals
        ("NL", "1234 AB"),
        ("CA", "K1A 0B1"),
        ("IE", "A65 F4E2"),
        ("PL", "00-950"),
    ],
)
def test_well_formed_postal_codes_pass(code: str, value: str) -> None:
    assert postal_code_problem(code, value) is None


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("US", "2037", "A ZIP code in the United States looks like 95014 or 22162-1010."),
        ("DE", "1011", "A postal code in Germany looks like 26133 or 53225."),
        (
            "GB",
            "12345",
            "A postal code in the United Kingdom looks like EC1Y 8SY, GIR 0AA or M2 5BQ.",
        ),
        ("IE", "12", "An Eircode in Ireland looks like A65 F4E2."),
    ],
)
def test_malformed_postal_codes_say_what_they_look_like(
    code: str, value: str, message: str
) -> None:
    assert postal_code_problem(code, value) == message


def test_a_zip_code_must_belong_to_the_chosen_state() -> None:
    assert postal_code_problem("US", "20374", "DC") is None
    assert postal_code_problem("US", "90210", "DC") == (
        "This ZIP code is not in District of Columbia; there they look like 20000 or 56999."
    )
    assert postal_code_problem("US", "90210", "CA") is None


def test_blank_or_countryless_postal_codes_are_not_judged() -> None:
    assert postal_code_problem("US", "  ") is None  # required-ness is the form's business
    assert postal_code_problem("", "anything") is None


# -- phone numbers -----------------------------------------------------------------------------


def test_phone_numbers_are_read_in_the_chosen_country() -> None:
    assert phone_problem("DE", "030 901820") is None
    assert phone_problem("US", "(202) 456-1111") is None
    assert phone_problem("US", "+49 30 901820") is None  # international numbers always work
    assert phone_problem("US", "") is None


def test_invalid_phone_numbers_show_an_example_of_the_country() -> None:
    assert phone_problem("US", "123") == (
        "Not a valid phone number in the United States; e.g. +1 201-555-0123."
    )
    assert phone_problem("DE", "phone") == "That is not a phone number; e.g. +49 30 123456."


def test_without_a_country_a_phone_number_needs_its_country_code() -> None:
    assert phone_problem("", "030 901820") == (
        "Start with + and the country code, e.g. +49 30 901820."
    )
    assert phone_problem("", "+49 30 901820") is None


# -- writing addresses ---------------------------------------------------------------------------


def test_street_and_number_in_the_countrys_order() -> None:
    assert street_line("Unter den Linden", "1", "DE") == "Unter den Linden 1"
    assert street_line("Pennsylvania Avenue", "1600", "US") == "1600 Pennsylvania Avenue"
    assert street_line("Main Street", None, "US") == "Main Street"
    assert street_line(None, None, None) == ""


def test_postal_text_follows_the_countrys_layout() -> None:
    berlin = Address(
        contact_name="Ada",
        street="Unter den Linden",
        street_number="1",
        street_appendix="Hinterhaus",
        zip_code="10117",
        city="Berlin",
        country="DE",
    )
    washington = Address(
        contact_name="Grace",
        company_name="US Navy",
        street="Pennsylvania Avenue",
        street_number="1600",
        zip_code="20374",
        city="Washington",
        state="DC",
        country="US",
    )
    assert postal_text(berlin).splitlines() == [
        "Ada",
        "Unter den Linden 1",
        "Hinterhaus",
        "10117 BERLIN",
        "GERMANY",
    ]
    assert postal_text(washington).splitlines() == [
        "Grace",
        "US Navy",
        "1600 Pennsylvania Avenue",
        "WASHINGTON, DC 20374",
        "UNITED STATES",
    ]


def test_postal_text_without_a_known_country_is_plain() -> None:
    address = Address(contact_name="Ada", street="Somewhere", zip_code="1", city="Town")
    assert postal_text(address).splitlines() == ["Ada", "Somewhere", "1 Town"]


@pytest.mark.parametrize(
    ("tag", "problem"),
    [
        ("BILLING", None),
        ("Office 2", None),
        ("a,b", "A tag cannot contain a comma; add one tag at a time."),
        ("x" * 65, "Use at most 64 characters (65 now)."),
        ("  ", "Type the tag first."),
    ],
)
def test_tag_rules(tag: str, problem: str | None) -> None:
    assert tag_problem(tag) == problem


# -- the widget: JSON paths, loading, and the request bodies ---------------------------------


def test_json_paths_map_to_the_field_ids() -> None:
    paths = address_field_paths("address")
    assert paths["street"] == "address-street-field"
    assert paths["zipCode"] == "address-zip-field"
    assert paths["contactPhone"] == "address-phone-field"
    nested = address_field_paths("signup", "customerAddress.", AddressParts(phone=False))
    assert nested["customerAddress.street"] == "signup-street-field"
    assert "customerAddress.contactPhone" not in nested


class FieldsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield AddressFields("t")


WASHINGTON = Address(
    id="a1",
    contact_name="Grace",
    company_name="US Navy",
    street="Pennsylvania Avenue",
    street_number="1600",
    zip_code="20500-0003",
    city="Washington",
    state="District of Columbia",
    country="US",
    contact_phone="+1 202 456 1111",
    metadata=Metadata(version=3),
)


async def test_load_then_save_round_trips_an_address() -> None:
    app = FieldsApp()
    async with app.run_test(size=(100, 60)) as pilot:
        fields = app.query_one(AddressFields)
        fields.load(WASHINGTON)
        await pilot.pause()
        # A state stored by name is shown as the list's choice.
        assert app.query_one("#t-state-choice", Select).value == "DC"
        assert fields.field_paths() == address_field_paths("t")
        assert fields.validate() == []

        update = fields.to_update(version=3)
        assert update.to_body() == {
            "contactName": "Grace",
            "companyName": "US Navy",
            "street": "Pennsylvania Avenue",
            "streetNumber": "1600",
            "streetAppendix": "",  # empty: cleared on the server
            "zipCode": "20500-0003",
            "city": "Washington",
            "country": "US",
            "state": "DC",
            "contactPhone": "+1 202 456 1111",
            "metadata": {"version": 3},
        }
        create = fields.to_create()
        assert "streetAppendix" not in create.to_body()  # blanks are left out of a new one


async def test_changing_the_country_changes_labels_and_the_state_control() -> None:
    app = FieldsApp()
    async with app.run_test(size=(100, 60)) as pilot:
        fields = app.query_one(AddressFields)
        fields.load(WASHINGTON)
        await pilot.pause()
        fields.country_select.select_code("DE")
        await pilot.pause()
        state = app.query_one(StateChoice)
        assert not state.offers_choices
        assert state.value == ""  # "DC" means nothing in Germany
        assert fields.field("zip").label == "Postal code"
        # The ZIP code is checked again, now by the German format.
        assert fields.field("zip").error == "A postal code in Germany looks like 26133 or 53225."
        app.query_one("#t-zip", Input).value = "10117"
        await pilot.pause()
        assert fields.field("zip").error is None


async def test_a_state_the_list_does_not_know_is_kept() -> None:
    app = FieldsApp()
    async with app.run_test(size=(100, 60)) as pilot:
        fields = app.query_one(AddressFields)
        fields.load(WASHINGTON.model_copy(update={"state": "Old Territory"}))
        await pilot.pause()
        assert app.query_one(StateChoice).value == "Old Territory"


async def test_an_optional_address_requires_nothing_until_something_is_typed() -> None:
    class OptionalApp(App[None]):
        def compose(self) -> ComposeResult:
            yield AddressFields("o", optional=True, contact_required=False)

    app = OptionalApp()
    async with app.run_test(size=(100, 60)) as pilot:
        fields = app.query_one(AddressFields)
        assert fields.is_blank()
        assert fields.validate() == []
        app.query_one("#o-city", Input).value = "Berlin"
        await pilot.pause()
        assert not fields.is_blank()
        invalid = [field.label for field in fields.validate()]
        assert invalid == ["Street", "ZIP code", "Country"]


def test_a_state_label_that_names_its_code_does_not_name_it_twice() -> None:
    labels = [label for label, _value in rules_for("US").state_choices]
    assert "Armed Forces (AA)" in labels
    assert not [label for label in labels if label.endswith(") (AA)")]
    assert "California (CA)" in labels
