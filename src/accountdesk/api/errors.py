"""The exceptions the client raises, and how an HTTP answer becomes one of them.

Every failure the client reports is an `ApiError`, itself an `AccountDeskError`: the one base
that the session layer's errors share too, so a user interface catches one thing. Callers branch
on the subclass (`EmailTakenError`, `VersionConflictError`, `NotActivatedError`,
`InvalidCodeError`…), chosen here where the response is parsed. ``str(error)`` is an English
sentence for logs and scripts; a user interface words the error itself from its ``code`` and
``params`` (and shows `field_errors` next to the offending form fields).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

__all__ = [
    "AccountDeskError",
    "ApiError",
    "BadRequestError",
    "ConflictError",
    "EmailTakenError",
    "FieldError",
    "ForbiddenError",
    "InvalidCodeError",
    "InvalidTokenError",
    "MalformedResponseError",
    "NetworkError",
    "NotActivatedError",
    "NotFoundError",
    "RateLimitedError",
    "RequestTimeout",
    "ServerError",
    "TokenError",
    "TokenExpiredError",
    "TransportError",
    "UnauthorizedError",
    "VersionConflictError",
    "error_from_response",
    "parse_retry_after",
]


@dataclass(frozen=True, slots=True)
class FieldError:
    """One per-field problem from an error body's ``details``.

    ``field`` is the JSON path of the offending request field (``email``,
    ``customerAddress.country``…); it is empty when the problem is not field-specific.
    """

    field: str
    type: str
    message: str


class AccountDeskError(Exception):
    """Root of every failure the core reports: API errors, an ended session, no backend.

    Attributes:
        code: what happened, machine-readable and stable (a user interface words it).
        params: the values its wording needs (``server``, ``status``…), never secrets.
        message: an English sentence for logs and scripts, also returned by ``str(error)``.
    """

    def __init__(self, message: str, *, code: str, params: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.params: dict[str, str] = dict(params or {})

    def __str__(self) -> str:
        return self.message


class ApiError(AccountDeskError):
    """Root of every failure raised by `CustomerApiClient`.

    Attributes:
        status: the HTTP status, or ``None`` when no HTTP answer arrived.
        type: a machine-readable classification (the body's ``type`` in lowercase, the gateway
            ``errorcode``, or one of the client's own: ``network_error``, ``connect_timeout``,
            ``timeout``, ``malformed_response``, ``unexpected_status``); also the ``code``.
        message: the server's sentence, or the client's own; also returned by ``str(error)``.
        details: per-field problems, possibly empty.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        type: str = "api_error",
        details: Sequence[FieldError] = (),
        params: Mapping[str, str] | None = None,
    ) -> None:
        merged = dict(params or {})
        if status is not None:
            merged.setdefault("status", str(status))
        super().__init__(message, code=type, params=merged)
        self.status = status
        self.type = type
        self.details: list[FieldError] = list(details)

    @property
    def field_errors(self) -> dict[str, str]:
        """Field path -> message, for showing problems next to form fields.

        Details without a field are left out; several messages for one field are joined.
        """
        collected: dict[str, list[str]] = {}
        for detail in self.details:
            if detail.field:
                collected.setdefault(detail.field, []).append(detail.message)
        return {name: " ".join(messages) for name, messages in collected.items()}

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(status={self.status!r}, type={self.type!r}, message={self.message!r})"


class TransportError(ApiError):
    """No HTTP answer arrived (the request may or may not have reached the server)."""


class NetworkError(TransportError):
    """The server could not be reached, or the connection broke mid-exchange."""


class RequestTimeout(TransportError):
    """Connecting (code ``connect_timeout``) or waiting for the whole answer (``timeout``: the
    server was reached but too slow, or trickled its answer) took longer than allowed."""


class MalformedResponseError(ApiError):
    """An answer arrived but is not what the API promises: HTML, garbage, cut-off, wrong shape."""


class BadRequestError(ApiError):
    """400: the request was rejected; `details` / `field_errors` say which fields and why."""


class InvalidCodeError(BadRequestError):
    """400 ``invalid_token``: an emailed code (opt-in, reset, email change) is unknown,
    expired or already used."""


class UnauthorizedError(ApiError):
    """401 with an error body, e.g. ``invalid_credentials`` for a wrong email or password."""


class TokenError(UnauthorizedError):
    """401 from the gateway: the bearer token is unusable (the ``{"fault": …}`` body)."""


class InvalidTokenError(TokenError):
    """The bearer token is unknown, revoked or logged out; refreshing will not help."""


class TokenExpiredError(TokenError):
    """The bearer token has expired; a refresh may get a new one."""


class ForbiddenError(ApiError):
    """403: e.g. ``account_not_activated`` (opt-in pending) or ``forbidden`` (wrong token kind)."""


class NotActivatedError(ForbiddenError):
    """403 ``account_not_activated``: the double opt-in is not confirmed yet."""


class NotFoundError(ApiError):
    """404: the resource (e.g. an address id) does not exist."""


class ConflictError(ApiError):
    """409: duplicate account, or a stale ``metadata.version`` on an update.

    The server answers both with one type (``conflict_resource``); the client raises the
    subclass that the operation implies.
    """


class EmailTakenError(ConflictError):
    """409 on sign-up, assign account or an email change: the email belongs to an account."""


