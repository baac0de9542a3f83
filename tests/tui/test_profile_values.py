"""The profile editor's pure parts: the phone check, the patch it sends, the shown values."""

from __future__ import annotations

import pytest

from accountdesk.api import B2BInfo, Customer, CustomerPatch, Metadata
from accountdesk.tui.screens.profile import profile_patch, profile_values
from accountdesk.tui.validation import phone_problem
from accountdesk.tui.widgets.personal_fields import (
    currency_options,
    display_value,
    personal_field_paths,
)


@pytest.mark.parametrize(
    "number",
    ["+44 20 7946 0018", "+1 (650) 253-0000", "0049 30 1234567", "", "   "],
)
def test_international_numbers_are_accepted(number: str) -> None:
    assert phone_problem(number) is None


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("030 1234567", "Start with + and the country code, for example +44 20 7946 0018."),
        ("+999 123", "Unknown country code after the +; check the first digits."),
        ("+44 12", "Too few digits for a +44 number."),
        ("+44 20 7946 00181234", "Too many digits for a +44 number."),
        ("+1 555 0100", "Not a valid +1 number; check the digits after the country code."),
        ("+44 call me", "Use digits only (spaces, dashes and brackets are fine)."),
    ],
)
def test_what_is_wrong_with_a_number_is_said(number: str, problem: str) -> None:
    assert phone_problem(number) == problem


def test_the_patch_holds_only_the_changes_and_the_version() -> None:
    patch = profile_patch({"first_name": "Gracie", "middle_name": None}, 7)
    assert patch.to_body() == {
        "firstName": "Gracie",
        "middleName": None,
        "metadata": {"version": 7},
    }
    assert patch.clears_fields  # sent as a merge patch, where null removes


def test_the_registration_id_goes_into_b2b() -> None:
    patch = profile_patch({"company_registration_id": "HRB 1"}, 2)
    assert patch.to_body() == {
        "b2b": {"companyRegistrationId": "HRB 1"},
        "metadata": {"version": 2},
    }
    assert not patch.clears_fields
    removed = profile_patch({"company_registration_id": None}, 2)
    assert removed.to_body()["b2b"] == {"companyRegistrationId": None}


def test_a_patch_without_nulls_is_plain_json() -> None:
    assert not CustomerPatch(last_name="Byron", metadata=Metadata(version=3)).clears_fields


def test_loaded_values_are_trimmed_and_blank_is_none() -> None:
    customer = Customer(
        first_name=" Ada ",
        last_name="",
        preferred_currency="GBP",
        b2b=B2BInfo(company_registration_id="HRB 1"),
    )
    values = profile_values(customer)
    assert values["first_name"] == "Ada"
    assert values["last_name"] is None
    assert values["preferred_currency"] == "GBP"
    assert values["company_registration_id"] == "HRB 1"


def test_currencies_are_iso_4217_sorted_by_name() -> None:
    options = currency_options()
    assert ("Euro (EUR)", "EUR") in options
    names = [label.rsplit(" (", 1)[0] for label, _code in options]
    assert names == sorted(names, key=str.casefold)
    assert display_value("preferred_currency", "CHF") == "Swiss Franc (CHF)"
    assert display_value("preferred_language", "en_GB") == "English, United Kingdom (en_GB)"
    assert display_value("first_name", None) == "(empty)"


def test_server_paths_of_both_bodies_name_the_fields() -> None:
    paths = personal_field_paths("profile", body_prefixes=("", "customerDetails."))
    assert paths["firstName"] == "profile-first-name-field"
    assert paths["customerDetails.contactPhone"] == "profile-phone-field"
    assert "preferredCurrency" not in paths  # a picker: its complaints go to the status line
