"""Password reset, password change and email change."""

from __future__ import annotations

from sandbox_harness import PASSWORD, Harness, fields, unique_email

NEW_PASSWORD = "Brand-New-Pass-7"


async def _reset_token(api: Harness, email: str) -> str:
    anonymous = await api.anonymous_token()
    response = await api.call("POST", "/password/reset", anonymous, json={"email": email})
    assert response.status_code == 204
    return str((await api.latest(email, "customer.password-reset"))["token"])


async def test_reset_answers_the_same_for_unknown_email(api: Harness) -> None:
    anonymous = await api.anonymous_token()
    ghost = unique_email("ghost")
    response = await api.call("POST", "/password/reset", anonymous, json={"email": ghost})
    assert response.status_code == 204
    assert response.content == b""
    assert await api.mails(ghost) == []


async def test_reset_sets_the_password_and_revokes_every_session(api: Harness) -> None:
    email = unique_email()
    body = await api.register(email)
    token = await _reset_token(api, email)
    anonymous = await api.anonymous_token()
    done = await api.reset_password(token, NEW_PASSWORD, anonymous)
    assert done.status_code == 204
    assert (await api.call("GET", "/me", body["access_token"])).status_code == 401
    refresh = await api.refresh_customer(body["refresh_token"], anonymous)
    assert refresh.status_code == 401
    assert (await api.login(email, PASSWORD)).status_code == 401
    assert (await api.login(email, NEW_PASSWORD)).status_code == 200
    assert (await api.latest(email, "customer.password-changed"))["token"] is None
    reused = await api.reset_password(token, PASSWORD, anonymous)
    assert reused.status_code == 400
    assert reused.json()["type"] == "invalid_token"


async def test_reset_token_expires_and_policy_applies(api: Harness) -> None:
    email = unique_email()
    await api.register(email)
    token = await _reset_token(api, email)
    anonymous = await api.anonymous_token()
    weak = await api.reset_password(token, "short", anonymous)
    assert weak.status_code == 400
    assert fields(weak) == {"password": "invalid_value"}
    await api.advance(86401)
    late = await api.reset_password(token, NEW_PASSWORD)
    assert late.status_code == 400
    assert late.json()["type"] == "invalid_token"


async def test_a_newer_reset_token_replaces_the_older(api: Harness) -> None:
    email = unique_email()
    await api.register(email)
    first = await _reset_token(api, email)
    second = await _reset_token(api, email)
    anonymous = await api.anonymous_token()
    old = await api.reset_password(first, NEW_PASSWORD, anonymous)
    assert old.status_code == 400
    new = await api.reset_password(second, NEW_PASSWORD, anonymous)
    assert new.status_code == 204


async def test_successful_reset_lifts_the_login_lock(api: Harness) -> None:
    email = unique_email()
    await api.register(email)
    for _ in range(5):
        await api.login(email, "Wrong-Password-1")
    assert (await api.login(email, PASSWORD)).status_code == 429
    token = await _reset_token(api, email)
    await api.reset_password(token, NEW_PASSWORD)
    assert (await api.login(email, NEW_PASSWORD)).status_code == 200


async def test_change_password_keeps_only_the_callers_session(api: Harness) -> None:
    email = unique_email()
    current = await api.register(email)
    other = (await api.login(email, PASSWORD)).json()
    response = await api.change_password(current["access_token"], PASSWORD, NEW_PASSWORD)
    assert response.status_code == 204
    assert (await api.call("GET", "/me", current["access_token"])).status_code == 200
    assert (await api.call("GET", "/me", other["access_token"])).status_code == 401
    anonymous = await api.anonymous_token()
    kept = await api.refresh_customer(current["refresh_token"], anonymous)
    assert kept.status_code == 200
    dead = await api.refresh_customer(other["refresh_token"], anonymous)
    assert dead.status_code == 401
    assert (await api.login(email, NEW_PASSWORD)).status_code == 200
    assert (await api.latest(email, "customer.password-changed"))["event"]


async def test_change_password_errors_name_the_field(api: Harness) -> None:
    access = await api.customer()
    wrong = await api.change_password(access, "Wrong-Password-1", NEW_PASSWORD)
    assert wrong.status_code == 400
    assert fields(wrong) == {"currentPassword": "invalid_value"}
    weak = await api.change_password(access, PASSWORD, "abc")
    assert weak.status_code == 400
    assert fields(weak) == {"newPassword": "invalid_value"}
    missing = await api.call("POST", "/password/change", access, json={})
    assert fields(missing) == {"currentPassword": "missing_value", "newPassword": "missing_value"}
    anonymous = await api.call(
        "POST",
        "/password/change",
        await api.anonymous_token(),
        json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
    )
    assert anonymous.status_code == 403


