"""socialLogin and exchangeauthtoken through the built-in fake identity provider."""

from __future__ import annotations

import base64
import hashlib

from sandbox_harness import PASSWORD, SOCIAL_REDIRECT, Harness, fields, unique_email


async def test_social_login_provisions_a_customer(api: Harness) -> None:
    email = unique_email("social")
    body = await api.social_login(await api.social_code(email, name="Hedy Lamarr"))
    assert body["expires_in"] == "2591999"
    assert body["refresh_token_expires_in"] == "86399"
    assert isinstance(body["session_idle_time"], int)
    assert "session_id" not in body
    profile = (await api.call("GET", "/me", str(body["access_token"]))).json()
    assert profile["firstName"] == "Hedy"
    assert profile["lastName"] == "Lamarr"
    [account] = profile["accounts"]
    assert account["id"] == email
    assert account["providerId"].startswith("sandbox-idp|")
    again = await api.social_login(await api.social_code(email))
    same = (await api.call("GET", "/me", str(again["access_token"]))).json()
    assert same["id"] == profile["id"]


async def test_social_login_keeps_the_session_header(api: Harness) -> None:
    anonymous = await api.anonymous()
    response = await api.call(
        "POST",
        "/socialLogin",
        anonymous["access_token"],
        params={"code": await api.social_code(unique_email()), "redirect_uri": SOCIAL_REDIRECT},
        headers={"session-id": "my-session"},
    )
    validated = await api.call("GET", "/validateauthtoken", response.json()["access_token"])
    assert validated.json()["sessionId"] == "my-session"


async def test_social_login_links_an_existing_password_account(api: Harness) -> None:
    email = unique_email()
    await api.register(email)
    body = await api.social_login(await api.social_code(email))
    profile = (await api.call("GET", "/me", str(body["access_token"]))).json()
    assert profile["accounts"][0] == {"id": email}
    assert profile["accounts"][1]["providerId"].startswith("sandbox-idp|")
    assert (await api.login(email, PASSWORD)).status_code == 200


async def test_an_unconfirmed_sign_up_is_not_linked_so_its_password_cannot_hijack(
    api: Harness,
) -> None:
    """Account pre-hijacking: an attacker signs up the victim's address with a password of
    their own and never confirms it; the victim later signs in with the identity provider."""
    victim = unique_email("victim")
    attacker_password = "Attacker-Chose-This-1"
    signup = await api.signup(
        victim,
        attacker_password,
        customerAddress={"contactName": "Attacker", "street": "Evil Rd", "country": "DE"},
    )
    assert signup.status_code == 201
    body = await api.social_login(await api.social_code(victim, name="Victim Person"))
    access = str(body["access_token"])
    await api.call("POST", "/me/addresses", access, json={"contactName": "Victim", "country": "DE"})
    profile = (await api.call("GET", "/me", access)).json()
    assert [account.get("id") for account in profile["accounts"]] == [victim]
    assert "providerId" in profile["accounts"][0]
    assert profile["firstName"] == "Victim"
    addresses = (await api.call("GET", "/me/addresses", access)).json()
    assert [address["contactName"] for address in addresses] == ["Victim"]
    # The attacker's password opens nothing, and the old opt-in code activates nothing.
    attempt = await api.login(victim, attacker_password)
    assert attempt.status_code == 401
    opt_in = (await api.latest(victim, "customer.opt-in"))["token"]
    confirmed = await api.call("GET", f"/signup/optin/{opt_in}", await api.anonymous_token())
    assert confirmed.status_code == 400


async def test_codes_are_single_use_bound_and_short_lived(api: Harness) -> None:
    anonymous = await api.anonymous_token()
    code = await api.social_code(unique_email())
    await api.social_login(code)
    reused = await api.call(
        "POST", "/socialLogin", anonymous, params={"code": code, "redirect_uri": SOCIAL_REDIRECT}
    )
    assert reused.status_code == 400
    assert fields(reused) == {"code": "invalid_value"}
    other_redirect = await api.call(
        "POST",
        "/socialLogin",
        anonymous,
        params={"code": await api.social_code(unique_email()), "redirect_uri": "http://evil/cb"},
    )
    assert other_redirect.status_code == 400
    assert fields(other_redirect) == {"redirect_uri": "invalid_value"}
    late_code = await api.social_code(unique_email())
    await api.advance(601)
    late = await api.call(
        "POST",
        "/socialLogin",
        await api.anonymous_token(),
        params={"code": late_code, "redirect_uri": SOCIAL_REDIRECT},
    )
    assert late.status_code == 400
    missing = await api.call("POST", "/socialLogin", await api.anonymous_token())
    assert fields(missing) == {"code": "missing_value", "redirect_uri": "missing_value"}


