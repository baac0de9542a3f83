"""`CustomerApiClient`: one async method per Customer Service operation.

The client holds no session state: every call takes the token it needs, so the session layer
decides which token to use, when to refresh, and what to remember.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

import accountdesk
from accountdesk.api.errors import (
    ApiError,
    ConflictError,
    ConflictFactory,
    EmailTakenError,
    FieldError,
    InvalidTokenError,
    MalformedResponseError,
    NetworkError,
    RequestTimeout,
    TransportError,
    VersionConflictError,
    error_from_response,
)
from accountdesk.api.models import (
    Address,
    AddressCreate,
    AddressUpdate,
    AnonymousToken,
    ChangeEmailRequest,
    ConfirmEmailChange,
    Credentials,
    Customer,
    CustomerPatch,
    CustomerSignup,
    CustomerToken,
    DeletionOutcome,
    ExchangedToken,
    PasswordChange,
    PasswordResetRequest,
    PasswordResetUpdate,
    RefreshedCustomerToken,
    ResendActivation,
    ResourceLocation,
    SocialLoginToken,
    TokenValidation,
)
from accountdesk.api.redaction import redact_body, redact_headers, redact_path
from accountdesk.api.retry import RETRYABLE_STATUSES, RetryPolicy
from accountdesk.api.tracing import TraceCallback, TraceEvent

__all__ = ["USER_AGENT", "CustomerApiClient"]

USER_AGENT = f"accountdesk/{accountdesk.__version__} (+python-httpx)"

_log = logging.getLogger(__name__)


class _RedactedHttpxLog(logging.Filter):
    """httpx logs every request's full URL at INFO, and the spec puts tokens in query strings
    (`/logout?accessToken=`): whoever turns on INFO logging must not get tokens in their log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                f"{arg.scheme}://{arg.netloc.decode('ascii')}"
                f"{redact_path(arg.raw_path.decode('ascii'))}"
                if isinstance(arg, httpx.URL)
                else arg
                for arg in record.args
            )
        return True


_HTTPX_LOG = logging.getLogger("httpx")
if not any(isinstance(existing, _RedactedHttpxLog) for existing in _HTTPX_LOG.filters):
    _HTTPX_LOG.addFilter(_RedactedHttpxLog())

_ModelT = TypeVar("_ModelT", bound=BaseModel)
_ValueT = TypeVar("_ValueT")
_ADDRESS_LIST = TypeAdapter(list[Address])

# Waiting for a TCP connection longer than this rarely helps; a slow answer may be legitimate.
_MAX_CONNECT_SECONDS = 5.0
# Idle pooled connections are dropped before common servers close theirs (uvicorn and many
# proxies: 5 s). Equal or longer, a request can go out on a connection the server is closing
# at that moment, and fails with "server disconnected" although nothing was wrong.
KEEPALIVE_EXPIRY_SECONDS = 4.0
# A customer's profile with every address is a few kilobytes; far more is a broken server.
DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024
# Re-built from the decoded body, so these no longer describe it.
_BODY_FRAMING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _segment(value: str) -> str:
    """A value made safe to use as one URL path segment (``/`` and ``?`` included)."""
    return quote(value, safe="")


def _sendable_in_header(value: str) -> bool:
    # httpx refuses non-ASCII header values with a raw UnicodeEncodeError and line breaks would
    # corrupt the request, so such values are caught before anything is sent.
    return value.isascii() and value.isprintable()


def _bearer(token: str) -> dict[str, str]:
    if not token or not _sendable_in_header(token):
        # Tokens are ASCII by construction; anything else was mistyped or mangled on the way.
        raise InvalidTokenError(
            "The token is empty or contains characters no token has, so it cannot be used.",
            type="invalid_access_token",
        )
    return {"Authorization": f"Bearer {token}"}


def _drop_none(params: Mapping[str, str | None]) -> dict[str, str]:
    return {name: value for name, value in params.items() if value is not None}