async def test_email_change_round_trip(api: Harness) -> None:
    old, new = unique_email("old"), unique_email("new")
    access = await api.customer(old)
    requested = await api.call(
        "POST",
        "/me/accounts/internal/email/change",
        access,
        json={"email": old, "password": PASSWORD, "newEmail": new, "syncContactEmail": True},
    )
    assert requested.status_code == 204
    mail = await api.latest(new, "customer.email-change-request")
    assert await api.mails(old) == [m for m in await api.mails(old) if m["to"] == old]
    confirmed = await api.call(
        "POST",
        "/me/accounts/internal/email/change/confirm",
        await api.anonymous_token(),
        json={"token": mail["token"]},
    )
    assert confirmed.status_code == 204
    notice = await api.latest(old, "customer.email-change")
    assert new in notice["body"]
    profile = (await api.call("GET", "/me", access)).json()
    assert profile["accounts"] == [{"id": new}]
    assert profile["contactEmail"] == new
    assert (await api.login(new, PASSWORD)).status_code == 200
    assert (await api.login(old, PASSWORD)).status_code == 401
    again = await api.call(
        "POST",
        "/me/accounts/internal/email/change/confirm",
        await api.anonymous_token(),
        json={"token": mail["token"]},
    )
    assert again.status_code == 400


async def test_email_change_without_sync_keeps_contact_email(api: Harness) -> None:
    old, new = unique_email("old"), unique_email("new")
    access = await api.customer(old)
    await api.call(
        "POST",
        "/me/accounts/internal/email/change",
        access,
        json={"email": old, "password": PASSWORD, "newEmail": new},
    )
    token = (await api.latest(new, "customer.email-change-request"))["token"]
    await api.call(
        "POST",
        "/me/accounts/internal/email/change/confirm",
        await api.anonymous_token(),
        json={"token": token},
    )
    profile = (await api.call("GET", "/me", access)).json()
    assert profile["contactEmail"] == old
    assert profile["accounts"] == [{"id": new}]


async def test_email_change_errors(api: Harness) -> None:
    email = unique_email()
    access = await api.customer(email)
    taken = unique_email("taken")
    await api.register(taken)
    cases = [
        ({"email": email, "password": "Wrong-Password-1", "newEmail": unique_email()}, "password"),
        ({"email": unique_email(), "password": PASSWORD, "newEmail": unique_email()}, "email"),
        ({"email": email, "password": PASSWORD, "newEmail": "nope"}, "newEmail"),
        ({"email": email, "password": PASSWORD, "newEmail": email}, "newEmail"),
        ({"email": email, "password": PASSWORD}, "newEmail"),
    ]
    await api.assert_each_names_its_field(
        "POST", "/me/accounts/internal/email/change", access, cases
    )
    duplicate = await api.call(
        "POST",
        "/me/accounts/internal/email/change",
        access,
        json={"email": email, "password": PASSWORD, "newEmail": taken},
    )
    assert duplicate.status_code == 409
    bogus = await api.call(
        "POST",
        "/me/accounts/internal/email/change/confirm",
        await api.anonymous_token(),
        json={"token": "nope"},
    )
    assert bogus.status_code == 400
    assert bogus.json()["type"] == "invalid_token"
    empty = await api.call(
        "POST", "/me/accounts/internal/email/change/confirm", await api.anonymous_token(), json={}
    )
    assert fields(empty) == {"token": "missing_value"}


async def test_email_change_token_expires(api: Harness) -> None:
    email, new = unique_email(), unique_email("new")
    access = await api.customer(email)
    await api.call(
        "POST",
        "/me/accounts/internal/email/change",
        access,
        json={"email": email, "password": PASSWORD, "newEmail": new},
    )
    token = (await api.latest(new, "customer.email-change-request"))["token"]
    await api.advance(86401)
    late = await api.call(
        "POST",
        "/me/accounts/internal/email/change/confirm",
        await api.anonymous_token(),
        json={"token": token},
    )
    assert late.status_code == 400


async def test_guessing_the_current_password_is_throttled(api: Harness) -> None:
    email = unique_email()
    access = await api.customer(email)
    for _ in range(5):
        wrong = await api.change_password(access, "Wrong-Password-1", NEW_PASSWORD)
        assert wrong.status_code == 400
    locked = await api.change_password(access, PASSWORD, NEW_PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "30"
    # The lock is the login lock of the address: guesses here and at /login add up.
    assert (await api.login(email, PASSWORD)).status_code == 429
    email_change = await api.call(
        "POST",
        "/me/accounts/internal/email/change",
        access,
        json={"email": email, "password": PASSWORD, "newEmail": unique_email()},
    )
    assert email_change.status_code == 429
    await api.advance(31)
    done = await api.change_password(access, PASSWORD, NEW_PASSWORD)
    assert done.status_code == 204


async def test_password_change_does_not_bump_the_profile_version(api: Harness) -> None:
    access = await api.customer()
    before = (await api.call("GET", "/me", access)).json()["metadata"]["version"]
    await api.change_password(access, PASSWORD, NEW_PASSWORD)
    after = (await api.call("GET", "/me", access)).json()["metadata"]["version"]
    assert after == before