async def test_pkce(api: Harness) -> None:
    verifier = "a-long-random-verifier-string-for-pkce-0123456789"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    code = await api.social_code(unique_email(), code_challenge=challenge.decode())
    anonymous = await api.anonymous_token()
    wrong = await api.call(
        "POST",
        "/socialLogin",
        anonymous,
        params={"code": code, "redirect_uri": SOCIAL_REDIRECT, "code_verifier": "wrong"},
    )
    assert wrong.status_code == 400
    assert fields(wrong) == {"code_verifier": "invalid_value"}
    code = await api.social_code(unique_email(), code_challenge=challenge.decode())
    await api.social_login(code, code_verifier=verifier)
    plain = await api.client.get(
        "/_sandbox/social/authorize",
        params={
            "tenant": api.tenant,
            "email": unique_email(),
            "redirect_uri": SOCIAL_REDIRECT,
            "code_challenge": "x",
            "code_challenge_method": "plain",
        },
    )
    assert plain.status_code == 400


async def test_authorize_validates_its_input(api: Harness) -> None:
    unknown = await api.client.get(
        "/_sandbox/social/authorize",
        params={"tenant": "nosuch", "email": unique_email(), "redirect_uri": SOCIAL_REDIRECT},
    )
    assert unknown.status_code == 404
    bad_email = await api.client.get(
        "/_sandbox/social/authorize",
        params={"tenant": api.tenant, "email": "nope", "redirect_uri": SOCIAL_REDIRECT},
    )
    assert bad_email.status_code == 400
    assert fields(bad_email) == {"email": "invalid_value"}


async def _subject_token(api: Harness, email: str, tenant: str | None = None) -> str:
    response = await api.client.get(
        "/_sandbox/social/subject-token", params={"tenant": tenant or api.tenant, "email": email}
    )
    assert response.status_code == 200
    return str(response.json()["subjectAccessToken"])


async def test_exchange_provisions_and_returns_customer_tokens(api: Harness) -> None:
    email = unique_email("sso")
    subject = await _subject_token(api, email)
    anonymous = await api.anonymous()
    response = await api.call(
        "POST",
        "/exchangeauthtoken",
        anonymous["access_token"],
        params={"subjectAccessToken": subject},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["subject_access_token"] == subject
    assert body["session_id"] == anonymous["sessionId"]
    assert isinstance(body["expires_in"], int)
    validated = await api.call("GET", "/validateauthtoken", body["access_token"])
    assert validated.json()["email"] == email
    with_config = await api.call(
        "POST",
        "/exchangeauthtoken",
        anonymous["access_token"],
        params={"subjectAccessToken": subject, "config": "default"},
    )
    assert with_config.status_code == 200


async def test_exchange_errors(api: Harness) -> None:
    anonymous = await api.anonymous_token()
    bogus = await api.call(
        "POST", "/exchangeauthtoken", anonymous, params={"subjectAccessToken": "not-a-jwt"}
    )
    assert bogus.status_code == 401
    assert bogus.json()["type"] == "invalid_subject_token"
    subject = await _subject_token(api, unique_email())
    unknown_config = await api.call(
        "POST",
        "/exchangeauthtoken",
        anonymous,
        params={"subjectAccessToken": subject, "config": "site_PL"},
    )
    assert unknown_config.status_code == 400
    assert fields(unknown_config) == {"config": "invalid_value"}
    foreign = await _subject_token(api, unique_email(), tenant="demo")
    other_tenant = await api.call(
        "POST", "/exchangeauthtoken", anonymous, params={"subjectAccessToken": foreign}
    )
    assert other_tenant.status_code == 401
    await api.advance(3601)
    expired = await api.call(
        "POST",
        "/exchangeauthtoken",
        await api.anonymous_token(),
        params={"subjectAccessToken": subject},
    )
    assert expired.status_code == 401
    no_bearer = await api.client.post(
        api.path("/exchangeauthtoken"), params={"subjectAccessToken": subject}
    )
    assert no_bearer.status_code == 401
