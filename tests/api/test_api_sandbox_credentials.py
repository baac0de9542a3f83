"""Credentials, social login, token exchange and the legacy assign-account call against the
real sandbox over loopback HTTP (the core flows are in test_api_sandbox.py)."""

from __future__ import annotations

import base64
import hashlib
import secrets

import pytest
from api_sandbox_desk import SandboxDesk, unique_email

from accountdesk.api import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    InvalidTokenError,
    TokenError,
    UnauthorizedError,
)

# --- social login and the legacy assign-account endpoint ----------------------------------------


async def test_social_login_and_assign_account(desk: SandboxDesk) -> None:
    email = unique_email("social")
    redirect_uri = "http://127.0.0.1/callback"
    code = await desk.social_code(email, redirect_uri)
    anonymous = await desk.api.anonymous_login()
    token = await desk.api.social_login(
        anonymous.access_token, code, redirect_uri, session_id=anonymous.session_id
    )
    assert token.access_token
    assert token.expires_in is not None
    assert token.expires_in > 0
    profile = await desk.api.get_profile(token.access_token)
    assert any(account.provider_id for account in profile.accounts)

    # A social-only profile can get an email + password login added (legacy endpoint).
    login_email = unique_email("assigned")
    assigned_id = await desk.api.assign_account(token.access_token, login_email, "Assigned-Pass-1")
    assert assigned_id == profile.id
    password_login = await desk.api.login(anonymous.access_token, login_email, "Assigned-Pass-1")
    assert (await desk.api.get_profile(password_login.access_token)).id == profile.id

    # The authorization code is single-use.
    with pytest.raises((BadRequestError, UnauthorizedError)):
        await desk.api.social_login(anonymous.access_token, code, redirect_uri)


async def test_assign_account_with_a_taken_email_is_a_conflict(desk: SandboxDesk) -> None:
    taken, _password, _token = await desk.register()
    _email, _password2, token = await desk.register()
    with pytest.raises(ConflictError):
        await desk.api.assign_account(token.access_token, taken, "Another-Pass-1")


# --- credentials -----------------------------------------------------------------------------


async def test_email_change(desk: SandboxDesk) -> None:
    email, password, token = await desk.register()
    new_email = unique_email("moved")
    await desk.api.request_email_change(
        token.access_token,
        email=email,
        password=password,
        new_email=new_email,
        sync_contact_email=True,
    )
    change_token = await desk.mailed_token(new_email, "customer.email-change-request")
    anonymous = await desk.anonymous()
    await desk.api.confirm_email_change(anonymous, change_token)

    relogin = await desk.api.login(anonymous, new_email, password)
    assert (await desk.api.get_profile(relogin.access_token)).contact_email == new_email
    with pytest.raises(UnauthorizedError):
        await desk.api.login(anonymous, email, password)
    with pytest.raises(BadRequestError) as used:
        await desk.api.confirm_email_change(anonymous, change_token)
    assert used.value.type == "invalid_token"


async def test_email_change_with_wrong_password_is_refused(desk: SandboxDesk) -> None:
    email, _password, token = await desk.register()
    with pytest.raises((UnauthorizedError, BadRequestError, ForbiddenError)) as caught:
        await desk.api.request_email_change(
            token.access_token, email=email, password="Wrong-Password-1", new_email=unique_email()
        )
    assert not isinstance(caught.value, TokenError)


async def test_password_reset(desk: SandboxDesk) -> None:
    email, _password, old_session = await desk.register()
    anonymous = await desk.anonymous()
    await desk.api.request_password_reset(anonymous, email)
    # Unknown emails get the same (silent) answer: no account enumeration.
    await desk.api.request_password_reset(anonymous, unique_email())

    reset_token = await desk.mailed_token(email, "customer.password-reset")
    await desk.api.reset_password(anonymous, reset_token, "Brand-New-Pass-7")
    assert (await desk.api.login(anonymous, email, "Brand-New-Pass-7")).access_token

    with pytest.raises(BadRequestError) as used:
        await desk.api.reset_password(anonymous, reset_token, "Another-New-Pass-8")
    assert used.value.type == "invalid_token"
    # A reset logs out the customer's other sessions.
    with pytest.raises(InvalidTokenError):
        await desk.api.validate_token(old_session.access_token)


