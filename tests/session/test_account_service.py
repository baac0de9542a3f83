"""The account service end to end against the sandbox: each action keeps the session right."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from session_harness import Harness, HarnessFactory, Target, echo

from accountdesk.api import (
    AddressCreate,
    BadRequestError,
    CustomerDetails,
    CustomerPatch,
    CustomerSignup,
    DeletionOutcome,
    EmailTakenError,
    InvalidCodeError,
    InvalidTokenError,
    Metadata,
    NotActivatedError,
    UnauthorizedError,
    VersionConflictError,
)
from accountdesk.session import (
    AccountService,
    EmailChanged,
    LoggedIn,
    LoggedOut,
    LogoutReason,
    SessionState,
)

PASSWORD = "Account-Service-Pass-31"


def _email(prefix: str = "svc") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


def _service(harness: Harness) -> AccountService:
    return AccountService(harness.manager, harness.client)


async def _mail(outbox: Any, to: str, event: str) -> str:
    token: str = (await outbox.latest(to, event))["token"]
    return token


async def _active_customer(account: AccountService, outbox: Any) -> str:
    email = _email()
    await account.sign_up(
        CustomerSignup(
            email=email,
            password=PASSWORD,
            customer_details=CustomerDetails(first_name="Ada", last_name="Lovelace"),
        )
    )
    await account.activate(await _mail(outbox, email, "customer.opt-in"))
    return email


@pytest.fixture
async def service(make_harness: HarnessFactory, fresh_tenant: Target) -> AccountService:
    return _service(await make_harness(fresh_tenant))


async def test_sign_up_needs_activation_then_logs_in_with_the_server_s_spelling(
    make_harness: HarnessFactory, fresh_tenant: Target, outbox: Any
) -> None:
    harness = await make_harness(fresh_tenant)
    account = _service(harness)
    email = _email("Mixed")
    await account.sign_up(CustomerSignup(email=email, password=PASSWORD))
    with pytest.raises(NotActivatedError):
        await account.log_in(email, PASSWORD)
    with pytest.raises(EmailTakenError):
        await account.sign_up(CustomerSignup(email=email, password=PASSWORD))
    with pytest.raises(InvalidCodeError):
        await account.activate("not-a-real-code")
    await account.activate(await _mail(outbox, email.lower(), "customer.opt-in"))
    await account.log_out()
    await account.log_in(email.upper(), PASSWORD)
    # The header shows the address as the server has it, not as it was typed.
    assert harness.manager.customer_email == email.lower()
    assert harness.events[-1] == LoggedIn(email.lower())


async def test_a_stale_profile_version_is_a_version_conflict(
    service: AccountService, outbox: Any
) -> None:
    await _active_customer(service, outbox)
    loaded = await service.load_profile()
    assert loaded.metadata is not None
    version = loaded.metadata.version
    saved = await service.update_profile(
        CustomerPatch(first_name="Augusta", metadata=Metadata(version=version))
    )
    assert saved.first_name == "Augusta"
    with pytest.raises(VersionConflictError):
        await service.update_profile(
            CustomerPatch(first_name="Ada", metadata=Metadata(version=version))
        )
    assert (await service.load_profile()).first_name == "Augusta"


async def test_address_book_operations(service: AccountService, outbox: Any) -> None:
    await _active_customer(service, outbox)
    first = await service.add_address(
        AddressCreate(
            contact_name="Ada",
            street="Unter den Linden",
            zip_code="10117",
            city="Berlin",
            country="DE",
        )
    )
    second = await service.add_address(
        AddressCreate(
            contact_name="Ada",
            street="Main St",
            zip_code="20374",
            city="Washington",
            country="US",
            state="DC",
        )
    )
    await service.set_default_address(second)
    await service.add_address_tags(second, ["BILLING", "SHIPPING"])
    await service.remove_address_tags(second, ["SHIPPING"])
    addresses = {address.id: address for address in await service.list_addresses()}
    assert addresses[second].is_default
    assert addresses[second].tags == ["BILLING"]
    await service.delete_address(first)
    assert [address.id for address in await service.list_addresses()] == [second]


async def test_password_change_keeps_this_session_and_the_old_password_is_refused(
    make_harness: HarnessFactory, fresh_tenant: Target, outbox: Any
) -> None:
    account = _service(await make_harness(fresh_tenant))
    email = await _active_customer(account, outbox)
    with pytest.raises(BadRequestError) as refused:
        await account.change_password("wrong-current-password", "A-New-Password-For-Ada-1")
    assert set(refused.value.field_errors) == {"currentPassword"}
    await account.change_password(PASSWORD, "A-New-Password-For-Ada-1")
    assert (await account.load_profile()).first_name == "Ada"  # still logged in here
    other = _service(await make_harness(fresh_tenant))
    with pytest.raises(UnauthorizedError):
        await other.log_in(email, PASSWORD)
    await other.log_in(email, "A-New-Password-For-Ada-1")


async def test_a_confirmed_email_change_updates_who_is_logged_in(
    make_harness: HarnessFactory, fresh_tenant: Target, outbox: Any
) -> None:
    harness = await make_harness(fresh_tenant)
    account = _service(harness)
    old_email = await _active_customer(account, outbox)
    new_email = _email("renamed")
    await account.request_email_change(new_email, PASSWORD, use_as_contact_email=True)
    assert harness.manager.customer_email == old_email  # nothing changes before the confirmation
    await account.confirm_email_change(
        await _mail(outbox, new_email, "customer.email-change-request")
    )
    assert harness.manager.customer_email == new_email
    assert harness.events[-1] == EmailChanged(new_email)
    assert (await account.load_profile()).contact_email == new_email
    other = _service(await make_harness(fresh_tenant))
    with pytest.raises(UnauthorizedError):
        await other.log_in(old_email, PASSWORD)


async def test_confirming_another_customer_s_email_change_leaves_the_session_alone(
    make_harness: HarnessFactory, fresh_tenant: Target, outbox: Any
) -> None:
    first = await make_harness(fresh_tenant)
    ada = _service(first)
    await _active_customer(ada, outbox)
    grace_account = _service(await make_harness(fresh_tenant))
    await _active_customer(grace_account, outbox)
    new_email = _email("grace-new")
    await grace_account.request_email_change(new_email, PASSWORD)
    before = list(first.events)
    # Ada's app confirms Grace's change (e.g. from the shared sandbox mailbox).
    await ada.confirm_email_change(await _mail(outbox, new_email, "customer.email-change-request"))
    assert first.events == before
    assert grace_account.session.customer_email != new_email  # Grace's app learns on its own


async def test_deletion_is_confirmed_by_the_emailed_code_and_ends_the_session(
    make_harness: HarnessFactory, fresh_tenant: Target, outbox: Any
) -> None:
    harness = await make_harness(fresh_tenant)
    account = _service(harness)
    email = await _active_customer(account, outbox)
    assert await account.request_deletion() is DeletionOutcome.CONFIRMATION_SENT
    assert harness.manager.state is SessionState.LOGGED_IN
    await account.confirm_deletion(await _mail(outbox, email, "customer.deletion-request"))
    assert harness.manager.state is SessionState.ANONYMOUS
    assert harness.events[-1] == LoggedOut(LogoutReason.DELETED)
    with pytest.raises(UnauthorizedError):
        await account.log_in(email, PASSWORD)


async def test_forgetting_the_visitor_ends_the_customer_and_the_guest_session(
    make_harness: HarnessFactory, fresh_tenant: Target, outbox: Any
) -> None:
    harness = await make_harness(fresh_tenant)
    account = _service(harness)
    manager = harness.manager
    await _active_customer(account, outbox)
    customer_token = await manager.with_customer(echo)
    guest_session = manager.session_id
    assert guest_session is not None
    held = set(manager.live_secrets())

    await account.forget_visitor()

    assert manager.state is SessionState.ANONYMOUS
    with pytest.raises(InvalidTokenError):
        await harness.client.validate_token(customer_token)
    # Nothing of the visitor's is held, not even the guest token their login grew from...
    fresh = manager.live_secrets()
    assert fresh
    assert held.isdisjoint(fresh)
    # ...nor its session (the server ties a cart to it): the next person starts a new one.
    assert manager.session_id not in (None, guest_session)
    await account.resend_activation(_email("next"))  # the new guest token works
    assert len(harness.calls("anonymous/login")) == 2
