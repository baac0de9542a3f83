"""One 400 names every bad field of a request body, in the order of the request's schema."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sandbox_harness import PASSWORD, Harness, unique_email

from accountdesk.sandbox.errors import ApiProblem
from accountdesk.sandbox.schemas import SignupIn
from accountdesk.sandbox.validation import FieldProblems

NEW_PASSWORD = "Brand-New-Pass-7"


def problems(response: httpx.Response) -> list[tuple[str, str]]:
    """`(field, type)` of every detail of a 400 `bad_request`, in the order sent."""
    assert response.status_code == 400, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == 400
    assert body["type"] == "bad_request"
    assert body["message"]
    for detail in body["details"]:
        assert detail["message"].endswith("."), detail
    return [(detail["field"], detail["type"]) for detail in body["details"]]


async def test_signup_reports_every_bad_field_at_once(api: Harness) -> None:
    response = await api.post_signup(
        {"email": "bad", "password": "x", "customerAddress": {"country": "XXX"}}
    )
    assert problems(response) == [
        ("email", "invalid_value"),
        ("password", "invalid_value"),
        ("customerAddress.contactName", "missing_value"),
        ("customerAddress.country", "invalid_value"),
    ]
    assert await api.mails() == []


async def test_signup_details_follow_the_schema_not_the_check_order(api: Harness) -> None:
    # The b2b rule runs after the currency check yet names earlier fields; the signup
    # credentials sit last in the schema although they are checked first.
    response = await api.post_signup(
        {
            "email": unique_email(),
            "password": PASSWORD,
            "customerDetails": {
                "preferredCurrency": "EURO",
                "contactEmail": "someone-else@example.org",
                "b2b": {"companyRegistrationId": "HRB 1"},
            },
            "customerAddress": {"contactName": "Ada", "tags": ["BILLING", " ", "x" * 65]},
            "signup": {"email": "nope", "password": "123"},
        }
    )
    assert problems(response) == [
        ("customerDetails.firstName", "invalid_value"),
        ("customerDetails.lastName", "invalid_value"),
        ("customerDetails.contactEmail", "invalid_value"),
        ("customerDetails.company", "invalid_value"),
        ("customerDetails.preferredCurrency", "invalid_value"),
        ("customerAddress.tags[1]", "invalid_value"),
        ("customerAddress.tags[2]", "invalid_value"),
        ("signup.email", "invalid_value"),
        ("signup.password", "invalid_value"),
    ]


async def test_a_duplicate_signup_hears_about_bad_fields_first(api: Harness) -> None:
    email = unique_email()
    assert (await api.signup(email)).status_code == 201
    assert problems(await api.signup(email, "short")) == [("password", "invalid_value")]
    assert (await api.signup(email)).status_code == 409


async def test_pydantic_structure_errors_are_all_reported(api: Harness) -> None:
    anonymous = await api.anonymous_token()
    response = await api.post_signup(
        {
            "email": 5,
            "password": [],
            "customerDetails": {"firstName": 42},
            "customerAddress": "Main Street",
        },
        anonymous,
    )
    assert problems(response) == [
        ("email", "invalid_value"),
        ("password", "invalid_value"),
        ("customerDetails.firstName", "invalid_value"),
        ("customerAddress", "invalid_value"),
    ]
    missing = await api.post_signup({}, anonymous)
    assert problems(missing) == [("email", "missing_value"), ("password", "missing_value")]


async def test_unstorable_text_is_reported_for_every_field(api: Harness) -> None:
    response = await api.call(
        "POST",
        "/signup",
        await api.anonymous_token(),
        content=b'{"email": "\\ud800@example.com", "customerDetails": {"firstName": "\\udfff"}}',
        headers={"Content-Type": "application/json"},
    )
    assert problems(response) == [
        ("email", "invalid_value"),
        ("customerDetails.firstName", "invalid_value"),
    ]


async def test_address_create_reports_every_bad_field(api: Harness) -> None:
    access = await api.customer()
    response = await api.call(
        "POST",
        "/me/addresses",
        access,
        json={"tags": ["SHIPPING", ""], "country": "Germany", "city": "B" * 256},
    )
    assert problems(response) == [
        ("contactName", "missing_value"),
        ("city", "invalid_value"),
        ("country", "invalid_value"),
        ("tags[1]", "invalid_value"),
    ]
    assert (await api.call("GET", "/me/addresses", access)).json() == []


async def test_address_update_reports_every_bad_field(api: Harness) -> None:
    access = await api.customer()
    created = await api.call(
        "POST", "/me/addresses", access, json={"contactName": "Ada", "country": "GB"}
    )
    address_id = created.json()["id"]
    response = await api.call(
        "PATCH",
        f"/me/addresses/{address_id}",
        access,
        json={
            "contactName": " ",
            "zipCode": "9" * 300,
            "country": "ZZ",
            "metadata": {"version": 0},
        },
    )
    assert problems(response) == [
        ("contactName", "missing_value"),
        ("zipCode", "invalid_value"),
        ("country", "invalid_value"),
    ]
    unchanged = (await api.call("GET", f"/me/addresses/{address_id}", access)).json()
    assert (unchanged["contactName"], unchanged["country"]) == ("Ada", "GB")


async def test_profile_patch_reports_every_bad_field_before_the_version_check(
    api: Harness,
) -> None:
    access = await api.customer()
    before = (await api.call("GET", "/me", access)).json()
    bad = {
        "firstName": "F" * 256,
        "contactEmail": "not-an-email",
        "preferredCurrency": "EURO",
        "metadata": {"version": before["metadata"]["version"] + 7},
    }
    response = await api.call("PATCH", "/me", access, json=bad)
    assert problems(response) == [
        ("firstName", "invalid_value"),
        ("contactEmail", "invalid_value"),
        ("preferredCurrency", "invalid_value"),
    ]
    after = (await api.call("GET", "/me", access)).json()
    assert after["metadata"]["version"] == before["metadata"]["version"]
    assert after.get("firstName") == before.get("firstName")
    stale = await api.call(
        "PATCH", "/me", access, json={"firstName": "Ok", "metadata": bad["metadata"]}
    )
    assert stale.status_code == 409


async def test_profile_patch_reports_every_missing_b2b_field(api: Harness) -> None:
    access = await api.customer()
    response = await api.call(
        "PATCH", "/me", access, json={"b2b": {"companyRegistrationId": "HRB 1"}, "title": "DR"}
    )
    assert problems(response) == [
        ("firstName", "invalid_value"),
        ("lastName", "invalid_value"),
        ("company", "invalid_value"),
    ]


async def test_password_change_checks_the_fields_before_the_current_password(
    api: Harness,
) -> None:
    access = await api.customer()
    weak = await api.change_password(access, "Wrong-Password-1", "abc")
    assert problems(weak) == [("newPassword", "invalid_value")]
    blank = await api.change_password(access, "", "abc")
    assert problems(blank) == [
        ("currentPassword", "missing_value"),
        ("newPassword", "invalid_value"),
    ]
    wrong = await api.change_password(access, "Wrong-Password-1", NEW_PASSWORD)
    assert problems(wrong) == [("currentPassword", "invalid_value")]


async def test_other_write_bodies_report_every_bad_field(api: Harness) -> None:
    email = unique_email()
    access = await api.customer(email)
    anonymous = await api.anonymous_token()
    change = "/me/accounts/internal/email/change"
    assert problems(await api.call("POST", change, access, json={})) == [
        ("email", "missing_value"),
        ("password", "missing_value"),
        ("newEmail", "missing_value"),
    ]
    assert problems(
        await api.call("POST", change, access, json={"email": email, "newEmail": "bad"})
    ) == [("password", "missing_value"), ("newEmail", "invalid_value")]
    reset = await api.reset_password(" ", "x", anonymous)
    assert problems(reset) == [("token", "missing_value"), ("password", "invalid_value")]
    assign = await api.call(
        "POST", "/me/accounts/internal", access, json={"email": "bad", "password": "x"}
    )
    assert problems(assign) == [("email", "invalid_value"), ("password", "invalid_value")]
    login = await api.call("POST", "/login", anonymous, json={"email": " ", "password": "12345"})
    assert problems(login) == [("email", "missing_value"), ("password", "invalid_value")]
    # Malformed login bodies never count as failed attempts.
    assert (await api.login(email, PASSWORD)).status_code == 200


async def test_opt_in_token_with_an_encoded_slash_is_an_invalid_token(api: Harness) -> None:
    email = unique_email()
    await api.signup(email)
    token = (await api.latest(email, "customer.opt-in"))["token"]
    anonymous = await api.anonymous_token()
    for bad in (f"{token[:10]}%2F{token[10:]}", f"{token}%2F", "refresh_token"):
        response = await api.call("GET", f"/signup/optin/{bad}", anonymous)
        assert response.status_code == 400, (bad, response.text)
        assert response.json()["type"] == "invalid_token"
    resent = await api.call("POST", "/signup/optin/refresh_token", anonymous, json={"email": email})
    assert resent.status_code == 202
    fresh = (await api.latest(email, "customer.opt-in"))["token"]
    assert fresh != token
    confirmed = await api.call("GET", f"/signup/optin/{fresh}", anonymous)
    assert confirmed.status_code == 200, confirmed.text


def _record_email_and_password_problems() -> None:
    with FieldProblems(SignupIn) as collected:
        collected.invalid("signup.password", "Too short.")
        collected.missing("email")
        collected.invalid("email", "Not an address.")
        assert "email" in collected


def test_a_collector_keeps_one_problem_per_field_and_raises_once() -> None:
    with pytest.raises(ApiProblem) as caught:
        _record_email_and_password_problems()
    assert caught.value.details == [
        {"field": "email", "type": "missing_value", "message": "This field is required."},
        {"field": "signup.password", "type": "invalid_value", "message": "Too short."},
    ]
    assert caught.value.message == "The request contains invalid data."


def _fail_inside_the_block() -> None:
    with FieldProblems() as collected:
        collected.invalid("email", "Not an address.")
        raise KeyError("boom")


def test_an_error_inside_the_block_wins_over_the_collected_problems() -> None:
    with pytest.raises(KeyError):
        _fail_inside_the_block()
    with FieldProblems() as clean:
        assert "email" not in clean
