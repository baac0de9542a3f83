"""The session manager: anonymous and customer tokens, refresh, login/logout, remembered sessions.

Refresh policy. A token is refreshed *proactively* when less than ``max(60 s, 10 % of its
lifetime)`` remains of the access token (6 minutes for a one-hour anonymous token) or of its
refresh token (2.4 hours for a 24-hour customer refresh token, which dies long before the 30-day
customer access token), and *reactively* when the server answers 401 "expired" or "invalid"
(the call is then retried exactly once). Customer refreshes are single-flight: Emporix
rotates refresh tokens, so a second concurrent refresh would spend a dead token and log the
customer out. Every caller that needs a refresh while one is running awaits that same one.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from accountdesk.api import CustomerApiClient
from accountdesk.api.errors import (
    ApiError,
    InvalidTokenError,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    ServerError,
    TokenError,
    TransportError,
)
from accountdesk.api.models import (
    AnonymousToken,
    CustomerToken,
    DeletionOutcome,
    RefreshedCustomerToken,
    SocialLoginToken,
)
from accountdesk.session.errors import NotLoggedInError, SessionExpiredError
from accountdesk.session.events import (
    EmailChanged,
    LoggedIn,
    LoggedOut,
    LogoutReason,
    SessionEvent,
    SessionState,
    Subscribers,
)
from accountdesk.session.stores import StoredSession, TokenStore, TokenStoreError

_log = logging.getLogger(__name__)

T = TypeVar("T")

MIN_REFRESH_MARGIN_SECONDS = 60.0
REFRESH_MARGIN_FRACTION = 0.10
# Emporix documents 86399 s for refresh tokens; used only when a response omits the lifetime.
DEFAULT_REFRESH_LIFETIME_SECONDS = 86399

# Failures that say nothing about the refresh token itself: the session survives them.
_TRANSIENT_ERRORS = (TransportError, ServerError, RateLimitedError, MalformedResponseError)

AnyCustomerToken = CustomerToken | RefreshedCustomerToken | SocialLoginToken


def refresh_margin(lifetime: float) -> float:
    """Seconds before expiry at which a token of ``lifetime`` seconds is refreshed ahead."""
    return max(MIN_REFRESH_MARGIN_SECONDS, REFRESH_MARGIN_FRACTION * lifetime)


@dataclass(slots=True)
class _Lease:
    """An access token with its expiry, and the refresh token that renews it."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: float
    """Unix time; ``inf`` when the server did not say (then only reactive refresh applies)."""
    refresh_at: float
    refresh_expires_at: float

    @classmethod
    def issue(
        cls,
        now: float,
        access_token: str,
        refresh_token: str | None,
        expires_in: int | None,
        refresh_expires_in: int | None,
    ) -> _Lease:
        if expires_in is None:
            expires_at = refresh_at = math.inf
        else:
            expires_at = now + expires_in
            refresh_at = expires_at - refresh_margin(expires_in)
        refresh_lifetime = (
            refresh_expires_in
            if refresh_expires_in is not None
            else DEFAULT_REFRESH_LIFETIME_SECONDS
        )
        refresh_expires_at = now + refresh_lifetime
        if refresh_token is not None:
            # Also renew ahead of the refresh token's own death: a customer refresh token lives
            # 24 h but the access token 30 days, so waiting for the access token would mean the
            # refresh token is long dead and a long-running app (or "remember me") loses the
            # session for nothing.
            refresh_at = min(refresh_at, refresh_expires_at - refresh_margin(refresh_lifetime))
        return cls(access_token, refresh_token, expires_at, refresh_at, refresh_expires_at)

    def can_refresh(self, now: float) -> bool:
        return self.refresh_token is not None and now < self.refresh_expires_at


@dataclass(slots=True, eq=False)  # compared by identity: "is this still the session I saw?"
class _CustomerSession:
    lease: _Lease
    email: str | None
    session_id: str | None
    saas_token: str | None = field(repr=False)
    remember: bool
    refresh_dead: bool = False
    """A proactive refresh was refused; the access token is used until the server rejects it."""


