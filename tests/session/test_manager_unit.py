"""Single-flight and failure-handling edge cases of SessionManager, against a tiny client double.

The flows themselves are tested end to end against the sandbox (test_manager_sandbox.py); this
double only makes timing-sensitive cases (a refresh held open, a caller cancelled mid-refresh,
a network failure at a precise moment) deterministic.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, cast

import pytest

from accountdesk.api import CustomerApiClient
from accountdesk.api.errors import (
    InvalidTokenError,
    NetworkError,
    ServerError,
    TokenExpiredError,
    UnauthorizedError,
)
from accountdesk.api.models import (
    AnonymousToken,
    CustomerToken,
    RefreshedCustomerToken,
    TokenValidation,
)
from accountdesk.session import (
    LoggedIn,
    LoggedOut,
    LogoutReason,
    MemoryTokenStore,
    NotLoggedInError,
    SessionEvent,
    SessionExpiredError,
    SessionManager,
    SessionState,
    StoredSession,
    refresh_margin,
)

KEY = "http://shop.test|demo"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class FakeClient:
    """Just the calls the manager makes, with a server-side notion of which tokens are alive."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self._ids = itertools.count(1)
        self.alive_access: dict[str, float] = {}
        self.alive_refresh: dict[str, float] = {}
        self.refresh_calls = 0
        self.anonymous_logins = 0
        self.logged_out: list[str] = []
        self.hold_refresh: asyncio.Event | None = None
        self.refresh_failure: Exception | None = None
        self.logout_failure: Exception | None = None
        # Raised once each, before `logout_failure` is looked at.
        self.logout_failures_once: list[Exception] = []
        self.closed = False

    def _issue(self, prefix: str, lifetime: int) -> str:
        token = f"{prefix}-{next(self._ids)}"
        self.alive_access[token] = self.clock.now + lifetime
        return token

    def _refresh_token(self) -> str:
        token = f"refresh-{next(self._ids)}"
        self.alive_refresh[token] = self.clock.now + 86399
        return token

    def _customer_tokens(self) -> dict[str, Any]:
        """The fields of a fresh customer token, as login and refresh answer them."""
        return {
            "access_token": self._issue("access", 600),
            "refresh_token": self._refresh_token(),
            "expires_in": 600,
            "refresh_token_expires_in": 86399,
            "session_id": "session-1",
        }

    def check(self, token: str) -> None:
        if token not in self.alive_access:
            raise InvalidTokenError("Invalid access token", status=401)
        if self.alive_access[token] <= self.clock.now:
            raise TokenExpiredError("Access Token expired", status=401)

    async def anonymous_login(self) -> AnonymousToken:
        self.anonymous_logins += 1
        return AnonymousToken(
            access_token=self._issue("anon", 3599),
            expires_in=3599,
            refresh_token=f"anon-refresh-{next(self._ids)}",
            refresh_token_expires_in=86399,
            session_id="session-1",
        )

    async def refresh_anonymous_token(self, refresh_token: str) -> AnonymousToken:
        return await self.anonymous_login()

    async def login(self, anonymous_token: str, email: str, password: str) -> CustomerToken:
        self.check(anonymous_token)
        if password != "right":
            raise UnauthorizedError("Invalid email or password.", status=401)
        return CustomerToken(**self._customer_tokens(), saas_token="saas-jwt")

    async def refresh_customer_token(
        self, anonymous_token: str, refresh_token: str
    ) -> RefreshedCustomerToken:
        self.refresh_calls += 1
        self.check(anonymous_token)
        if self.hold_refresh is not None:
            await self.hold_refresh.wait()
        if self.refresh_failure is not None:
            raise self.refresh_failure
        expiry = self.alive_refresh.pop(refresh_token, None)
        if expiry is None or expiry <= self.clock.now:
            raise UnauthorizedError("The refresh token is invalid.", status=401)
        return RefreshedCustomerToken(**self._customer_tokens())

    async def validate_token(self, access_token: str) -> TokenValidation:
        self.check(access_token)
        return TokenValidation(email="ada@example.com", expires_in=600)

    async def logout(self, access_token: str) -> None:
        if self.logout_failures_once:
            raise self.logout_failures_once.pop(0)
        if self.logout_failure is not None:
            raise self.logout_failure
        self.alive_access.pop(access_token, None)
        self.logged_out.append(access_token)

    async def aclose(self) -> None:
        self.closed = True


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> FakeClient:
    return FakeClient(clock)


@pytest.fixture
def store() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
def events() -> list[SessionEvent]:
    return []


@pytest.fixture
def manager(
    client: FakeClient, store: MemoryTokenStore, clock: FakeClock, events: list[SessionEvent]
) -> SessionManager:
    manager = SessionManager(
        cast(CustomerApiClient, client), store, environment_key=KEY, clock=clock
    )
    manager.subscribe(events.append)
    return manager