def _describe_validation_error(error: ValidationError) -> str:
    # Only locations and pydantic's generic messages: the input values may be tokens.
    problems = []
    for item in error.errors(include_input=False, include_url=False)[:3]:
        location = ".".join(str(part) for part in item["loc"]) or "body"
        problems.append(f"{location}: {item['msg'].lower()}")
    return "; ".join(problems)


class CustomerApiClient:
    """Async client for the Emporix storefront Customer Service (customer-managed).

    One `httpx.AsyncClient` is created per instance and reused for every call, so connections
    are pooled; close it with ``await client.aclose()`` or use ``async with client:``.

    Args:
        base_url: the API root, e.g. ``https://api.emporix.io`` or the sandbox's URL.
        tenant: the tenant name (lowercase).
        client_id: the storefront API client id (no secret; used for anonymous tokens).
        timeout: total seconds per attempt (connecting, sending and reading the whole answer),
            or an `httpx.Timeout` for full control (its largest value is then the total).
            Connecting is capped at 5 seconds within that.
        trace: called once per HTTP attempt with a redacted `TraceEvent`.
        transport: an httpx transport to use instead of the network (tests, custom TLS).
        retry: backoff for safe GETs; ``RetryPolicy(attempts=1)`` disables retries.
        max_response_bytes: answers larger than this (decoded) are refused as malformed.

    Every method raises an `accountdesk.api.errors.ApiError` subclass on failure.
    """

    def __init__(
        self,
        base_url: str,
        tenant: str,
        client_id: str,
        *,
        timeout: float | httpx.Timeout = 10.0,
        trace: TraceCallback | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._max_response_bytes = max_response_bytes
        self._tenant = tenant
        self._client_id = client_id
        self._trace = trace
        self._retry = retry or RetryPolicy()
        if isinstance(timeout, httpx.Timeout):
            self._timeout = timeout
            limits = (timeout.connect, timeout.read, timeout.write, timeout.pool)
            self._deadline = max((limit for limit in limits if limit is not None), default=None)
        else:
            self._timeout = httpx.Timeout(timeout, connect=min(timeout, _MAX_CONNECT_SECONDS))
            self._deadline = timeout
        origin = httpx.URL(self._base_url)
        # Shown in network error messages; built from host and port only, never userinfo.
        self._server = f"{origin.host}:{origin.port}" if origin.port else origin.host
        self._http = httpx.AsyncClient(
            base_url=self._base_url,
            timeout=self._timeout,
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS),
            transport=transport,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    # --- lifecycle -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return self._base_url

    @property
    def tenant(self) -> str:
        """The tenant every call is made for."""
        return self._tenant

    @property
    def client_id(self) -> str:
        """The storefront client id used for anonymous tokens."""
        return self._client_id

    async def aclose(self) -> None:
        """Close the pooled connections. The client cannot be used afterwards."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"CustomerApiClient(base_url={self._base_url!r}, tenant={self._tenant!r})"

    # --- authentication and tokens -------------------------------------------------------------

    async def anonymous_login(
        self,
        *,
        currency: str | None = None,
        site_code: str | None = None,
        language: str | None = None,
        target_location: str | None = None,
    ) -> AnonymousToken:
        """Start a guest session and get an anonymous token (``GET …/anonymous/login``).

        The optional values are stored in the new session context.
        """
        params = _drop_none(
            {
                "tenant": self._tenant,
                "client_id": self._client_id,
                "currency": currency,
                "siteCode": site_code,
                "language": language,
                "targetLocation": target_location,
            }
        )
        # Safe to repeat: a lost first attempt at worst leaves an unused guest session behind.
        response = await self._send(
            "GET", "/customerlogin/auth/anonymous/login", params=params, idempotent=True
        )
        return self._parse(response, AnonymousToken)

    async def refresh_anonymous_token(self, refresh_token: str) -> AnonymousToken:
        """Renew an anonymous token, keeping its session id (``GET …/anonymous/refresh``)."""
        params = {
            "tenant": self._tenant,
            "refresh_token": refresh_token,
            "client_id": self._client_id,
        }
        response = await self._send("GET", "/customerlogin/auth/anonymous/refresh", params=params)
        return self._parse(response, AnonymousToken)

    async def sign_up(self, anonymous_token: str, signup: CustomerSignup) -> str:
        """Register a customer; returns the new customer id (``POST /signup``).

        With double opt-in on, the account is usable only after `confirm_opt_in`.
        Raises `EmailTakenError` for an email that is already registered.
        """
        response = await self._send(
            "POST",
            self._path("signup"),
            bearer=anonymous_token,
            body=signup.to_body(),
            conflict=EmailTakenError,
        )
        return self._parse(response, ResourceLocation).id

    async def login(self, anonymous_token: str, email: str, password: str) -> CustomerToken:
        """Log a customer in with email and password (``POST /login``).

        Raises `UnauthorizedError` (type ``invalid_credentials``) for a wrong email or password,
        `ForbiddenError` (type ``account_not_activated``) before double opt-in, and
        `RateLimitedError` after too many failed attempts.
        """
        body = Credentials(email=email, password=password).to_body()
        response = await self._send("POST", self._path("login"), bearer=anonymous_token, body=body)
        return self._parse(response, CustomerToken)

    async def logout(self, access_token: str) -> None:
        """Invalidate a customer access token (``GET /logout``)."""
        await self._send(
            "GET",
            self._path("logout"),
            bearer=access_token,
            params={"accessToken": access_token},
        )

    async def refresh_customer_token(
        self,
        anonymous_token: str,
        refresh_token: str,
        *,
        legal_entity_id: str | None = None,
    ) -> RefreshedCustomerToken:
        """Get a new customer access token (``GET /refreshauthtoken``).

        The refresh token rotates: use the returned one next time; the old one is dead.
        ``legal_entity_id`` scopes the new token to one of the customer's companies.
        """
        params = _drop_none({"refreshToken": refresh_token, "legalEntityId": legal_entity_id})
        response = await self._send(
            "GET", self._path("refreshauthtoken"), bearer=anonymous_token, params=params
        )
        return self._parse(response, RefreshedCustomerToken)

    async def validate_token(self, access_token: str) -> TokenValidation:
        """Check a customer token: email, remaining lifetime, scopes (``GET /validateauthtoken``).

        Raises a `TokenError` subclass when the token is no longer valid.
        """
        response = await self._send(
            "GET", self._path("validateauthtoken"), bearer=access_token, idempotent=True
        )
        return self._parse(response, TokenValidation)

    async def exchange_token(
        self,
        anonymous_token: str,
        subject_access_token: str,
        *,
        config: str | None = None,
    ) -> ExchangedToken:
        """Trade an external identity provider's access token for a customer token."""
        params = _drop_none({"subjectAccessToken": subject_access_token, "config": config})
        response = await self._send(
            "POST", self._path("exchangeauthtoken"), bearer=anonymous_token, params=params
        )
        return self._parse(response, ExchangedToken)

    async def social_login(
        self,
        anonymous_token: str,
        code: str,
        redirect_uri: str,
        *,
        code_verifier: str | None = None,
        session_id: str | None = None,
    ) -> SocialLoginToken:
        """Log in with an identity provider's authorization code (``POST /socialLogin``).

        ``code_verifier`` is the PKCE verifier if the code was requested with a challenge;
        ``session_id`` (the anonymous session's) keeps the guest session, e.g. its cart.
        """
        params = _drop_none(
            {"code": code, "redirect_uri": redirect_uri, "code_verifier": code_verifier}
        )
        headers = {"session-id": session_id} if session_id else {}
        response = await self._send(
            "POST",
            self._path("socialLogin"),
            bearer=anonymous_token,
            params=params,
            headers=headers,
        )
        return self._parse(response, SocialLoginToken)

    async def confirm_opt_in(self, anonymous_token: str, optin_token: str) -> CustomerToken:
        """Activate a new account with the emailed opt-in token; the customer is then logged in.

        Raises `BadRequestError` (type ``invalid_token``) for an unknown, expired or used token.
        """
        response = await self._send(
            "GET",
            self._path("signup", "optin", optin_token),
            bearer=anonymous_token,
        )
        return self._parse(response, CustomerToken)

    async def resend_activation_email(self, anonymous_token: str, email: str) -> None:
        """Send the opt-in (activation) email again (``POST /signup/optin/refresh_token``)."""
        await self._send(
            "POST",
            self._path("signup", "optin", "refresh_token"),
            bearer=anonymous_token,
            body=ResendActivation(email=email).to_body(),
        )

    # --- profile -------------------------------------------------------------------------------

    async def get_profile(self, access_token: str, *, expand_addresses: bool = False) -> Customer:
        """The customer's profile (``GET /me``); ``expand_addresses`` includes the addresses."""
        params = {"expand": "addresses"} if expand_addresses else {}
        response = await self._send(
            "GET", self._path("me"), bearer=access_token, params=params, idempotent=True
        )
        return self._parse(response, Customer)

    async def update_profile(
        self, access_token: str, patch: CustomerPatch, *, merge_patch: bool = False
    ) -> None:
        """Change profile fields (``PATCH /me``); only the fields set in ``patch`` are sent.

        ``merge_patch`` sends ``application/merge-patch+json`` instead of plain JSON.
        Raises `VersionConflictError` when ``patch.metadata.version`` is stale.
        """
        content_type = "application/merge-patch+json" if merge_patch else "application/json"
        await self._send(
            "PATCH",
            self._path("me"),
            bearer=access_token,
            body=patch.to_body(),
            content_type=content_type,
            conflict=VersionConflictError,
        )

    async def delete_profile(
        self, access_token: str, *, confirmation_token: str | None = None
    ) -> DeletionOutcome:
        """Delete the account (``DELETE /me``, legacy endpoint).

        Without ``confirmation_token`` the server mails one and answers
        `DeletionOutcome.CONFIRMATION_SENT`; with the mailed token the account and all its
        tokens are gone (`DeletionOutcome.DELETED`).
        """
        params = _drop_none({"token": confirmation_token})
        response = await self._send("DELETE", self._path("me"), bearer=access_token, params=params)
        if response.status_code == 202:
            return DeletionOutcome.CONFIRMATION_SENT
        return DeletionOutcome.DELETED

    async def assign_account(self, access_token: str, email: str, password: str) -> str:
        """Add an email + password login to the profile (legacy endpoint); returns the customer id.

        Raises `EmailTakenError` when the email already belongs to an account, and
        `ConflictError` when the profile has a password login already.
        """
        body = Credentials(email=email, password=password).to_body()
        response = await self._send(
            "POST",
            self._path("me", "accounts", "internal"),
            bearer=access_token,
            body=body,
            conflict=_assign_conflict,
        )
        return self._parse(response, ResourceLocation).id

    # --- addresses -----------------------------------------------------------------------------

    async def list_addresses(self, access_token: str) -> list[Address]:
        """All of the customer's addresses (``GET /me/addresses``)."""
        response = await self._send(
            "GET", self._path("me", "addresses"), bearer=access_token, idempotent=True
        )
        return self._parse_with(response, _ADDRESS_LIST)

    async def get_address(self, access_token: str, address_id: str) -> Address:
        """One address; raises `NotFoundError` for an unknown id."""
        response = await self._send(
            "GET",
            self._path("me", "addresses", address_id),
            bearer=access_token,
            idempotent=True,
        )
        return self._parse(response, Address)

    async def add_address(self, access_token: str, address: AddressCreate) -> str:
        """Store a new address; returns its id."""
        response = await self._send(
            "POST", self._path("me", "addresses"), bearer=access_token, body=address.to_body()
        )
        return self._parse(response, ResourceLocation).id

    async def update_address(
        self, access_token: str, address_id: str, update: AddressUpdate
    ) -> None:
        """Change an address; ``update.is_default=True`` makes it the default address.

        Raises `VersionConflictError` when ``update.metadata.version`` is stale.
        """
        await self._send(
            "PATCH",
            self._path("me", "addresses", address_id),
            bearer=access_token,
            body=update.to_body(),
            conflict=VersionConflictError,
        )

    async def delete_address(self, access_token: str, address_id: str) -> None:
        """Remove an address; raises `NotFoundError` for an unknown id."""
        await self._send("DELETE", self._path("me", "addresses", address_id), bearer=access_token)

    async def add_address_tags(
        self, access_token: str, address_id: str, tags: Sequence[str]
    ) -> None:
        """Add tags (e.g. ``BILLING``, ``SHIPPING``) to an address.

        Raises `ValueError` if ``tags`` is empty or a tag contains a comma (the API joins tags
        with commas, so such a tag could not be sent intact).
        """
        await self._send(
            "POST",
            self._path("me", "addresses", address_id, "tags"),
            bearer=access_token,
            params={"tags": _join_tags(tags)},
        )

    async def remove_address_tags(
        self, access_token: str, address_id: str, tags: Sequence[str]
    ) -> None:
        """Remove tags from an address. Same ``tags`` rules as `add_address_tags`."""
        await self._send(
            "DELETE",
            self._path("me", "addresses", address_id, "tags"),
            bearer=access_token,
            params={"tags": _join_tags(tags)},
        )

    # --- credentials ---------------------------------------------------------------------------

    async def request_email_change(
        self,
        access_token: str,
        *,
        email: str,
        password: str,
        new_email: str,
        sync_contact_email: bool = False,
    ) -> None:
        """Start changing the login email; a confirmation token is mailed to ``new_email``.

        ``email`` and ``password`` are the current credentials; with ``sync_contact_email`` the
        contact email follows the login email once confirmed. Raises `EmailTakenError` when
        ``new_email`` belongs to another account.
        """
        body = ChangeEmailRequest(
            email=email,
            password=password,
            new_email=new_email,
            sync_contact_email=sync_contact_email,
        ).to_body()
        await self._send(
            "POST",
            self._path("me", "accounts", "internal", "email", "change"),
            bearer=access_token,
            body=body,
            conflict=EmailTakenError,
        )

    async def confirm_email_change(self, anonymous_token: str, token: str) -> None:
        """Finish an email change with the token mailed to the new address."""
        await self._send(
            "POST",
            self._path("me", "accounts", "internal", "email", "change", "confirm"),
            bearer=anonymous_token,
            body=ConfirmEmailChange(token=token).to_body(),
            conflict=EmailTakenError,
        )

    async def request_password_reset(
        self, anonymous_token: str, email: str, *, site: str | None = None
    ) -> None:
        """Ask for a password-reset email(same answer for unknown emails)."""
        await self._send(
            "POST",
            self._path("password", "reset"),
            bearer=anonymous_token,
            body=PasswordResetRequest(email=email, site=site).to_body(),
        )

    async def reset_password(self, anonymous_token: str, token: str, new_password: str) -> None:
        """Set a new password with the mailed reset token; other sessions are logged out."""
        await self._send(
            "POST",
            self._path("password", "reset", "update"),
            bearer=anonymous_token,
            body=PasswordResetUpdate(token=token, password=new_password).to_body(),
        )

    async def change_password(
        self, access_token: str, current_password: str, new_password: str
    ) -> None:
        """Change the logged-in customer's password; the customer's other tokens are revoked."""
        body = PasswordChange(
            current_password=current_password, new_password=new_password
        ).to_body()
        await self._send("POST", self._path("password", "change"), bearer=access_token, body=body)

    # --- plumbing --------------------------------------------------------------------------------

    def _path(self, *segments: str) -> str:
        encoded = "/".join(_segment(segment) for segment in segments)
        return f"/customer/{_segment(self._tenant)}/{encoded}"

    async def _send(
        self,
        method: str,
        path: str,
        *,
        bearer: str | None = None,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content_type: str = "application/json",
        idempotent: bool = False,
        conflict: ConflictFactory = ConflictError,
    ) -> httpx.Response:
        """Perform one operation, retrying only if ``idempotent``; return a 2xx response.

        ``idempotent`` must be true only for calls that change nothing on the server. Some GETs
        are NOT idempotent in effect and must never be retried: logout kills a token,
        ``optin/{token}`` consumes a single-use token, and both refresh calls rotate or renew
        tokens, so a second attempt after a lost answer would fail or log the customer out.
        """
        for name, value in (headers or {}).items():
            if not _sendable_in_header(value):
                raise ApiError(
                    f"The {name} value contains characters that cannot be sent in a header.",
                    type="invalid_request",
                )
        request_headers: dict[str, str] = dict(headers or {})
        if bearer is not None:
            request_headers.update(_bearer(bearer))
        content: bytes | None = None
        if body is not None:
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
            request_headers["Content-Type"] = content_type
        attempts = self._retry.attempts if idempotent else 1

        for attempt in range(1, attempts + 1):
            last_attempt = attempt == attempts
            request = self._http.build_request(
                method, path, params=params, content=content, headers=request_headers
            )
            started = time.perf_counter()
            try:
                response = await self._receive(request)
            except (httpx.HTTPError, httpx.InvalidURL, TimeoutError, _TooLarge) as exc:
                error = self._transport_error(exc)
                self._emit(request, started, None, error)
                if not last_attempt and isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
                    await self._retry.wait(attempt)
                    continue
                raise error from exc

            status = response.status_code
            if 200 <= status < 300:
                self._emit(request, started, response, None)
                return response
            failure = error_from_response(
                status, response.headers, response.content, conflict=conflict
            )
            self._emit(request, started, response, failure)
            if not last_attempt and status in RETRYABLE_STATUSES:
                await self._retry.wait(attempt)
                continue
            raise failure
        raise AssertionError("unreachable: the last attempt always returns or raises")

    async def _receive(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and read the whole answer within the attempt's deadline, refusing
        answers larger than the limit (httpx's own timeouts apply per read, so a server sending
        a byte at a time could otherwise hold the call for ever)."""
        async with asyncio.timeout(self._deadline):
            response = await self._http.send(request, stream=True)
            try:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self._max_response_bytes:
                    raise _TooLarge()
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self._max_response_bytes:
                        raise _TooLarge()
                    chunks.append(chunk)
            finally:
                await response.aclose()
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in _BODY_FRAMING_HEADERS
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=b"".join(chunks), request=request
        )

    def _transport_error(self, exc: Exception) -> ApiError:
        server = self._server
        params = {"server": server}
        if isinstance(exc, _TooLarge):
            return MalformedResponseError(
                f"The answer from {server} is larger than "
                f"{self._max_response_bytes // (1024 * 1024)} MiB; it was not read.",
                type="response_too_large",
                params=params,
            )
        if isinstance(exc, TimeoutError):
            return RequestTimeout(
                f"{server} did not answer in time. Try again in a moment.",
                type="timeout",
                params=params,
            )
        if isinstance(exc, httpx.DecodingError):
            # An answer arrived, but its compressed or encoded body is broken.
            return MalformedResponseError(
                f"The answer from {server} could not be decoded; it may be corrupted.",
                type="malformed_response",
                params=params,
            )
        if isinstance(exc, httpx.ConnectTimeout):
            # Its own code: the server was never reached, unlike a slow answer ("timeout").
            return RequestTimeout(
                f"Connecting to {server} timed out. Check the network connection and try again.",
                type="connect_timeout",
                params=params,
            )
        if isinstance(exc, httpx.TimeoutException):
            return RequestTimeout(
                f"{server} did not answer in time. Try again in a moment.",
                type="timeout",
                params=params,
            )
        if isinstance(exc, httpx.ConnectError):
            return NetworkError(
                f"Could not connect to {server}. Check that the server is running and the "
                "network is available.",
                type="network_error",
                params=params,
            )
        if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
            return NetworkError(
                f"The connection to {server} broke off before the answer was complete.",
                type="network_error",
                params=params,
            )
        return TransportError(
            f"The request to {server} could not be completed ({type(exc).__name__}).",
            type="transport_error",
            params=params,
        )

    def _emit(
        self,
        request: httpx.Request,
        started: float,
        response: httpx.Response | None,
        error: ApiError | None,
    ) -> None:
        if self._trace is None:
            return
        raw_path = request.url.raw_path.decode("ascii", errors="replace")
        duration = time.perf_counter() - started
        event = TraceEvent(
            method=request.method,
            path=redact_path(raw_path),
            status=response.status_code if response is not None else None,
            duration_ms=duration * 1000.0,
            request_body=redact_body(request.content) if request.content else None,
            response_body=redact_body(response.content) if response is not None else None,
            error=str(error) if error is not None else None,
            request_headers=redact_headers(dict(request.headers)),
            origin=f"{request.url.scheme}://{request.url.netloc.decode('ascii', errors='replace')}",
            started_at=datetime.now(UTC) - timedelta(seconds=duration),
            response_headers=redact_headers(dict(response.headers)) if response is not None else {},
        )
        try:
            self._trace(event)
        except Exception:
            # A broken log panel must not turn a successful API call into a failure.
            _log.exception("The trace callback failed")

    def _parse(self, response: httpx.Response, model: type[_ModelT]) -> _ModelT:
        return _validated(response, model.model_validate)

    def _parse_with(self, response: httpx.Response, adapter: TypeAdapter[_ValueT]) -> _ValueT:
        return _validated(response, adapter.validate_python)


def _validated(response: httpx.Response, validate: Callable[[Any], _ValueT]) -> _ValueT:
    document = _decode_json(response)
    try:
        return validate(document)
    except ValidationError as exc:
        raise MalformedResponseError(
            "The server's answer did not have the expected shape "
            f"({_describe_validation_error(exc)}).",
            status=response.status_code,
            type="malformed_response",
        ) from None


def _decode_json(response: httpx.Response) -> Any:
    body = response.content
    status = response.status_code
    if not body.strip():
        raise MalformedResponseError(
            f"The server sent an empty answer where data was expected (HTTP {status}).",
            status=status,
            type="malformed_response",
        )
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        content_type = response.headers.get("content-type", "")
        if "html" in content_type or body.lstrip()[:1] == b"<":
            message = (
                f"The server sent a web page instead of data (HTTP {status}); "
                "the address may point to the wrong server."
            )
        else:
            message = (
                f"The server's answer is not valid JSON (HTTP {status}); it may have been cut off."
            )
        raise MalformedResponseError(message, status=status, type="malformed_response") from None


class _TooLarge(Exception):
    """The answer is larger than the client's limit."""


def _assign_conflict(
    message: str,
    *,
    status: int | None = None,
    type: str = "conflict",
    details: Sequence[FieldError] = (),
    params: Mapping[str, str] | None = None,
) -> ConflictError:
    # The sandbox and Emporix answer "email taken" and "already has a password login" alike;
    # only the message tells them apart.
    cls = ConflictError if "already has" in message.lower() else EmailTakenError
    return cls(message, status=status, type=type, details=details, params=params)


def _join_tags(tags: Sequence[str]) -> str:
    if isinstance(tags, str):
        tags = [tags]
    cleaned = [tag.strip() for tag in tags if tag.strip()]
    if not cleaned:
        raise ValueError("At least one tag is needed.")
    if any("," in tag for tag in cleaned):
        raise ValueError("A tag cannot contain a comma.")
    return ",".join(cleaned)
