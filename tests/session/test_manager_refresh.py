"""Token refresh end to end: proactive, reactive, single-flight, impossible, offline.

Runs against a private sandbox with 10-minute customer access tokens (see session_sandbox.py),
over loopback HTTP, with the manager's clock kept in step with the sandbox clock.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from session_harness import DEMO_EMAIL, DEMO_PASSWORD, HarnessFactory, echo
from session_sandbox import SHORT_CUSTOMER_ACCESS, RunningSandbox

from accountdesk.api.errors import NetworkError, UnauthorizedError
from accountdesk.session import (
    FileTokenStore,
    LoggedIn,
    LoggedOut,
    LogoutReason,
    SessionExpiredError,
    SessionState,
)


async def test_login_gives_a_customer_session(
    make_harness: HarnessFactory, short_sandbox: RunningSandbox
) -> None:
    h = await make_harness(short_sandbox)
    assert h.manager.state is SessionState.ANONYMOUS
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD)
    assert h.manager.state is SessionState.LOGGED_IN
    assert h.manager.customer_email == DEMO_EMAIL
    assert h.events == [LoggedIn(DEMO_EMAIL)]
    assert await h.profile_email() == DEMO_EMAIL
    assert h.manager.session_id
    assert h.manager.saas_token
    assert h.calls("refreshauthtoken") == []


async def test_wrong_password_leaves_the_session_anonymous(
    make_harness: HarnessFactory, short_sandbox: RunningSandbox
) -> None:
    h = await make_harness(short_sandbox)
    with pytest.raises(UnauthorizedError, match="Invalid email or password"):
        await h.manager.login(DEMO_EMAIL, "not-the-password")
    assert h.manager.state is SessionState.ANONYMOUS
    assert h.events == []


async def test_proactive_refresh_happens_before_the_token_expires(
    make_harness: HarnessFactory, short_sandbox: RunningSandbox
) -> None:
    h = await make_harness(short_sandbox)
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD)
    old_token = await h.manager.with_customer(echo)
    await h.clock.advance(SHORT_CUSTOMER_ACCESS - 30)  # inside the 60 s margin, still valid
    assert await h.profile_email() == DEMO_EMAIL
    assert len(h.calls("refreshauthtoken")) == 1
    # Refreshed ahead: the profile call never saw a 401.
    assert all(event.status != 401 for event in h.trace)
    assert await h.manager.with_customer(echo) != old_token
    assert h.manager.state is SessionState.LOGGED_IN


async def test_reactive_refresh_on_expired_token_retries_once(
    make_harness: HarnessFactory, short_sandbox: RunningSandbox
) -> None:
    h = await make_harness(short_sandbox)
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD)
    await h.clock.advance_server(SHORT_CUSTOMER_ACCESS + 1)  # the manager does not know
    assert await h.profile_email() == DEMO_EMAIL
    profile_calls = h.calls("/me")
    assert [event.status for event in profile_calls] == [401, 200]
    assert "expired" in (profile_calls[0].response_body or "")
    assert len(h.calls("refreshauthtoken")) == 1
    assert h.events == [LoggedIn(DEMO_EMAIL)]


async def test_fifty_concurrent_calls_with_an_expired_token_refresh_once(
    make_harness: HarnessFactory, short_sandbox: RunningSandbox
) -> None:
    h = await make_harness(short_sandbox)
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD)
    await h.clock.advance_server(SHORT_CUSTOMER_ACCESS + 1)
    emails = await asyncio.gather(*(h.profile_email() for _ in range(50)))
    assert emails == [DEMO_EMAIL] * 50
    assert len(h.calls("refreshauthtoken")) == 1
    assert h.manager.state is SessionState.LOGGED_IN


@pytest.mark.parametrize("manager_clock_knows", [True, False])
async def test_impossible_refresh_logs_out_as_expired(
    make_harness: HarnessFactory,
    short_sandbox: RunningSandbox,
    tmp_path: Path,
    manager_clock_knows: bool,
) -> None:
    h = await make_harness(short_sandbox, FileTokenStore(tmp_path / "sessions.json"))
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    assert await h.stored() is not None
    a_day = 86400 + 1  # access and refresh token both dead
    if manager_clock_knows:
        await h.clock.advance(a_day)
    else:
        await h.clock.advance_server(a_day)
    with pytest.raises(SessionExpiredError, match="log in again"):
        await h.profile_email()
    assert h.manager.state is SessionState.ANONYMOUS
    assert h.manager.customer_email is None
    assert h.events == [LoggedIn(DEMO_EMAIL), LoggedOut(LogoutReason.EXPIRED)]
    assert await h.stored() is None
    # The anonymous side still works, so the user can log in again right away.
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD)
    assert await h.profile_email() == DEMO_EMAIL


async def test_network_down_during_refresh_keeps_the_session(
    make_harness: HarnessFactory, short_sandbox: RunningSandbox, tmp_path: Path
) -> None:
    h = await make_harness(short_sandbox, FileTokenStore(tmp_path / "sessions.json"))
    await h.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    remembered = await h.stored()
    await h.clock.advance(SHORT_CUSTOMER_ACCESS + 1)  # the call must refresh first
    h.transport.down = True
    with pytest.raises(NetworkError):
        await h.profile_email()
    assert h.manager.state is SessionState.LOGGED_IN
    assert h.events == [LoggedIn(DEMO_EMAIL)]
    assert await h.stored() == remembered
    h.transport.down = False
    assert await h.profile_email() == DEMO_EMAIL
    assert [event.status for event in h.calls("refreshauthtoken")] == [None, 200]
    # The rotated refresh token replaced the remembered one.
    rotated = await h.stored()
    assert rotated is not None
    assert remembered is not None
    assert rotated.refresh_token != remembered.refresh_token


async def test_anonymous_token_is_refreshed_ahead_and_keeps_the_session_id(
    make_harness: HarnessFactory, short_sandbox: RunningSandbox
) -> None:
    h = await make_harness(short_sandbox)
    first = await h.manager.with_anonymous(echo)
    session_id = h.manager.session_id
    assert session_id
    assert await h.manager.with_anonymous(echo) == first  # reused, not re-issued
    await h.clock.advance(3599 - 120)
    second = await h.manager.with_anonymous(echo)
    assert second != first
    assert h.manager.session_id == session_id
    assert len(h.calls("anonymous/login")) == 1