class SessionManager:
    """Owns the tokens of one environment and keeps them valid for the rest of the app.

    Secrets (access, refresh and saas tokens) never appear in ``repr()`` or log lines.
    """

    def __init__(
        self,
        client: CustomerApiClient,
        store: TokenStore,
        *,
        environment_key: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._store = store
        self._key = environment_key
        self._clock = clock
        self._subscribers = Subscribers()
        self._anonymous: _Lease | None = None
        self._anonymous_session_id: str | None = None
        self._anonymous_lock = asyncio.Lock()
        self._customer: _CustomerSession | None = None
        # The refresh in flight and the session it renews: only callers holding that same
        # session may join it (a refresh of a replaced session must not serve the new one).
        self._customer_refresh: tuple[_CustomerSession, asyncio.Task[_CustomerSession]] | None = (
            None
        )
        # Bumped whenever the customer session is replaced or ended, so a refresh that was in
        # flight at that moment cannot resurrect the old session.
        self._generation = 0

    # -- state -----------------------------------------------------------------------------

    @property
    def store(self) -> TokenStore:
        return self._store

    @property
    def environment_key(self) -> str:
        return self._key

    @property
    def state(self) -> SessionState:
        return SessionState.ANONYMOUS if self._customer is None else SessionState.LOGGED_IN

    @property
    def customer_email(self) -> str | None:
        return self._customer.email if self._customer is not None else None

    @property
    def session_id(self) -> str | None:
        """The Emporix session id (shared by the anonymous and the customer token)."""
        if self._customer is not None and self._customer.session_id is not None:
            return self._customer.session_id
        return self._anonymous_session_id

    @property
    def saas_token(self) -> str | None:
        """The saas JWT from the last login (refreshes do not return a new one)."""
        return self._customer.saas_token if self._customer is not None else None

    @property
    def remembered(self) -> bool:
        """Whether the current customer session is kept in the token store."""
        return self._customer is not None and self._customer.remember

    def live_secrets(self) -> list[str]:
        """Every token held right now (access, refresh, saas; anonymous and customer).

        For checks that nothing secret leaves the app (a saved screenshot); never log these.
        """
        leases = [self._anonymous]
        saas = None
        if self._customer is not None:
            leases.append(self._customer.lease)
            saas = self._customer.saas_token
        tokens = [saas]
        for lease in leases:
            if lease is not None:
                tokens += [lease.access_token, lease.refresh_token]
        return [token for token in tokens if token]

    def subscribe(self, callback: Callable[[SessionEvent], None]) -> Callable[[], None]:
        """Call ``callback`` on every `SessionEvent`; returns the unsubscribe function."""
        return self._subscribers.subscribe(callback)

    def __repr__(self) -> str:
        return (
            f"SessionManager(environment_key={self._key!r}, state={self.state.name}, "
            f"customer_email={self.customer_email!r}, store={self._store.kind!r})"
        )

    # -- anonymous token -------------------------------------------------------------------

    async def with_anonymous(self, fn: Callable[[str], Awaitable[T]]) -> T:
        """Run ``fn(anonymous_token)``; on a 401 token error, renew the token and retry once."""
        lease = await self._anonymous_lease()
        try:
            return await fn(lease.access_token)
        except TokenError:
            lease = await self._anonymous_lease(stale=lease)
            return await fn(lease.access_token)

    async def renew_anonymous(self) -> None:
        """Replace the anonymous token, and the Emporix session id it carries, with a new one.

        For a terminal that people share: the next person must not continue the previous
        one's guest session. Never raises on API errors: the old token is gone anyway, and
        the next call that needs one fetches it.
        """
        # Under the lock: a fetch in flight must not install its token after this one.
        async with self._anonymous_lock:
            self._anonymous = None
            self._anonymous_session_id = None
            try:
                token = await self._client.anonymous_login()
            except ApiError as error:
                _log.info("no new anonymous token (%s); the next call fetches one", error.type)
                return
            self._install_anonymous(token)

    async def _anonymous_lease(self, stale: _Lease | None = None) -> _Lease:
        async with self._anonymous_lock:
            current = self._anonymous
            now = self._clock()
            if current is not None and current is not stale and now < current.refresh_at:
                return current
            renewable = current if current is not None and current.can_refresh(now) else None
            # A token the server just rejected is not refreshed: its refresh token is suspect.
            if renewable is not None and current is not stale:
                refreshed = await self._refresh_anonymous(renewable)
                if refreshed is not None:
                    return refreshed
            token = await self._client.anonymous_login()
            return self._install_anonymous(token)

    async def _refresh_anonymous(self, lease: _Lease) -> _Lease | None:
        assert lease.refresh_token is not None
        try:
            token = await self._client.refresh_anonymous_token(lease.refresh_token)
        except _TRANSIENT_ERRORS:
            raise
        except ApiError as error:
            # A refused anonymous refresh costs nothing: a new anonymous token is as good.
            _log.info("anonymous refresh refused (%s); issuing a new anonymous token", error.type)
            return None
        return self._install_anonymous(token, previous_refresh_token=lease.refresh_token)

    def _install_anonymous(
        self, token: AnonymousToken, previous_refresh_token: str | None = None
    ) -> _Lease:
        lease = _Lease.issue(
            self._clock(),
            token.access_token,
            # The anonymous refresh may omit the refresh token; the old one then stays valid.
            token.refresh_token or previous_refresh_token,
            token.expires_in,
            token.refresh_token_expires_in,
        )
        self._anonymous = lease
        if token.session_id is not None:
            self._anonymous_session_id = token.session_id
        return lease

    # -- customer token --------------------------------------------------------------------

    async def with_customer(self, fn: Callable[[str], Awaitable[T]]) -> T:
        """Run ``fn(customer_access_token)`` with a valid token.

        Refreshes ahead of expiry, and once more if the server rejects the token (then retries
        ``fn`` exactly once). Raises `NotLoggedInError` when nobody is logged in and
        `SessionExpiredError` when the session ended because it could not be refreshed; both
        are `SessionExpiredError`. Network errors propagate as the API's `TransportError` and
        leave the session intact.
        """
        session = self._require_customer()
        if self._clock() >= session.lease.refresh_at and not session.refresh_dead:
            session = await self._proactive_refresh(session)
        try:
            return await fn(session.lease.access_token)
        except TokenError:
            session = await self._refresh_customer(stale=session)
        try:
            return await fn(session.lease.access_token)
        except TokenError as error:
            # A token fresh from the server is refused: the account or session is gone.
            _log.info("freshly refreshed customer token rejected (%s)", error.type)
            await self._end_customer_session(LogoutReason.EXPIRED)
            raise SessionExpiredError() from None

    def _require_customer(self) -> _CustomerSession:
        if self._customer is None:
            raise NotLoggedInError()
        return self._customer

    async def _proactive_refresh(self, session: _CustomerSession) -> _CustomerSession:
        try:
            return await self._refresh_customer(stale=session, ending_session=False)
        except _TRANSIENT_ERRORS:
            if self._clock() < session.lease.expires_at:
                return session  # still valid: let the call try rather than fail on the refresh
            raise
        except _RefreshRefused:
            # Typical for customers: the 24 h refresh token dies long before the 30-day access
            # token. Keep using the access token until the server itself rejects it.
            session.refresh_dead = True
            return session

    async def _refresh_customer(
        self, stale: _CustomerSession, *, ending_session: bool = True
    ) -> _CustomerSession:
        current = self._require_customer()
        if current is not stale:
            return current  # someone else refreshed (or logged in) meanwhile
        if self._customer_refresh is not None and self._customer_refresh[0] is stale:
            task = self._customer_refresh[1]
        else:
            task = asyncio.create_task(self._run_customer_refresh(stale))
            # Retrieve the outcome even if every awaiting caller was cancelled meanwhile.
            task.add_done_callback(_consume_outcome)
            self._customer_refresh = (stale, task)
        try:
            # shield: a cancelled caller must not cancel the refresh the others are awaiting.
            return await asyncio.shield(task)
        except _RefreshRefused:
            if not ending_session:
                raise
            if self._customer is stale:
                await self._end_customer_session(LogoutReason.EXPIRED)
            raise SessionExpiredError() from None

    async def _run_customer_refresh(self, stale: _CustomerSession) -> _CustomerSession:
        generation = self._generation
        try:
            if stale.refresh_dead or not stale.lease.can_refresh(self._clock()):
                raise _RefreshRefused("the refresh token has expired")
            refresh_token = stale.lease.refresh_token
            assert refresh_token is not None
            try:
                token = await self.with_anonymous(
                    lambda anonymous: self._client.refresh_customer_token(anonymous, refresh_token)
                )
            except _TRANSIENT_ERRORS:
                raise
            except ApiError as error:
                raise _RefreshRefused(str(error)) from error
            if generation != self._generation:
                # Logged out (or in as someone else) while the refresh ran.
                raise NotLoggedInError()
            session = _CustomerSession(
                lease=self._lease_for(token),
                email=stale.email,
                session_id=token.session_id or stale.session_id,
                saas_token=stale.saas_token,
                remember=stale.remember,
            )
            self._customer = session
            if session.remember:
                await self._save(session)
            return session
        finally:
            if self._customer_refresh is not None and self._customer_refresh[0] is stale:
                self._customer_refresh = None

    def _lease_for(self, token: AnyCustomerToken) -> _Lease:
        return _Lease.issue(
            self._clock(),
            token.access_token,
            token.refresh_token,
            token.expires_in,
            token.refresh_token_expires_in,
        )

    # -- login, logout, resume -------------------------------------------------------------

    async def login(self, email: str, password: str, *, remember: bool = False) -> None:
        """Log in with email and password. API errors (wrong password, not activated…) propagate."""
        token = await self.with_anonymous(
            lambda anonymous: self._client.login(anonymous, email, password)
        )
        # The server's spelling of the address, not the one typed (``DEMO@Example.COM``).
        await self._start_customer_session(token, None, remember=remember, typed_email=email)

    async def complete_opt_in(self, optin_token: str, *, remember: bool = False) -> None:
        """Confirm a double opt-in token; Emporix logs the new customer in on success."""
        token = await self.with_anonymous(
            lambda anonymous: self._client.confirm_opt_in(anonymous, optin_token)
        )
        await self._start_customer_session(token, None, remember=remember)

    async def social_login(
        self,
        code: str,
        redirect_uri: str,
        *,
        code_verifier: str | None = None,
        remember: bool = False,
    ) -> None:
        """Log in with an identity provider's authorization ``code``, keeping the guest session."""
        token = await self.with_anonymous(
            lambda anonymous: self._client.social_login(
                anonymous,
                code,
                redirect_uri,
                code_verifier=code_verifier,
                session_id=self._anonymous_session_id,
            )
        )
        await self._start_customer_session(token, None, remember=remember)

    async def resume(self) -> bool:
        """Log in again from the token store. False when nothing usable is stored.

        Network errors propagate (and the stored session is kept for the next attempt).
        """
        if self._customer is not None:
            return True
        try:
            stored = await self._store.load(self._key)
        except TokenStoreError as error:
            _log.warning("cannot read the remembered session: %s", error)
            return False
        if stored is None:
            return False
        if self._clock() >= stored.refresh_expires_at:
            await self._clear_store()
            return False
        try:
            token = await self.with_anonymous(
                lambda anonymous: self._client.refresh_customer_token(
                    anonymous, stored.refresh_token
                )
            )
        except _TRANSIENT_ERRORS:
            raise
        except ApiError as error:
            _log.info("remembered session could not be resumed (%s)", error.type)
            await self._clear_store()
            return False
        await self._start_customer_session(token, None, remember=True)
        return True

    async def _start_customer_session(
        self,
        token: AnyCustomerToken,
        email: str | None,
        *,
        remember: bool,
        typed_email: str | None = None,
    ) -> None:
        self._generation += 1
        previous = self._customer
        session = _CustomerSession(
            lease=self._lease_for(token),
            email=email,
            session_id=token.session_id or self._anonymous_session_id,
            saas_token=token.saas_token
            if isinstance(token, CustomerToken | SocialLoginToken)
            else None,
            remember=remember,
        )
        self._customer = session
        if previous is not None:
            # Logging in over a live session (maybe as someone else) must not leave the old
            # token valid on the server, unreachable by any later logout.
            await self._revoke_on_server(previous.lease.access_token)
        # Saved before anything else can fail: a refresh may just have rotated the stored token.
        if remember:
            await self._save(session)
        else:
            # A remembered session from before (maybe another customer) must not come back.
            await self._clear_store()
        if session.email is None:
            session.email = await self._lookup_email(session.lease.access_token) or typed_email
        self._subscribers.publish(LoggedIn(session.email))

    async def refresh_email(self) -> None:
        """Ask the server who is logged in; publish `EmailChanged` if the login email changed.

        Called after an email change was confirmed (maybe from the mailbox, maybe for another
        customer: then nothing changes here).
        """
        session = self._customer
        if session is None:
            return
        email = await self._lookup_email(session.lease.access_token)
        if email is None or self._customer is not session or email == session.email:
            return
        session.email = email
        self._subscribers.publish(EmailChanged(email))

    async def _lookup_email(self, access_token: str) -> str | None:
        try:
            validation = await self._client.validate_token(access_token)
        except ApiError as error:
            # Only cosmetic (the header shows the email); the session itself is fine.
            _log.info("could not look up the customer's email (%s)", error.type)
            return None
        return validation.email

    async def logout(self) -> None:
        """Log out on the server and forget the session locally; never raises on network errors."""
        session = self._customer
        # Local state first: the session is gone even if the server call fails or is cancelled.
        await self._end_customer_session(LogoutReason.USER)
        if session is not None:
            await self._revoke_on_server(session.lease.access_token)

    async def _revoke_on_server(self, access_token: str) -> None:
        # A token left alive on the server is worse than a second logout (harmless: the token
        # is dead either way), so a connection that broke off is tried once more.
        for attempt in (1, 2):
            try:
                await self._client.logout(access_token)
            except NetworkError:
                if attempt == 1:
                    continue
                _log.info("server logout failed (network_error); the local session is gone")
            except InvalidTokenError:
                pass  # dead already (maybe by an attempt whose answer was lost)
            except ApiError as error:
                _log.info("server logout failed (%s); the local session is gone anyway", error.type)
            return

    async def delete_account(self, confirmation_token: str | None = None) -> DeletionOutcome:
        """Ask for the deletion email (no token), or delete the account with the emailed token
        and end the session."""
        outcome = await self.with_customer(
            lambda access: self._client.delete_profile(
                access, confirmation_token=confirmation_token
            )
        )
        if outcome is DeletionOutcome.DELETED:
            await self._end_customer_session(LogoutReason.DELETED)
        return outcome

    async def _end_customer_session(self, reason: LogoutReason) -> None:
        self._generation += 1
        was_logged_in = self._customer is not None
        # Dropped synchronously, before the first await, so nothing can use it any more.
        self._customer = None
        await self._clear_store()
        if was_logged_in:
            self._subscribers.publish(LoggedOut(reason))

    async def aclose(self) -> None:
        """Stop any refresh in flight and close the API client."""
        if self._customer_refresh is not None:
            self._customer_refresh[1].cancel()
        await self._client.aclose()

    # -- token store -----------------------------------------------------------------------

    async def _save(self, session: _CustomerSession) -> None:
        refresh_token = session.lease.refresh_token
        if refresh_token is None:
            return
        try:
            await self._store.save(
                self._key, StoredSession(refresh_token, session.lease.refresh_expires_at)
            )
        except TokenStoreError as error:
            # Losing "remember me" must not lose the live session.
            _log.warning("cannot remember the session: %s", error)

    async def _clear_store(self) -> None:
        try:
            await self._store.clear(self._key)
        except TokenStoreError as error:
            _log.warning("cannot forget the remembered session: %s", error)


class _RefreshRefused(Exception):
    """The server refused the refresh token (expired, rotated away, revoked)."""


def _consume_outcome(task: asyncio.Task[_CustomerSession]) -> None:
    if not task.cancelled():
        task.exception()
