"""GET/PATCH/DELETE /me and the legacy assign-account endpoint."""

from __future__ import annotations

from sandbox_harness import INVALID_TOKEN_FAULT, PASSWORD, Harness, fields, unique_email

MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


async def test_anonymous_profile_is_the_documented_placeholder(api: Harness) -> None:
    response = await api.call("GET", "/me", await api.anonymous_token())
    assert response.status_code == 200
    assert response.json() == {
        "firstName": "Anonymous",
        "lastName": "Anonymous",
        "preferredSite": "default",
        "customerNumber": "00000000",
        "id": "00000000",
        "accounts": [],
    }


async def test_profile_has_defaults_accounts_and_version(api: Harness) -> None:
    email = unique_email()
    access = await api.customer(email)
    body = (await api.call("GET", "/me", access)).json()
    assert body["id"] == body["customerNumber"]
    assert body["accounts"] == [{"id": email}]
    assert body["contactEmail"] == email
    assert body["preferredLanguage"] == "en_US"
    assert body["preferredCurrency"] == "USD"
    assert body["preferredSite"] == "main"
    assert body["businessModel"] == "B2C"
    assert body["metadata"]["version"] >= 1
    assert "addresses" not in body


async def test_expand_addresses(api: Harness) -> None:
    access = await api.customer()
    await api.call("POST", "/me/addresses", access, json={"contactName": "A", "country": "DE"})
    plain = (await api.call("GET", "/me", access)).json()
    assert "addresses" not in plain
    assert plain["defaultAddress"]["contactName"] == "A"
    expanded = (await api.call("GET", "/me", access, params={"expand": "addresses,mixin:*"})).json()
    assert [address["contactName"] for address in expanded["addresses"]] == ["A"]
    typo = await api.call("GET", "/me", access, params={"expand": "adresses"})
    assert typo.status_code == 400
    assert fields(typo) == {"expand": "invalid_value"}


async def test_patch_updates_and_bumps_the_version(api: Harness) -> None:
    access = await api.customer()
    version = (await api.call("GET", "/me", access)).json()["metadata"]["version"]
    response = await api.call(
        "PATCH",
        "/me",
        access,
        json={
            "firstName": "Katherine",
            "preferredCurrency": "EUR",
            "metadata": {"version": version},
        },
    )
    assert response.status_code == 200
    assert response.json()["firstName"] == "Katherine"
    body = (await api.call("GET", "/me", access)).json()
    assert body["firstName"] == "Katherine"
    assert body["preferredCurrency"] == "EUR"
    assert body["metadata"]["version"] == version + 1
    # Without a version there is no locking: last write wins.
    unlocked = await api.call("PATCH", "/me", access, json={"lastName": "Johnson"})
    assert unlocked.status_code == 200
    assert unlocked.json()["metadata"]["version"] == version + 2


async def test_stale_version_is_a_conflict(api: Harness) -> None:
    access = await api.customer()
    version = (await api.call("GET", "/me", access)).json()["metadata"]["version"]
    await api.call("PATCH", "/me", access, json={"firstName": "One"})
    stale = await api.call(
        "PATCH", "/me", access, json={"firstName": "Two", "metadata": {"version": version}}
    )
    assert stale.status_code == 409
    assert stale.json()["type"] == "conflict_resource"
    assert (await api.call("GET", "/me", access)).json()["firstName"] == "One"


async def test_json_patch_ignores_nulls_and_merge_patch_clears(api: Harness) -> None:
    access = await api.customer()
    await api.call("PATCH", "/me", access, json={"middleName": "M", "mixins": {"a": 1, "b": 2}})
    await api.call("PATCH", "/me", access, json={"middleName": None})
    assert (await api.call("GET", "/me", access)).json()["middleName"] == "M"
    merged = await api.call(
        "PATCH",
        "/me",
        access,
        content=b'{"middleName": null, "mixins": {"a": null, "c": 3}}',
        headers=MERGE_PATCH,
    )
    assert merged.status_code == 200
    body = (await api.call("GET", "/me", access)).json()
    assert "middleName" not in body
    assert body["mixins"] == {"b": 2, "c": 3}


async def test_contact_email_cannot_be_unset(api: Harness) -> None:
    access = await api.customer()
    cleared = await api.call(
        "PATCH", "/me", access, content=b'{"contactEmail": null}', headers=MERGE_PATCH
    )
    assert cleared.status_code == 400
    assert fields(cleared) == {"contactEmail": "invalid_value"}
    emptied = await api.call("PATCH", "/me", access, json={"contactEmail": ""})
    assert emptied.status_code == 400
    assert fields(emptied) == {"contactEmail": "invalid_value"}