async def _whoami(client: FakeClient, token: str) -> str:
    client.check(token)
    await asyncio.sleep(0)
    return token


def test_refresh_margin_is_ten_percent_but_at_least_a_minute() -> None:
    assert refresh_margin(3599) == pytest.approx(359.9)
    assert refresh_margin(300) == 60
    assert refresh_margin(86399) == pytest.approx(8639.9)


async def test_concurrent_reactive_refreshes_are_single_flight(
    manager: SessionManager, client: FakeClient, clock: FakeClock
) -> None:
    await manager.login("ada@example.com", "right")
    first = await manager.with_customer(lambda token: _whoami(client, token))
    # Expired for the server only: the manager's clock says the token is fine (clock skew).
    client.alive_access[first] = clock.now
    tokens = await asyncio.gather(
        *(manager.with_customer(lambda token: _whoami(client, token)) for _ in range(50))
    )
    assert client.refresh_calls == 1
    assert len(set(tokens)) == 1
    assert tokens[0] != first


async def test_a_cancelled_caller_does_not_cancel_the_shared_refresh(
    manager: SessionManager, client: FakeClient, clock: FakeClock
) -> None:
    await manager.login("ada@example.com", "right")
    clock.now += 600  # past expiry for both sides: a proactive refresh is due
    client.hold_refresh = asyncio.Event()
    cancelled = asyncio.create_task(manager.with_customer(lambda t: _whoami(client, t)))
    patient = asyncio.create_task(manager.with_customer(lambda t: _whoami(client, t)))
    await asyncio.sleep(0.01)
    cancelled.cancel()
    client.hold_refresh.set()
    token = await patient
    assert cancelled.cancelled()
    assert client.refresh_calls == 1
    assert manager.state is SessionState.LOGGED_IN
    client.check(token)


async def test_network_error_during_refresh_keeps_the_session(
    manager: SessionManager, client: FakeClient, clock: FakeClock, store: MemoryTokenStore
) -> None:
    await manager.login("ada@example.com", "right", remember=True)
    remembered = await store.load(KEY)
    clock.now += 601
    client.refresh_failure = NetworkError("Cannot reach shop.test.")
    with pytest.raises(NetworkError):
        await manager.with_customer(lambda t: _whoami(client, t))
    assert manager.state is SessionState.LOGGED_IN
    assert await store.load(KEY) == remembered
    # Once the network is back the same session refreshes normally.
    client.refresh_failure = None
    await manager.with_customer(lambda t: _whoami(client, t))
    assert client.refresh_calls == 2
    assert await store.load(KEY) != remembered


async def test_refused_proactive_refresh_keeps_using_a_valid_access_token(
    manager: SessionManager, client: FakeClient, clock: FakeClock, events: list[SessionEvent]
) -> None:
    await manager.login("ada@example.com", "right")
    clock.now += 560  # inside the 60 s margin, access token still valid
    client.alive_refresh.clear()  # but the refresh token was revoked
    token = await manager.with_customer(lambda t: _whoami(client, t))
    assert manager.state is SessionState.LOGGED_IN
    # Not retried on every call: one refusal is enough.
    await manager.with_customer(lambda t: _whoami(client, t))
    assert client.refresh_calls == 1
    # When the server finally rejects the access token, the session ends cleanly.
    clock.now += 60
    with pytest.raises(SessionExpiredError):
        await manager.with_customer(lambda t: _whoami(client, t))
    assert client.refresh_calls == 1
    assert token.startswith("access-")
    assert events[-1] == LoggedOut(LogoutReason.EXPIRED)
    assert manager.state is SessionState.ANONYMOUS


async def test_logout_while_a_refresh_runs_does_not_resurrect_the_session(
    manager: SessionManager, client: FakeClient, clock: FakeClock, store: MemoryTokenStore
) -> None:
    await manager.login("ada@example.com", "right", remember=True)
    clock.now += 601
    client.hold_refresh = asyncio.Event()
    call = asyncio.create_task(manager.with_customer(lambda t: _whoami(client, t)))
    await asyncio.sleep(0.01)
    await manager.logout()
    client.hold_refresh.set()
    with pytest.raises(NotLoggedInError):
        await call
    assert manager.state is SessionState.ANONYMOUS
    assert await store.load(KEY) is None


async def test_a_token_rejected_right_after_refresh_ends_the_session(
    manager: SessionManager, client: FakeClient, events: list[SessionEvent]
) -> None:
    await manager.login("ada@example.com", "right")

    async def always_rejected(token: str) -> None:
        raise InvalidTokenError("Invalid access token", status=401)

    with pytest.raises(SessionExpiredError):
        await manager.with_customer(always_rejected)
    assert client.refresh_calls == 1
    assert events == [LoggedIn("ada@example.com"), LoggedOut(LogoutReason.EXPIRED)]