async def test_password_reset_rejects_a_short_password(desk: SandboxDesk) -> None:
    email, _password, _token = await desk.register()
    anonymous = await desk.anonymous()
    await desk.api.request_password_reset(anonymous, email)
    reset_token = await desk.mailed_token(email, "customer.password-reset")
    with pytest.raises(BadRequestError) as caught:
        await desk.api.reset_password(anonymous, reset_token, "short")
    assert "password" in caught.value.field_errors


async def test_password_change(desk: SandboxDesk) -> None:
    email, password, token = await desk.register()
    anonymous = await desk.anonymous()
    other_session = await desk.api.login(anonymous, email, password)

    with pytest.raises((UnauthorizedError, BadRequestError)) as wrong:
        await desk.api.change_password(token.access_token, "Wrong-Password-1", "Next-Pass-99")
    assert not isinstance(wrong.value, TokenError)

    with pytest.raises(BadRequestError) as too_short:
        await desk.api.change_password(token.access_token, password, "short")
    assert "newPassword" in too_short.value.field_errors

    await desk.api.change_password(token.access_token, password, "Next-Pass-99")
    assert (await desk.api.login(anonymous, email, "Next-Pass-99")).access_token
    with pytest.raises(UnauthorizedError):
        await desk.api.login(anonymous, email, password)
    with pytest.raises(InvalidTokenError):
        await desk.api.validate_token(other_session.access_token)
    events = [mail["event"] for mail in await desk.mails(email)]
    assert "customer.password-changed" in events


# --- social login with PKCE and token exchange ------------------------------------------------


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


async def test_social_login_with_pkce(desk: SandboxDesk) -> None:
    verifier, challenge = _pkce_pair()
    redirect_uri = "http://127.0.0.1/callback"
    email = unique_email("pkce")
    anonymous = await desk.anonymous()

    code = await desk.social_code(email, redirect_uri, code_challenge=challenge)
    with pytest.raises((BadRequestError, UnauthorizedError)):
        await desk.api.social_login(anonymous, code, redirect_uri, code_verifier="wrong" * 10)

    code = await desk.social_code(email, redirect_uri, code_challenge=challenge)
    token = await desk.api.social_login(anonymous, code, redirect_uri, code_verifier=verifier)
    assert (await desk.api.validate_token(token.access_token)).email == email


async def test_token_exchange(desk: SandboxDesk) -> None:
    email = unique_email("exchange")
    subject = await desk.subject_token(email)
    anonymous = await desk.api.anonymous_login()
    token = await desk.api.exchange_token(anonymous.access_token, subject)
    assert token.access_token
    assert token.saas_token
    assert token.refresh_token
    assert token.subject_access_token == subject
    validation = await desk.api.validate_token(token.access_token)
    assert validation.email == email
    # A second exchange for the same identity reaches the same (auto-provisioned) customer.
    again = await desk.api.exchange_token(anonymous.access_token, subject, config="default")
    first_profile = await desk.api.get_profile(token.access_token)
    assert (await desk.api.get_profile(again.access_token)).id == first_profile.id


async def test_token_exchange_errors(desk: SandboxDesk) -> None:
    anonymous = await desk.anonymous()
    subject = await desk.subject_token(unique_email("exchange"))
    with pytest.raises(BadRequestError) as unknown_config:
        await desk.api.exchange_token(anonymous, subject, config="site_XX")
    assert "config" in unknown_config.value.field_errors
    with pytest.raises((BadRequestError, UnauthorizedError, ForbiddenError)) as garbage:
        await desk.api.exchange_token(anonymous, "not-an-idp-token")
    assert garbage.value.status in (400, 401, 403)
