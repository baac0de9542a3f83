"""Anonymous tokens, signup, double opt-in, login, logout, refresh and validation."""

from __future__ import annotations

import jwt
import pytest
from sandbox_harness import (
    EXPIRED_TOKEN_FAULT,
    INVALID_TOKEN_FAULT,
    PASSWORD,
    Harness,
    bearer,
    fields,
    unique_email,
)


async def test_anonymous_login_returns_the_documented_token(api: Harness) -> None:
    body = await api.anonymous()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3599
    assert body["refresh_token_expires_in"] == 86399
    assert len(body["access_token"]) == 28
    assert len(body["refresh_token"]) == 32
    assert body["scope"] == f"tenant={api.tenant}"
    assert body["sessionId"]


async def test_anonymous_login_refuses_a_foreign_client_id(api: Harness) -> None:
    response = await api.client.get(
        "/customerlogin/auth/anonymous/login",
        params={"tenant": api.tenant, "client_id": "demo-storefront"},
    )
    assert response.status_code == 401
    assert response.json()["type"] == "invalid_client"


async def test_anonymous_login_for_an_unknown_tenant_is_a_bad_request(api: Harness) -> None:
    response = await api.client.get(
        "/customerlogin/auth/anonymous/login", params={"tenant": "nosuch", "client_id": "x"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "type": "bad_request",
        "message": "The tenant information provided with the request is not valid.",
    }


async def test_anonymous_login_without_parameters_names_them(api: Harness) -> None:
    response = await api.client.get("/customerlogin/auth/anonymous/login")
    assert response.status_code == 400
    assert fields(response) == {"tenant": "missing_value", "client_id": "missing_value"}


async def test_anonymous_refresh_keeps_the_session(api: Harness) -> None:
    first = await api.anonymous()
    params = {"tenant": api.tenant, "client_id": api.client_id}
    refreshed = await api.client.get(
        "/customerlogin/auth/anonymous/refresh",
        params={**params, "refresh_token": first["refresh_token"]},
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["sessionId"] == first["sessionId"]
    assert refreshed.json()["access_token"] != first["access_token"]
    deprecated = await api.client.get(
        "/customerlogin/auth/anonymous/refresh",
        params={**params, "anonymous_token": first["access_token"]},
    )
    assert deprecated.status_code == 200
    assert "refresh_token" not in deprecated.json()
    assert deprecated.json()["sessionId"] == first["sessionId"]
    bogus = await api.client.get(
        "/customerlogin/auth/anonymous/refresh", params={**params, "refresh_token": "nope"}
    )
    assert bogus.status_code == 401
    neither = await api.client.get("/customerlogin/auth/anonymous/refresh", params=params)
    assert neither.status_code == 400
    assert fields(neither) == {"refresh_token": "missing_value"}


@pytest.mark.parametrize("name", ["refresh_token", "anonymous_token"])
async def test_an_empty_anonymous_refresh_token_is_a_wrong_one_not_a_missing_one(
    api: Harness, name: str
) -> None:
    # Found by schemathesis: the spec allows an empty string, and `refreshauthtoken` answers
    # an empty refresh token with 401 too.
    response = await api.client.get(
        "/customerlogin/auth/anonymous/refresh",
        params={"tenant": api.tenant, "client_id": api.client_id, name: ""},
    )
    assert response.status_code == 401
    assert response.json()["type"] == "invalid_refresh_token"


async def test_the_deprecated_anonymous_refresh_refuses_an_expired_token(api: Harness) -> None:
    first = await api.anonymous()
    await api.advance(2 * 3600)
    response = await api.client.get(
        "/customerlogin/auth/anonymous/refresh",
        params={
            "tenant": api.tenant,
            "client_id": api.client_id,
            "anonymous_token": first["access_token"],
        },
    )
    assert response.status_code == 401


async def test_expired_anonymous_refresh_token_is_refused(api: Harness) -> None:
    first = await api.anonymous()
    await api.advance(86400)
    response = await api.client.get(
        "/customerlogin/auth/anonymous/refresh",
        params={
            "tenant": api.tenant,
            "client_id": api.client_id,
            "refresh_token": first["refresh_token"],
        },
    )
    assert response.status_code == 401


async def test_signup_opt_in_and_login(api: Harness) -> None:
    email = unique_email()
    signup = await api.signup(
        email,
        customerDetails={"firstName": "Grace", "lastName": "Hopper", "contactEmail": email},
        customerAddress={"contactName": "Grace Hopper", "country": "us", "city": "Arlington"},
    )
    assert signup.status_code == 201
    customer_id = signup.json()["id"]
    assert customer_id.isdigit()
    assert len(customer_id) == 8

    before = await api.login(email, PASSWORD)
    assert before.status_code == 403
    assert before.json()["type"] == "account_not_activated"

    mail = await api.latest(email, "customer.opt-in")
    assert mail["token"] in mail["body"]
    assert set(mail) == {"id", "event", "to", "subject", "body", "token", "createdAt"}
    anonymous = await api.anonymous()
    confirmed = await api.call("GET", f"/signup/optin/{mail['token']}", anonymous["access_token"])
    assert confirmed.status_code == 200
    token = confirmed.json()
    # The opt-in link logs the customer in, in the caller's session.
    assert token["session_id"] == anonymous["sessionId"]
    assert (
        jwt.decode(token["saas_token"], options={"verify_signature": False})["sub"] == customer_id
    )

    again = await api.call("GET", f"/signup/optin/{mail['token']}", anonymous["access_token"])
    assert again.status_code == 400
    assert again.json()["type"] == "invalid_token"

    login = await api.login(email.upper(), PASSWORD)
    assert login.status_code == 200
    body = login.json()
    for snake, camel in [
        ("access_token", "accessToken"),
        ("refresh_token", "refreshToken"),
        ("expires_in", "expiresIn"),
        ("refresh_token_expires_in", "refreshTokenExpiresIn"),
        ("saas_token", "saasToken"),
    ]:
        assert body[snake] == body[camel]
    assert body["expires_in"] == 2591999
    assert body["refresh_token_expires_in"] == 86399
    assert body["token_type"] == "Bearer"
    assert body["initialPassword"] == "false"

    profile = await api.call("GET", "/me?expand=addresses", body["access_token"])
    assert profile.json()["firstName"] == "Grace"
    assert profile.json()["addresses"][0]["country"] == "US"
    assert profile.json()["addresses"][0]["isDefault"] is True
    assert "lastLogin" in profile.json()


async def test_signup_with_separate_login_credentials(api: Harness) -> None:
    contact, login_email = unique_email("contact"), unique_email("login")
    response = await api.signup(
        contact, signup={"email": login_email, "password": "Another-Pass-9"}
    )
    assert response.status_code == 201
    token = await api.latest(login_email, "customer.opt-in")
    await api.call("GET", f"/signup/optin/{token['token']}", await api.anonymous_token())
    assert (await api.login(login_email, "Another-Pass-9")).status_code == 200
    assert (await api.login(contact, PASSWORD)).status_code == 401


async def test_opt_in_token_expires_after_a_day(api: Harness) -> None:
    email = unique_email()
    await api.signup(email)
    mail = await api.latest(email, "customer.opt-in")
    await api.advance(86401)
    response = await api.call("GET", f"/signup/optin/{mail['token']}", await api.anonymous_token())
    assert response.status_code == 400
    assert response.json()["type"] == "invalid_token"


async def test_resend_activation_replaces_the_old_token(api: Harness) -> None:
    email = unique_email()
    await api.signup(email)
    first = await api.latest(email, "customer.opt-in")
    anonymous = await api.anonymous_token()
    resent = await api.call("POST", "/signup/optin/refresh_token", anonymous, json={"email": email})
    assert resent.status_code == 202
    second = await api.latest(email, "customer.opt-in")
    assert second["token"] != first["token"]
    old = await api.call("GET", f"/signup/optin/{first['token']}", anonymous)
    assert old.status_code == 400
    new = await api.call("GET", f"/signup/optin/{second['token']}", anonymous)
    assert new.status_code == 200


async def test_resend_activation_for_unknown_email_looks_the_same(api: Harness) -> None:
    ghost = unique_email("ghost")
    response = await api.call(
        "POST", "/signup/optin/refresh_token", await api.anonymous_token(), json={"email": ghost}
    )
    assert response.status_code == 202
    assert await api.mails(ghost) == []


async def test_duplicate_signup_is_a_conflict(api: Harness) -> None:
    email = unique_email()
    await api.signup(email)
    response = await api.signup(email.upper())
    assert response.status_code == 409
    assert response.json() == {
        "status": 409,
        "type": "conflict_resource",
        "message": f"Duplicate account '{email}' for tenant '{api.tenant}'.",
    }


async def test_signup_validation_points_at_each_field(api: Harness) -> None:
    cases = [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": unique_email(), "password": "short"}, "password"),
        ({"email": unique_email(), "password": "x" * 129}, "password"),
        ({"email": unique_email(), "password": " " * 10}, "password"),
        ({"email": unique_email()}, "password"),
        ({"password": PASSWORD}, "email"),
        (
            {
                "email": unique_email(),
                "password": PASSWORD,
                "customerDetails": {"contactEmail": "someone@example.org"},
            },
            "customerDetails.contactEmail",
        ),
        (
            {"email": unique_email(), "password": PASSWORD, "customerAddress": {"city": "Oslo"}},
            "customerAddress.contactName",
        ),
        (
            {
                "email": unique_email(),
                "password": PASSWORD,
                "customerAddress": {"contactName": "A", "country": "XX"},
            },
            "customerAddress.country",
        ),
        (
            {
                "email": unique_email(),
                "password": PASSWORD,
                "customerDetails": {"preferredCurrency": "EURO"},
            },
            "customerDetails.preferredCurrency",
        ),
        (
            {
                "email": unique_email(),
                "password": PASSWORD,
                "customerDetails": {"firstName": 42},
            },
            "customerDetails.firstName",
        ),
        (
            {
                "email": unique_email(),
                "password": PASSWORD,
                "customerDetails": {"b2b": {"companyRegistrationId": "123"}},
            },
            "customerDetails.firstName",
        ),
        (
            {
                "email": unique_email(),
                "password": PASSWORD,
                "signup": {"email": "x@example.com", "password": "123"},
            },
            "signup.password",
        ),
    ]
    anonymous = await api.anonymous_token()
    for body, field in cases:
        response = await api.post_signup(body, anonymous)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["type"] == "bad_request"
        assert field in fields(response), (body, response.json())


async def test_unicode_passwords_are_fine(api: Harness) -> None:
    email = unique_email()
    password = "pässwörd-🔑-密码"
    await api.register(email, password)
    assert (await api.login(email, password)).status_code == 200


async def test_wrong_password_and_unknown_email_answer_identically(api: Harness) -> None:
    email = unique_email()
    await api.register(email)
    wrong = await api.login(email, "Wrong-Password-1")
    unknown = await api.login(unique_email("nobody"), "Wrong-Password-1")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "status": 401,
            "type": "invalid_credentials",
            "message": "Invalid email or password.",
        }
    )


