"""Remember me, resume, logout, opt-in and deletion end to end against the shared sandbox."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from session_harness import DEMO_EMAIL, DEMO_PASSWORD, HarnessFactory, Target, echo
from session_keyrings import InMemoryKeyring

from accountdesk.api.errors import InvalidTokenError, NetworkError, UnauthorizedError
from accountdesk.api.models import CustomerDetails, CustomerSignup, DeletionOutcome
from accountdesk.session import (
    FileTokenStore,
    KeyringTokenStore,
    LoggedIn,
    LoggedOut,
    LogoutReason,
    SessionExpiredError,
    SessionState,
    StoredSession,
)


async def test_resume_in_a_new_manager_from_the_file_store(
    make_harness: HarnessFactory, sandbox: Target, tmp_path: Path
) -> None:
    path = tmp_path / "state" / "sessions.json"
    first = await make_harness(sandbox, FileTokenStore(path))
    await first.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    assert first.manager.remembered
    access_token = await first.manager.with_customer(echo)

    text = path.read_text()
    assert DEMO_PASSWORD not in text
    assert access_token not in text
    assert first.manager.saas_token is not None
    assert first.manager.saas_token not in text
    entries = json.loads(text)["sessions"]
    assert list(entries) == [first.manager.environment_key]
    assert set(entries[first.manager.environment_key]) == {"refresh_token", "refresh_expires_at"}
    stored_before = await first.stored()

    # A restart: new client, new manager, same file.
    second = await make_harness(sandbox, FileTokenStore(path))
    assert await second.manager.resume() is True
    assert second.manager.state is SessionState.LOGGED_IN
    assert second.manager.customer_email == DEMO_EMAIL  # learnt from validateauthtoken
    assert second.events == [LoggedIn(DEMO_EMAIL)]
    assert await second.profile_email() == DEMO_EMAIL
    # The refresh token rotated on resume and the new one was saved at once.
    stored_after = await second.stored()
    assert stored_after is not None
    assert stored_before is not None
    assert stored_after.refresh_token != stored_before.refresh_token
    assert await second.manager.resume() is True  # already logged in: nothing to do


async def test_resume_through_the_os_keyring(
    make_harness: HarnessFactory, sandbox: Target, memory_keyring: InMemoryKeyring
) -> None:
    first = await make_harness(sandbox, KeyringTokenStore())
    await first.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    key = first.manager.environment_key
    assert set(json.loads(memory_keyring.entries[("accountdesk", key)])) == {
        "refresh_token",
        "refresh_expires_at",
    }
    second = await make_harness(sandbox, KeyringTokenStore())
    assert await second.manager.resume() is True
    assert await second.profile_email() == DEMO_EMAIL


async def test_resume_with_nothing_usable_stays_anonymous(
    make_harness: HarnessFactory, sandbox: Target
) -> None:
    h = await make_harness(sandbox)
    key = h.manager.environment_key
    assert await h.manager.resume() is False

    await h.store.save(key, StoredSession("no-such-refresh-token", h.clock() + 3600))
    assert await h.manager.resume() is False
    assert await h.store.load(key) is None  # a dead token is forgotten

    await h.store.save(key, StoredSession("expired-anyway", h.clock() - 1))
    assert await h.manager.resume() is False
    assert await h.store.load(key) is None
    assert h.calls("refreshauthtoken")[-1].status == 401  # only the first one asked the server
    assert len(h.calls("refreshauthtoken")) == 1
    assert h.manager.state is SessionState.ANONYMOUS
    assert h.events == []


async def test_resume_while_offline_keeps_the_stored_session(
    make_harness: HarnessFactory, sandbox: Target, tmp_path: Path
) -> None:
    path = tmp_path / "sessions.json"
    first = await make_harness(sandbox, FileTokenStore(path))
    await first.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    second = await make_harness(sandbox, FileTokenStore(path))
    second.transport.down = True
    with pytest.raises(NetworkError):
        await second.manager.resume()
    assert await second.stored() is not None
    second.transport.down = False
    assert await second.manager.resume() is True


async def test_logout_kills_the_server_token_and_clears_the_store(
    make_harness: HarnessFactory, sandbox: Target, tmp_path: Path
) -> None:
    h = await make_harness(sandbox, FileTokenStore(tmp_path / "sessions.json"))
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    token = await h.manager.with_customer(echo)
    await h.manager.logout()
    assert h.manager.state is SessionState.ANONYMOUS
    assert h.events == [LoggedIn(DEMO_EMAIL), LoggedOut(LogoutReason.USER)]
    assert await h.stored() is None
    with pytest.raises(InvalidTokenError):
        await h.client.validate_token(token)
    with pytest.raises(SessionExpiredError):
        await h.profile_email()


async def test_logging_in_over_a_live_session_revokes_the_old_token(
    make_harness: HarnessFactory, sandbox: Target, tmp_path: Path
) -> None:
    h = await make_harness(sandbox, FileTokenStore(tmp_path / "sessions.json"))
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD)
    first_token = await h.manager.with_customer(echo)
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD)
    second_token = await h.manager.with_customer(echo)
    assert second_token != first_token
    with pytest.raises(InvalidTokenError):
        await h.client.validate_token(first_token)
    assert await h.profile_email() == DEMO_EMAIL


async def test_logout_while_offline_still_ends_the_local_session(
    make_harness: HarnessFactory, sandbox: Target, tmp_path: Path
) -> None:
    h = await make_harness(sandbox, FileTokenStore(tmp_path / "sessions.json"))
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    h.transport.down = True
    await h.manager.logout()  # no exception
    assert h.manager.state is SessionState.ANONYMOUS
    assert h.events[-1] == LoggedOut(LogoutReason.USER)
    assert await h.stored() is None


async def test_a_guest_token_renewed_while_offline_is_forgotten_all_the_same(
    make_harness: HarnessFactory, sandbox: Target
) -> None:
    h = await make_harness(sandbox)
    old_token = await h.manager.with_anonymous(echo)
    h.transport.down = True
    await h.manager.renew_anonymous()  # no exception
    assert h.manager.live_secrets() == []
    assert h.manager.session_id is None
    h.transport.down = False
    new_token = await h.manager.with_anonymous(echo)
    assert new_token != old_token
    assert h.manager.session_id is not None


async def test_opt_in_logs_in_and_deletion_logs_out(
    make_harness: HarnessFactory, fresh_tenant: Target, outbox: Any
) -> None:
    h = await make_harness(fresh_tenant)
    email = f"grace-{uuid.uuid4().hex[:8]}@example.com"
    password = "Correct-Horse-9"
    signup = CustomerSignup(
        email=email,
        password=password,
        customer_details=CustomerDetails(
            first_name="Grace", last_name="Hopper", contact_email=email
        ),
    )
    await h.manager.with_anonymous(lambda anonymous: h.client.sign_up(anonymous, signup))
    optin = await outbox.latest(email, "customer.opt-in")

    await h.manager.complete_opt_in(optin["token"], remember=True)
    assert h.manager.state is SessionState.LOGGED_IN
    assert h.manager.customer_email == email
    assert h.events == [LoggedIn(email)]

    outcome = await h.manager.with_customer(h.client.delete_profile)
    assert outcome is DeletionOutcome.CONFIRMATION_SENT
    assert h.manager.state is SessionState.LOGGED_IN
    request = await outbox.latest(email, "customer.deletion-request")

    await h.manager.delete_account(request["token"])
    assert h.manager.state is SessionState.ANONYMOUS
    assert h.events == [LoggedIn(email), LoggedOut(LogoutReason.DELETED)]
    assert await h.stored() is None
    with pytest.raises(UnauthorizedError):
        await h.manager.login(email, password)


async def test_social_login_keeps_the_guest_session(
    make_harness: HarnessFactory, fresh_tenant: Target
) -> None:
    h = await make_harness(fresh_tenant)
    await h.manager.with_anonymous(echo)
    guest_session = h.manager.session_id
    assert guest_session
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    redirect_uri = "http://127.0.0.1/callback"
    async with httpx.AsyncClient(base_url=fresh_tenant.base_url) as http:
        response = await http.get(
            "/_sandbox/social/authorize",
            params={"tenant": fresh_tenant.tenant, "email": email, "redirect_uri": redirect_uri},
        )
    response.raise_for_status()
    await h.manager.social_login(response.json()["code"], redirect_uri)
    assert h.manager.state is SessionState.LOGGED_IN
    assert h.manager.customer_email == email
    assert h.events == [LoggedIn(email)]
    assert h.manager.saas_token
    assert await h.profile_email() == email
    # The server tied the customer token to the guest's session (the cart survives login).
    validation = await h.manager.with_customer(h.client.validate_token)
    assert validation.session_id == guest_session
    assert h.manager.session_id == guest_session


async def test_a_broken_keyring_costs_remember_me_not_the_login(
    make_harness: HarnessFactory, sandbox: Target, caplog: pytest.LogCaptureFixture
) -> None:
    # The autouse fixture installed keyring's fail backend: every keyring call raises.
    h = await make_harness(sandbox, KeyringTokenStore())
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    assert h.manager.state is SessionState.LOGGED_IN
    assert "cannot remember the session" in caplog.text
    assert await h.manager.resume() is True  # already logged in
    other = await make_harness(sandbox, KeyringTokenStore())
    assert await other.manager.resume() is False
    await h.manager.logout()  # clearing fails too, quietly
    assert h.manager.state is SessionState.ANONYMOUS


async def test_a_long_running_app_keeps_the_session_past_the_refresh_token_lifetime(
    make_harness: HarnessFactory, sandbox: Target, tmp_path: Path
) -> None:
    # Emporix lifetimes: 30-day access token, 24-hour refresh token. The manager renews ahead of
    # the refresh token's expiry, so the session (and "remember me") outlives the first one.
    h = await make_harness(sandbox, FileTokenStore(tmp_path / "sessions.json"))
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    first = await h.stored()
    for _ in range(2):
        await h.clock.advance(80_000)  # inside the 2.4 h margin of the 86399 s refresh token
        assert await h.profile_email() == DEMO_EMAIL
    assert len(h.calls("refreshauthtoken")) == 2
    latest = await h.stored()
    assert first is not None
    assert latest is not None
    assert latest.refresh_expires_at > first.refresh_expires_at + 150_000
    # A restart after those 44 hours still resumes.
    later = await make_harness(sandbox, FileTokenStore(tmp_path / "sessions.json"))
    assert await later.manager.resume() is True