async def test_not_logged_in_is_a_session_expired_error(manager: SessionManager) -> None:
    with pytest.raises(SessionExpiredError, match="not logged in"):
        await manager.with_customer(_echo_token)


async def test_login_without_remember_forgets_an_older_remembered_session(
    manager: SessionManager, store: MemoryTokenStore
) -> None:
    await store.save(KEY, StoredSession("someone-elses-refresh", 9e9))
    await manager.login("ada@example.com", "right", remember=False)
    assert await store.load(KEY) is None
    assert manager.remembered is False


async def test_failed_login_changes_nothing(
    manager: SessionManager, events: list[SessionEvent]
) -> None:
    with pytest.raises(UnauthorizedError):
        await manager.login("ada@example.com", "wrong")
    assert manager.state is SessionState.ANONYMOUS
    assert events == []


async def test_logout_survives_a_network_error(
    manager: SessionManager, client: FakeClient, events: list[SessionEvent]
) -> None:
    await manager.login("ada@example.com", "right")
    client.logout_failure = NetworkError("Cannot reach shop.test.")
    await manager.logout()
    assert manager.state is SessionState.ANONYMOUS
    assert events[-1] == LoggedOut(LogoutReason.USER)


async def test_a_logout_whose_connection_broke_off_is_sent_again(
    manager: SessionManager, client: FakeClient
) -> None:
    """A token left alive on the server would outlive the session (a kiosk's wipe relies on
    it dying): a pooled connection the server closed at that moment must not keep it."""
    await manager.login("ada@example.com", "right")
    client.logout_failures_once = [NetworkError("The connection broke off.")]
    await manager.logout()
    assert len(client.logged_out) == 1


async def test_anonymous_token_is_reused_then_renewed_ahead_of_expiry(
    manager: SessionManager, client: FakeClient, clock: FakeClock
) -> None:
    first = await manager.with_anonymous(lambda t: _whoami(client, t))
    assert await manager.with_anonymous(lambda t: _whoami(client, t)) == first
    clock.now += 3599 - 300  # inside the 360 s margin
    second = await manager.with_anonymous(lambda t: _whoami(client, t))
    assert second != first
    assert client.anonymous_logins == 2


async def test_repr_and_events_never_show_tokens(manager: SessionManager) -> None:
    await manager.login("ada@example.com", "right")
    text = repr(manager)
    assert "access-" not in text
    assert "refresh-" not in text
    assert "saas-jwt" not in text
    assert "ada@example.com" in text


async def test_aclose_closes_the_client(manager: SessionManager, client: FakeClient) -> None:
    await manager.aclose()
    assert client.closed


async def test_a_new_login_does_not_join_the_old_sessions_refresh(
    manager: SessionManager, client: FakeClient, clock: FakeClock
) -> None:
    await manager.login("ada@example.com", "right")
    clock.now += 601
    old_refresh_held = asyncio.Event()
    client.hold_refresh = old_refresh_held
    old_call = asyncio.create_task(manager.with_customer(lambda t: _whoami(client, t)))
    await asyncio.sleep(0.01)
    client.hold_refresh = None
    await manager.login("ada@example.com", "right")  # a new session while the old one refreshes
    clock.now += 601
    token = await asyncio.wait_for(manager.with_customer(lambda t: _whoami(client, t)), 5)
    client.check(token)
    assert client.refresh_calls == 2
    old_refresh_held.set()
    with pytest.raises(NotLoggedInError):
        await old_call
    assert manager.state is SessionState.LOGGED_IN


async def test_proactive_refresh_failing_on_the_server_still_uses_a_valid_token(
    manager: SessionManager, client: FakeClient, clock: FakeClock
) -> None:
    await manager.login("ada@example.com", "right")
    clock.now += 560  # refresh due, token still valid for 40 s
    client.refresh_failure = ServerError("The server failed.", status=503)
    token = await manager.with_customer(lambda t: _whoami(client, t))
    client.check(token)
    assert manager.state is SessionState.LOGGED_IN


async def test_listeners_can_unsubscribe_and_a_failing_one_breaks_nothing(
    manager: SessionManager, events: list[SessionEvent], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: SessionEvent) -> None:
        raise RuntimeError("listener bug")

    manager.subscribe(broken)
    later: list[SessionEvent] = []
    unsubscribe = manager.subscribe(later.append)
    await manager.login("ada@example.com", "right")
    unsubscribe()
    unsubscribe()  # idempotent
    await manager.logout()
    assert events == [LoggedIn("ada@example.com"), LoggedOut(LogoutReason.USER)]
    assert later == [LoggedIn("ada@example.com")]
    assert "listener bug" in caplog.text
    assert manager.state is SessionState.ANONYMOUS


async def _echo_token(token: str) -> str:
    return token