class VersionConflictError(ConflictError):
    """409 on an update with ``metadata.version``: changed elsewhere meanwhile; reload."""


class RateLimitedError(ApiError):
    """429: too many attempts; ``retry_after`` is the wait in seconds when the server said so."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 429,
        type: str = "too_many_requests",
        details: Sequence[FieldError] = (),
        retry_after: float | None = None,
    ) -> None:
        params = {} if retry_after is None else {"retry_after": str(max(1, math.ceil(retry_after)))}
        super().__init__(message, status=status, type=type, details=details, params=params)
        self.retry_after = retry_after

    def __str__(self) -> str:
        # Servers often say when to retry themselves; saying it twice reads badly in the UI.
        if self.retry_after is None or "try again" in self.message.lower():
            return self.message
        seconds = max(1, math.ceil(self.retry_after))
        unit = "second" if seconds == 1 else "seconds"
        return f"{self.message} Try again in {seconds} {unit}."


class ServerError(ApiError):
    """5xx: the server failed; the request itself may be fine."""


ConflictFactory = Callable[..., ConflictError]
"""What a 409 becomes: a `ConflictError` class, or a function choosing one by the message."""

_STATUS_CLASSES: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
}

# Gateway error codes that mean "expired" rather than "unknown/revoked"; only an expired token is
# worth a refresh, so the distinction decides whether the session layer retries.
_EXPIRED_MARKERS = ("expired",)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        reference = now or datetime.now(UTC)
        return max(0.0, (moment - reference).total_seconds())
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


def _status_phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _status_type(status: int) -> str:
    try:
        return HTTPStatus(status).name.lower()
    except ValueError:
        return ""


def _default_message(status: int) -> str:
    phrase = _status_phrase(status)
    if status >= 500:
        return f"The server failed to handle the request ({phrase})."
    return f"The server rejected the request ({phrase})."


def _parse_details(raw: Any) -> list[FieldError]:
    if not isinstance(raw, list):
        return []
    details = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        details.append(
            FieldError(
                field=str(item.get("field") or ""),
                type=str(item.get("type") or ""),
                message=_sentence(str(item.get("message") or "")),
            )
        )
    return details


def _load_json_object(body: bytes) -> Mapping[str, Any] | None:
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: a hostile `[[[…]]]` body nests deeper than Python's parser allows.
        return None
    return parsed if isinstance(parsed, Mapping) else None


def _fault_error(fault: Mapping[str, Any], status: int) -> ApiError:
    faultstring = str(fault.get("faultstring") or "The access token was rejected")
    detail = fault.get("detail")
    errorcode = ""
    if isinstance(detail, Mapping):
        errorcode = str(detail.get("errorcode") or "")
    lowered = f"{faultstring} {errorcode}".lower()
    if status != 401:
        # A fault body on another status is still the gateway speaking; keep the status class.
        cls = _STATUS_CLASSES.get(status, ServerError if status >= 500 else ApiError)
        return cls(_sentence(faultstring), status=status, type=errorcode or "fault")
    if any(marker in lowered for marker in _EXPIRED_MARKERS):
        return TokenExpiredError(
            "The session has expired (access token expired).",
            status=status,
            type=errorcode or "access_token_expired",
        )
    return InvalidTokenError(
        f"The access token was rejected: {_sentence(faultstring)}",
        status=status,
        type=errorcode or "invalid_access_token",
    )


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    conflict: ConflictFactory = ConflictError,
) -> ApiError:
    """Build the typed exception for a non-success HTTP answer.

    Understands the Emporix ``ErrorMessage`` body (``status, type, message, details``) and the
    gateway ``{"fault": {...}}`` body; anything else (HTML error pages, empty bodies) falls back to
    a message derived from the status code, still with the class the status implies.
    ``conflict`` is the class a 409 becomes: the caller knows what a conflict means for its
    operation (the body does not say).
    """
    document = _load_json_object(body)
    if document is not None and isinstance(document.get("fault"), Mapping):
        return _fault_error(document["fault"], status)

    message = _default_message(status)
    error_type = _status_type(status)
    details: list[FieldError] = []
    if document is not None:
        raw_message = document.get("message")
        if isinstance(raw_message, str) and raw_message.strip():
            message = _sentence(raw_message)
        raw_type = document.get("type")
        if isinstance(raw_type, str) and raw_type.strip():
            # Lowercased because the spec's own 403 example says "Forbidden" (research notes Q7).
            error_type = raw_type.strip().lower()
        details = _parse_details(document.get("details"))

    if status == 429:
        return RateLimitedError(
            message,
            status=status,
            type=error_type or "too_many_requests",
            details=details,
            retry_after=parse_retry_after(_header(headers, "retry-after")),
        )
    if status >= 500:
        return ServerError(
            message, status=status, type=error_type or "server_error", details=details
        )
    cls = _STATUS_CLASSES.get(status)
    if status == 409:
        return conflict(message, status=status, type=error_type, details=details)
    if cls is BadRequestError and error_type == "invalid_token":
        cls = InvalidCodeError
    elif cls is ForbiddenError and error_type == "account_not_activated":
        cls = NotActivatedError
    if cls is None:
        return ApiError(
            message, status=status, type=error_type or "unexpected_status", details=details
        )
    return cls(message, status=status, type=error_type, details=details)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