async def test_patch_validation_names_fields(api: Harness) -> None:
    access = await api.customer()
    cases = [
        ({"preferredCurrency": "eu"}, "preferredCurrency"),
        ({"firstName": ["x"]}, "firstName"),
        ({"metadata": {"version": "new"}}, "metadata.version"),
        ({"b2b": {"companyRegistrationId": "HRB 1"}}, "firstName"),
        ({"title": "x" * 300}, "title"),
    ]
    await api.assert_each_names_its_field("PATCH", "/me", access, cases)


async def test_b2b_profile(api: Harness) -> None:
    access = await api.customer()
    response = await api.call(
        "PATCH",
        "/me",
        access,
        json={
            "firstName": "Ada",
            "lastName": "L",
            "company": "Engines",
            "b2b": {"companyRegistrationId": "HRB 1"},
        },
    )
    assert response.status_code == 200
    body = (await api.call("GET", "/me", access)).json()
    assert body["businessModel"] == "B2B"
    assert body["b2b"] == {"companyRegistrationId": "HRB 1", "legalEntities": []}


async def test_patch_with_anonymous_token_is_forbidden(api: Harness) -> None:
    response = await api.call("PATCH", "/me", await api.anonymous_token(), json={"firstName": "X"})
    assert response.status_code == 403
    assert response.json()["type"] == "forbidden"


async def test_delete_needs_the_mailed_confirmation(api: Harness) -> None:
    email = unique_email()
    body = await api.register(email)
    access = body["access_token"]
    requested = await api.call("DELETE", "/me", access)
    assert requested.status_code == 202
    mail = await api.latest(email, "customer.deletion-request")
    wrong = await api.call("DELETE", "/me", access, params={"token": "wrong"})
    assert wrong.status_code == 400
    assert wrong.json()["type"] == "invalid_token"
    assert (await api.call("GET", "/me", access)).status_code == 200

    deleted = await api.call("DELETE", "/me", access, params={"token": mail["token"]})
    assert deleted.status_code == 204
    assert (await api.latest(email, "customer.deleted"))["token"] is None
    gone = await api.call("GET", "/me", access)
    assert gone.status_code == 401
    assert gone.json() == INVALID_TOKEN_FAULT
    refresh = await api.refresh_customer(body["refresh_token"])
    assert refresh.status_code == 401
    assert (await api.login(email, PASSWORD)).status_code == 401
    # The address is free again.
    assert (await api.signup(email)).status_code == 201


async def test_deletion_token_of_another_customer_does_not_work(api: Harness) -> None:
    first_email = unique_email()
    first = await api.customer(first_email)
    second = await api.customer()
    await api.call("DELETE", "/me", first)
    token = (await api.latest(first_email, "customer.deletion-request"))["token"]
    response = await api.call("DELETE", "/me", second, params={"token": token})
    assert response.status_code == 400
    # ...and it still works for its owner.
    assert (await api.call("DELETE", "/me", first, params={"token": token})).status_code == 204


async def test_deletion_token_expires(api: Harness) -> None:
    email = unique_email()
    access = await api.customer(email)
    await api.call("DELETE", "/me", access)
    token = (await api.latest(email, "customer.deletion-request"))["token"]
    await api.advance(86401)
    response = await api.call("DELETE", "/me", access, params={"token": token})
    assert response.status_code == 400


async def test_assign_account_adds_a_password_login(api: Harness) -> None:
    email = unique_email("social")
    code = await api.social_code(email, redirect_uri="http://localhost/cb")
    social = await api.social_login(code, redirect_uri="http://localhost/cb")
    access = social["access_token"]
    login_email = unique_email("login")
    weak = await api.call(
        "POST", "/me/accounts/internal", access, json={"email": login_email, "password": "123456"}
    )
    assert weak.status_code == 400
    assert fields(weak) == {"password": "invalid_value"}
    assigned = await api.call(
        "POST", "/me/accounts/internal", access, json={"email": login_email, "password": PASSWORD}
    )
    assert assigned.status_code == 201
    me = (await api.call("GET", "/me", access)).json()
    assert assigned.json() == {"id": me["id"]}
    assert {"id": login_email} in me["accounts"]
    assert (await api.login(login_email, PASSWORD)).status_code == 200
    again = await api.call(
        "POST",
        "/me/accounts/internal",
        access,
        json={"email": unique_email(), "password": PASSWORD},
    )
    assert again.status_code == 409


async def test_assign_account_refuses_a_taken_email(api: Harness) -> None:
    taken = unique_email()
    await api.register(taken)
    email = unique_email("social")
    code = await api.social_code(email, redirect_uri="x:cb")
    social = await api.social_login(code, redirect_uri="x:cb")
    response = await api.call(
        "POST",
        "/me/accounts/internal",
        social["access_token"],
        json={"email": taken, "password": PASSWORD},
    )
    assert response.status_code == 409
    assert response.json()["type"] == "conflict_resource"
