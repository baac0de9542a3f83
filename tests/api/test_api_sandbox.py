"""Every client method against the real sandbox over loopback HTTP, errors included."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from api_sandbox_desk import SandboxDesk, unique_email

from accountdesk.api import (
    AddressCreate,
    AddressUpdate,
    BadRequestError,
    ConflictError,
    CustomerDetails,
    CustomerPatch,
    CustomerSignup,
    DeletionOutcome,
    ForbiddenError,
    InvalidTokenError,
    Metadata,
    NotFoundError,
    RateLimitedError,
    TokenError,
    TokenExpiredError,
    UnauthorizedError,
)

CUSTOMER_ACCESS_LIFETIME = 2591999

# --- anonymous tokens ------------------------------------------------------------------------


async def test_anonymous_login_and_refresh_keep_the_session(desk: SandboxDesk) -> None:
    first = await desk.api.anonymous_login(currency="EUR", language="EN")
    assert first.access_token
    assert first.refresh_token
    assert first.expires_in == 3599
    assert first.refresh_token_expires_in == 86399
    assert first.session_id
    assert first.scope == f"tenant={desk.tenant}"
    assert first.refresh_token is not None

    renewed = await desk.api.refresh_anonymous_token(first.refresh_token)
    assert renewed.session_id == first.session_id
    assert renewed.access_token != first.access_token


async def test_refreshing_with_an_unknown_anonymous_refresh_token_fails(desk: SandboxDesk) -> None:
    with pytest.raises((BadRequestError, UnauthorizedError)):
        await desk.api.refresh_anonymous_token("not-a-refresh-token")


# --- signup, opt-in, login -----------------------------------------------------------------------


async def test_signup_opt_in_and_login(desk: SandboxDesk) -> None:
    email = unique_email()
    anonymous = await desk.api.anonymous_login()
    customer_id = await desk.api.sign_up(
        anonymous.access_token,
        CustomerSignup(
            email=email,
            password="Correct-Horse-42",
            customer_details=CustomerDetails(first_name="Grace", contact_email=email),
            customer_address=AddressCreate(contact_name="Grace", city="Arlington", country="US"),
        ),
    )
    assert customer_id

    # Double opt-in is on: logging in before confirming is refused with a typed 403.
    with pytest.raises(ForbiddenError) as not_active:
        await desk.api.login(anonymous.access_token, email, "Correct-Horse-42")
    assert not_active.value.type == "account_not_activated"

    optin = await desk.mailed_token(email, "customer.opt-in")
    confirmed = await desk.api.confirm_opt_in(anonymous.access_token, optin)
    assert confirmed.access_token
    assert confirmed.saas_token
    assert confirmed.refresh_token

    # The emailed token is single-use.
    with pytest.raises(BadRequestError) as used:
        await desk.api.confirm_opt_in(anonymous.access_token, optin)
    assert used.value.type == "invalid_token"

    token = await desk.api.login(anonymous.access_token, email, "Correct-Horse-42")
    assert token.expires_in == CUSTOMER_ACCESS_LIFETIME
    assert token.session_id == anonymous.session_id
    profile = await desk.api.get_profile(token.access_token, expand_addresses=True)
    assert profile.id == customer_id
    assert profile.first_name == "Grace"
    assert [address.city for address in profile.addresses] == ["Arlington"]


async def test_opt_in_token_with_url_special_characters_is_rejected_cleanly(
    desk: SandboxDesk,
) -> None:
    anonymous = await desk.anonymous()
    # The token stays one encoded path segment; the server may decode %2F before routing
    # (Starlette does), so "unknown route" is as acceptable an answer as "invalid token".
    with pytest.raises((BadRequestError, NotFoundError)):
        await desk.api.confirm_opt_in(anonymous, "../../me?x=1#frag")
    with pytest.raises(BadRequestError) as caught:
        await desk.api.confirm_opt_in(anonymous, "no such token+&=")
    assert caught.value.type == "invalid_token"


async def test_resend_activation_email_mails_a_new_working_token(desk: SandboxDesk) -> None:
    email = unique_email()
    anonymous = await desk.anonymous()
    await desk.api.sign_up(anonymous, CustomerSignup(email=email, password="Correct-Horse-42"))
    await desk.api.resend_activation_email(anonymous, email)
    optins = [mail for mail in await desk.mails(email) if mail["event"] == "customer.opt-in"]
    assert len(optins) == 2
    token = await desk.api.confirm_opt_in(anonymous, optins[-1]["token"])
    assert token.access_token


async def test_duplicate_signup_is_a_conflict(desk: SandboxDesk) -> None:
    email, _password, _token = await desk.register()
    anonymous = await desk.anonymous()
    with pytest.raises(ConflictError) as caught:
        await desk.api.sign_up(anonymous, CustomerSignup(email=email, password="Another-Pass-1"))
    assert caught.value.type == "conflict_resource"
    assert email in str(caught.value)
    assert desk.tenant in str(caught.value)


@pytest.mark.parametrize(
    ("signup", "field"),
    [
        (CustomerSignup(email=unique_email(), password="short"), "password"),
        (
            CustomerSignup(
                email=unique_email(),
                password="Correct-Horse-42",
                customer_address=AddressCreate(contact_name="X", country="Germany"),
            ),
            "customerAddress.country",
        ),
    ],
)
async def test_signup_field_errors_name_the_field(
    desk: SandboxDesk, signup: CustomerSignup, field: str
) -> None:
    anonymous = await desk.anonymous()
    with pytest.raises(BadRequestError) as caught:
        await desk.api.sign_up(anonymous, signup)
    assert field in caught.value.field_errors
    assert caught.value.field_errors[field].endswith(".")


async def test_wrong_password_and_unknown_email_look_the_same(desk: SandboxDesk) -> None:
    email, _password, _token = await desk.register()
    anonymous = await desk.anonymous()
    with pytest.raises(UnauthorizedError) as wrong_password:
        await desk.api.login(anonymous, email, "Wrong-Password-1")
    with pytest.raises(UnauthorizedError) as unknown_email:
        await desk.api.login(anonymous, unique_email(), "Wrong-Password-1")
    for caught in (wrong_password, unknown_email):
        assert not isinstance(caught.value, TokenError)
        assert caught.value.type == "invalid_credentials"
    assert str(wrong_password.value) == str(unknown_email.value)


async def test_too_many_failed_logins_are_rate_limited_with_retry_after(
    desk: SandboxDesk,
) -> None:
    email, _password, _token = await desk.register()
    anonymous = await desk.anonymous()
    limited: RateLimitedError | None = None
    for _ in range(30):
        try:
            await desk.api.login(anonymous, email, "Wrong-Password-1")
        except RateLimitedError as error:
            limited = error
            break
        except UnauthorizedError:
            continue
    assert limited is not None, "no 429 after 30 failed logins"
    assert limited.status == 429
    assert limited.retry_after is not None
    assert limited.retry_after > 0
    assert str(limited).count("Try again in") == 1


async def test_login_body_validation(desk: SandboxDesk) -> None:
    anonymous = await desk.anonymous()
    with pytest.raises(BadRequestError) as caught:
        await desk.api.login(anonymous, "", "")
    assert "email" in caught.value.field_errors


async def test_demo_customer_can_log_in(demo_desk: SandboxDesk) -> None:
    anonymous = await demo_desk.anonymous()
    token = await demo_desk.api.login(anonymous, "demo@example.com", "Demo-Password-42")
    profile = await demo_desk.api.get_profile(token.access_token, expand_addresses=True)
    assert (profile.first_name, profile.last_name) == ("Ada", "Lovelace")
    assert len(profile.addresses) == 2
    assert sum(address.is_default for address in profile.addresses) == 1
    await demo_desk.api.logout(token.access_token)


# --- customer tokens -------------------------------------------------------------------------


async def test_validate_refresh_and_logout(desk: SandboxDesk) -> None:
    email, _password, login = await desk.register()
    validation = await desk.api.validate_token(login.access_token)
    assert validation.email == email
    assert validation.expires_in is not None
    assert 0 < validation.expires_in <= CUSTOMER_ACCESS_LIFETIME
    assert validation.scope
    assert validation.session_id == login.session_id

    anonymous = await desk.anonymous()
    assert login.refresh_token is not None
    refreshed = await desk.api.refresh_customer_token(anonymous, login.refresh_token)
    assert refreshed.access_token != login.access_token
    assert refreshed.refresh_token not in (None, login.refresh_token)
    assert refreshed.session_id == login.session_id
    assert (await desk.api.validate_token(refreshed.access_token)).email == email

    await desk.api.logout(refreshed.access_token)
    with pytest.raises(InvalidTokenError):
        await desk.api.validate_token(refreshed.access_token)
    with pytest.raises(InvalidTokenError):
        await desk.api.get_profile(refreshed.access_token)

    # Refresh tokens rotate: the old one is dead, and showing it again is refused.
    with pytest.raises((BadRequestError, UnauthorizedError)):
        await desk.api.refresh_customer_token(anonymous, login.refresh_token)


async def test_garbage_bearer_is_an_invalid_token(desk: SandboxDesk) -> None:
    with pytest.raises(InvalidTokenError) as caught:
        await desk.api.get_profile("definitely-not-a-token")
    assert caught.value.status == 401
    assert caught.value.type == "oauth.v2.InvalidAccessToken"


async def test_expired_tokens(time_travel_desk: SandboxDesk) -> None:
    desk = time_travel_desk
    _email, _password, login = await desk.register()
    anonymous = await desk.anonymous()

    await desk.advance_clock(3600)  # past the anonymous token's 3599 s, within the customer's
    assert login.refresh_token is not None
    with pytest.raises(TokenExpiredError):
        await desk.api.refresh_customer_token(anonymous, login.refresh_token)
    assert (await desk.api.validate_token(login.access_token)).expires_in is not None

    await desk.advance_clock(CUSTOMER_ACCESS_LIFETIME)
    with pytest.raises(TokenExpiredError) as caught:
        await desk.api.validate_token(login.access_token)
    assert caught.value.status == 401
    assert caught.value.type == "keymanagement.service.access_token_expired"
    assert str(caught.value) == "The session has expired (access token expired)."
    with pytest.raises(TokenExpiredError):
        await desk.api.list_addresses(login.access_token)


async def test_profile_with_an_anonymous_token_is_the_guest_placeholder(desk: SandboxDesk) -> None:
    # GET /me is the one profile call the spec allows with an anonymous token.
    guest = await desk.api.get_profile(await desk.anonymous())
    assert (guest.id, guest.first_name, guest.accounts) == ("00000000", "Anonymous", [])


async def test_anonymous_token_on_a_customer_endpoint_is_forbidden(desk: SandboxDesk) -> None:
    anonymous = await desk.anonymous()
    with pytest.raises(ForbiddenError) as caught:
        await desk.api.list_addresses(anonymous)
    assert caught.value.status == 403
    assert caught.value.type == "forbidden"
    with pytest.raises(ForbiddenError):
        await desk.api.add_address(anonymous, AddressCreate(contact_name="Guest"))


# --- profile ---------------------------------------------------------------------------------


async def test_profile_update_with_optimistic_locking(desk: SandboxDesk) -> None:
    _email, _password, token = await desk.register()
    before = await desk.api.get_profile(token.access_token)
    assert before.metadata is not None
    version = before.metadata.version
    assert version is not None

    await desk.api.update_profile(
        token.access_token,
        CustomerPatch(first_name="Amazing", metadata=Metadata(version=version)),
    )
    after = await desk.api.get_profile(token.access_token)
    assert after.first_name == "Amazing"
    assert after.last_name == "Hopper"  # untouched fields stay
    assert after.metadata is not None
    assert after.metadata.version == version + 1

    with pytest.raises(ConflictError) as stale:
        await desk.api.update_profile(
            token.access_token,
            CustomerPatch(first_name="Stale", metadata=Metadata(version=version)),
        )
    assert stale.value.type == "conflict_resource"

    # Without a version the last write wins; merge-patch is accepted as well.
    await desk.api.update_profile(
        token.access_token, CustomerPatch(contact_phone="+1 555 0100"), merge_patch=True
    )
    assert (await desk.api.get_profile(token.access_token)).contact_phone == "+1 555 0100"


async def test_profile_update_field_errors(desk: SandboxDesk) -> None:
    _email, _password, token = await desk.register()
    with pytest.raises(BadRequestError) as caught:
        await desk.api.update_profile(token.access_token, CustomerPatch(preferred_currency="EURO"))
    assert "preferredCurrency" in caught.value.field_errors


# --- addresses -------------------------------------------------------------------------------


async def test_address_lifecycle(desk: SandboxDesk) -> None:
    _email, _password, token = await desk.register()
    access = token.access_token
    first_id = await desk.api.add_address(
        access,
        AddressCreate(
            contact_name="Grace Hopper", street="Main St", city="Arlington", country="US"
        ),
    )
    second_id = await desk.api.add_address(
        access,
        AddressCreate(contact_name="Grace Hopper", city="New York", country="US", tags=["BILLING"]),
    )
    addresses = {address.id: address for address in await desk.api.list_addresses(access)}
    assert set(addresses) == {first_id, second_id}
    assert addresses[first_id].is_default  # the first address becomes the default

    second = await desk.api.get_address(access, second_id)
    assert second.city == "New York"
    assert second.tags == ["BILLING"]

    await desk.api.update_address(
        access, second_id, AddressUpdate(street="Broadway", is_default=True)
    )
    second = await desk.api.get_address(access, second_id)
    assert (second.street, second.is_default) == ("Broadway", True)
    assert not (await desk.api.get_address(access, first_id)).is_default

    await desk.api.add_address_tags(access, second_id, ["SHIPPING", "GIFT"])
    assert set((await desk.api.get_address(access, second_id)).tags) == {
        "BILLING",
        "SHIPPING",
        "GIFT",
    }
    await desk.api.remove_address_tags(access, second_id, ["BILLING", "GIFT"])
    assert (await desk.api.get_address(access, second_id)).tags == ["SHIPPING"]

    await desk.api.delete_address(access, first_id)
    with pytest.raises(NotFoundError) as missing:
        await desk.api.get_address(access, first_id)
    assert missing.value.type == "resource_not_found"
    assert first_id in str(missing.value)
    with pytest.raises(NotFoundError):
        await desk.api.delete_address(access, first_id)
    with pytest.raises(NotFoundError):
        await desk.api.update_address(access, first_id, AddressUpdate(city="Nowhere"))
    with pytest.raises(NotFoundError):
        await desk.api.add_address_tags(access, first_id, ["X"])
    assert [address.id for address in await desk.api.list_addresses(access)] == [second_id]


async def test_address_field_errors(desk: SandboxDesk) -> None:
    _email, _password, token = await desk.register()
    with pytest.raises(BadRequestError) as caught:
        await desk.api.add_address(
            token.access_token, AddressCreate(contact_name="Grace", country="USA")
        )
    assert "country" in caught.value.field_errors


async def test_address_id_with_path_characters_is_one_segment(desk: SandboxDesk) -> None:
    _email, _password, token = await desk.register()
    with pytest.raises(NotFoundError):
        await desk.api.get_address(token.access_token, "../../me")


# --- account deletion ------------------------------------------------------------------------


async def test_account_deletion_needs_the_mailed_confirmation(desk: SandboxDesk) -> None:
    email, password, token = await desk.register()
    outcome = await desk.api.delete_profile(token.access_token)
    assert outcome is DeletionOutcome.CONFIRMATION_SENT
    confirmation = await desk.mailed_token(email, "customer.deletion-request")

    with pytest.raises(BadRequestError) as wrong:
        await desk.api.delete_profile(token.access_token, confirmation_token="not-the-token")
    assert wrong.value.type == "invalid_token"

    outcome = await desk.api.delete_profile(token.access_token, confirmation_token=confirmation)
    assert outcome is DeletionOutcome.DELETED
    with pytest.raises(InvalidTokenError):
        await desk.api.get_profile(token.access_token)
    anonymous = await desk.anonymous()
    with pytest.raises(UnauthorizedError):
        await desk.api.login(anonymous, email, password)
    assert "customer.deleted" in [mail["event"] for mail in await desk.mails(email)]


# --- the client over real HTTP -------------------------------------------------------------------


async def test_traces_over_real_http_are_redacted(desk: SandboxDesk) -> None:
    email, password, token = await desk.register(password="Trace-Secret-Pass-1")
    anonymous = await desk.anonymous()
    await desk.api.login(anonymous, email, password)
    await desk.api.logout(token.access_token)
    dump = json.dumps([event.__repr__() for event in desk.traces])
    for secret in (password, token.access_token, anonymous, token.refresh_token or "x" * 40):
        assert secret not in dump
    login_events = [event for event in desk.traces if event.path.endswith("/login")]
    assert login_events[-1].status == 200
    assert '"password": "***"' in (login_events[-1].request_body or "")
    optin_events = [event for event in desk.traces if "/signup/optin/" in event.path]
    assert optin_events[0].path.endswith("/signup/optin/***")


async def test_concurrent_calls_share_one_client(desk: SandboxDesk) -> None:
    _email, _password, token = await desk.register()
    profiles = await asyncio.gather(*(desk.api.get_profile(token.access_token) for _ in range(20)))
    assert len({profile.id for profile in profiles}) == 1


async def test_httpx_request_log_masks_query_string_tokens(
    desk: SandboxDesk, caplog: pytest.LogCaptureFixture
) -> None:
    """The spec carries tokens in query strings; httpx logs each URL at INFO."""
    _email, _password, login = await desk.register()
    with caplog.at_level(logging.INFO, logger="httpx"):
        await desk.api.logout(login.access_token)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/logout?accessToken=" in logged
    assert login.access_token not in logged