async def test_login_validates_its_body(api: Harness) -> None:
    anonymous = await api.anonymous_token()
    response = await api.call("POST", "/login", anonymous, json={"email": "a@example.com"})
    assert response.status_code == 400
    assert fields(response) == {"password": "missing_value"}


async def test_repeated_failures_are_throttled_with_growing_delay(api: Harness) -> None:
    email = unique_email()
    await api.register(email)
    for _ in range(4):
        assert (await api.login(email, "Wrong-Password-1")).status_code == 401
    fifth = await api.login(email, "Wrong-Password-1")
    assert fifth.status_code == 401
    locked = await api.login(email, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["type"] == "too_many_requests"
    assert int(locked.headers["Retry-After"]) == 30
    await api.advance(31)
    # The sixth failure locks for twice as long.
    assert (await api.login(email, "Wrong-Password-1")).status_code == 401
    relocked = await api.login(email, PASSWORD)
    assert relocked.status_code == 429
    assert int(relocked.headers["Retry-After"]) == 60
    await api.advance(61)
    assert (await api.login(email, PASSWORD)).status_code == 200
    # Success forgets the failures.
    assert (await api.login(email, "Wrong-Password-1")).status_code == 401


async def test_unknown_emails_are_throttled_too(api: Harness) -> None:
    ghost = unique_email("ghost")
    for _ in range(5):
        await api.login(ghost, "Wrong-Password-1")
    assert (await api.login(ghost, "Wrong-Password-1")).status_code == 429


async def test_logout_kills_access_and_refresh_token(api: Harness) -> None:
    body = await api.register(unique_email())
    access = body["access_token"]
    response = await api.call("GET", "/logout", access, params={"accessToken": access})
    assert response.status_code == 204
    after = await api.call("GET", "/me", access)
    assert after.status_code == 401
    assert after.json() == INVALID_TOKEN_FAULT
    refresh = await api.refresh_customer(body["refresh_token"])
    assert refresh.status_code == 401


async def test_logout_needs_a_customer_token_of_the_caller(api: Harness) -> None:
    first = await api.customer()
    second = await api.customer()
    foreign = await api.call("GET", "/logout", first, params={"accessToken": second})
    assert foreign.status_code == 400
    assert fields(foreign) == {"accessToken": "invalid_value"}
    anonymous = await api.anonymous_token()
    as_anonymous = await api.call("GET", "/logout", anonymous, params={"accessToken": anonymous})
    assert as_anonymous.status_code == 403
    missing = await api.call("GET", "/logout", first)
    assert missing.status_code == 400
    assert fields(missing) == {"accessToken": "missing_value"}


async def test_refresh_rotates_the_refresh_token(api: Harness) -> None:
    body = await api.register(unique_email())
    anonymous = await api.anonymous_token()
    refreshed = await api.refresh_customer(body["refresh_token"], anonymous)
    assert refreshed.status_code == 200
    new = refreshed.json()
    assert new["session_id"] == body["session_id"]
    assert new["refresh_token"] != body["refresh_token"]
    assert new["accessToken"] == new["access_token"]
    assert "saas_token" not in new
    assert (await api.call("GET", "/me", new["access_token"])).status_code == 200
    with_entity = await api.call(
        "GET",
        "/refreshauthtoken",
        anonymous,
        params={"refreshToken": new["refresh_token"], "legalEntityId": "LE-1"},
    )
    validated = await api.call("GET", "/validateauthtoken", with_entity.json()["access_token"])
    assert validated.json()["legalEntityId"] == "LE-1"


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_grant(api: Harness) -> None:
    """RFC 9700 4.14.2: a rotated-away refresh token coming back means a copy exists; every
    token of that login dies, the legitimate newest ones included."""
    body = await api.register(unique_email())
    anonymous = await api.anonymous_token()
    new = (await api.refresh_customer(body["refresh_token"], anonymous)).json()
    assert (await api.call("GET", "/me", new["access_token"])).status_code == 200
    reused = await api.refresh_customer(body["refresh_token"], anonymous)
    assert reused.status_code == 401
    assert reused.json()["type"] == "invalid_refresh_token"
    assert (await api.call("GET", "/me", new["access_token"])).status_code == 401
    assert (await api.call("GET", "/me", body["access_token"])).status_code == 401
    assert (await api.refresh_customer(new["refresh_token"], anonymous)).status_code == 401


async def test_refresh_token_expires(api: Harness) -> None:
    body = await api.register(unique_email())
    await api.advance(86400)
    response = await api.refresh_customer(body["refresh_token"])
    assert response.status_code == 401


async def test_customer_access_token_expires_after_thirty_days(api: Harness) -> None:
    access = await api.customer()
    await api.advance(2591998)
    assert (await api.call("GET", "/me", access)).status_code == 200
    await api.advance(2)
    expired = await api.call("GET", "/me", access)
    assert expired.status_code == 401
    assert expired.json() == EXPIRED_TOKEN_FAULT


async def test_anonymous_token_expires_after_an_hour(api: Harness) -> None:
    anonymous = await api.anonymous_token()
    await api.advance(3600)
    response = await api.call("GET", "/me", anonymous)
    assert response.json() == EXPIRED_TOKEN_FAULT


async def test_validate_reports_the_remaining_lifetime(api: Harness) -> None:
    email = unique_email()
    access = (await api.register(email))["access_token"]
    first = await api.call("GET", "/validateauthtoken", access)
    assert first.status_code == 200
    assert first.json()["email"] == email
    assert first.json()["scope"].endswith(f"tenant={api.tenant}")
    assert "customer.customerprofile_edit" in first.json()["scope"]
    await api.advance(1000)
    second = await api.call("GET", "/validateauthtoken", access)
    assert first.json()["expires_in"] - second.json()["expires_in"] >= 1000
    anonymous = await api.call("GET", "/validateauthtoken", await api.anonymous_token())
    assert anonymous.status_code == 403
    assert anonymous.json() == {
        "status": 403,
        "type": "forbidden",
        "message": "User not authorized.",
    }


async def test_bearer_problems_use_the_gateway_fault(api: Harness) -> None:
    for headers in (
        {},
        bearer("garbage"),
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
    ):
        response = await api.client.get(api.path("/me"), headers=headers)
        assert response.status_code == 401
        assert response.json() == INVALID_TOKEN_FAULT


async def test_tokens_do_not_cross_tenants(api: Harness) -> None:
    access = await api.customer()
    response = await api.client.get("/customer/demo/me", headers=bearer(access))
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN_FAULT
