"""The sandbox refuses up front what it could not store and read back; every 2xx is readable.

Before: `mixins` nested 255 deep answered 500 but were stored, and every later GET /me failed;
10 MB of mixins were stored; a 10 MB unknown email at login stored a 10 MB throttle row.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from sandbox_harness import PASSWORD, Harness, unique_email

from accountdesk.sandbox.body_limits import (
    MAX_ADDRESSES,
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_STRING_CHARS,
    nesting_depth,
)

ADDRESS = {"contactName": "Ada", "street": "Main St", "zipCode": "1", "city": "X", "country": "DE"}


def nested(levels: int) -> object:
    value: object = "bottom"
    for _ in range(levels):
        value = {"next": value}
    return value


def assert_refused(response: httpx.Response, status: int) -> dict[str, Any]:
    """An Emporix ErrorMessage with ``status``."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body["message"], str)
    return body


async def test_deep_profile_mixins_are_refused_and_the_profile_stays_readable(
    api: Harness,
) -> None:
    access = await api.customer()
    refused = await api.call("PATCH", "/me", access, json={"mixins": nested(255)})
    assert_refused(refused, 400)
    assert (await api.call("GET", "/me", access)).status_code == 200
    fine = await api.call("PATCH", "/me", access, json={"mixins": nested(MAX_DEPTH - 2)})
    assert fine.status_code == 200, fine.text
    assert (await api.call("GET", "/me", access)).status_code == 200


async def test_deep_address_and_signup_mixins_are_refused(api: Harness) -> None:
    access = await api.customer()
    address = await api.call(
        "POST", "/me/addresses", access, json={**ADDRESS, "mixins": nested(100)}
    )
    assert_refused(address, 400)
    email = unique_email("deep")
    signup = await api.signup(email, customerDetails={"mixins": nested(100)})
    assert_refused(signup, 400)
    assert (await api.signup(email)).status_code == 201  # nothing was stored the first time


async def test_a_bracket_bomb_is_a_400_not_a_500(api: Harness) -> None:
    token = await api.anonymous_token()
    bomb = b"[" * 100_000 + b"]" * 100_000
    response = await api.call(
        "POST", "/login", token, content=bomb, headers={"Content-Type": "application/json"}
    )
    assert_refused(response, 400)


async def test_bodies_over_the_limit_are_413(api: Harness) -> None:
    access = await api.customer()
    big = {"mixins": {f"k{n}": "x" * 1000 for n in range(MAX_BODY_BYTES // 1000 + 10)}}
    assert_refused(await api.call("PATCH", "/me", access, json=big), 413)
    token = await api.anonymous_token()
    huge_email = {"email": "a" * (MAX_BODY_BYTES + 1) + "@example.com", "password": PASSWORD}
    assert_refused(await api.call("POST", "/login", token, json=huge_email), 413)


async def test_long_strings_and_overlong_login_emails_are_400(api: Harness) -> None:
    access = await api.customer()
    long_text = {"mixins": {"note": "y" * (MAX_STRING_CHARS + 1)}}
    assert_refused(await api.call("PATCH", "/me", access, json=long_text), 400)
    token = await api.anonymous_token()
    long_email = {"email": "b" * 300 + "@example.com", "password": PASSWORD}
    body = assert_refused(await api.call("POST", "/login", token, json=long_email), 400)
    assert [detail["field"] for detail in body["details"]] == ["email"]


async def test_many_small_patches_cannot_add_up_past_the_stored_limit(api: Harness) -> None:
    access = await api.customer()
    chunk = MAX_STRING_CHARS - 10
    statuses = []
    for n in range(MAX_BODY_BYTES // chunk + 3):
        response = await api.call(
            "PATCH",
            "/me",
            access,
            content=json.dumps({"mixins": {f"part{n}": "z" * chunk}}).encode(),
            headers={"Content-Type": "application/merge-patch+json"},
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 413, statuses
    assert (await api.call("GET", "/me", access)).status_code == 200


async def test_the_address_count_limit_holds_under_parallel_requests(api: Harness) -> None:
    access = await api.customer()
    responses = await asyncio.gather(
        *(
            api.call("POST", "/me/addresses", access, json=ADDRESS)
            for _ in range(MAX_ADDRESSES + 20)
        )
    )
    created = [response for response in responses if response.status_code == 201]
    assert len(created) == MAX_ADDRESSES
    listed = await api.call("GET", "/me/addresses", access)
    assert len(listed.json()) == MAX_ADDRESSES


def test_nesting_depth_ignores_brackets_in_strings() -> None:
    assert nesting_depth(b'{"a": "[[[[{{{{", "b": [1, {"c": 2}]}', 10) == 3
    assert nesting_depth(b'["\\"[[["]', 10) == 1
    assert nesting_depth(b"[" * 1000, 5) == 6  # stops as soon as the limit is passed


async def test_control_characters_in_free_text_are_refused_by_field(api: Harness) -> None:
    access = await api.customer()
    response = await api.call(
        "PATCH",
        "/me",
        access,
        json={"contactPhone": "+49\t30 1234", "lastName": "\x1b[31mRed", "firstName": "Ada"},
    )
    body = assert_refused(response, 400)
    assert {detail["field"] for detail in body["details"]} == {"contactPhone", "lastName"}
    address = await api.call(
        "POST", "/me/addresses", access, json={**ADDRESS, "city": "Berlin\nMitte"}
    )
    assert [d["field"] for d in assert_refused(address, 400)["details"]] == ["city"]
    fine = await api.call("PATCH", "/me", access, json={"lastName": "Łukasiewicz 🙂 عربي"})
    assert fine.status_code == 200, fine.text
