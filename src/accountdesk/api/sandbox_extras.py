"""The sandbox's own routes, outside the Emporix API: its outbox (the mailbox), its clock and
its fake identity provider.

The mailbox shows what the emulator "sent"; these calls never go to a real tenant (the probe
and the identity provider's stand-in browser talk to loopback hosts only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from accountdesk.api.errors import (
    ApiError,
    MalformedResponseError,
    NetworkError,
    error_from_response,
)

OPT_IN = "customer.opt-in"
PASSWORD_RESET = "customer.password-reset"  # noqa: S105 - an event name
EMAIL_CHANGE_REQUEST = "customer.email-change-request"
DELETION_REQUEST = "customer.deletion-request"

_TOKEN_MASK = "••••••••"  # noqa: S105 - a mask, not a secret


class OutboxError(Exception):
    """The sandbox outbox could not be read."""


@dataclass(frozen=True)
class OutboxMessage:
    """One email the sandbox would have sent."""

    id: str
    event: str
    to: str
    subject: str
    body: str
    token: str | None = field(repr=False)
    created_at: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OutboxMessage:
        return cls(
            id=str(data.get("id", "")),
            event=str(data.get("event", "")),
            to=str(data.get("to", "")),
            subject=str(data.get("subject", "")),
            body=str(data.get("body", "")),
            token=data.get("token") or None,
            created_at=str(data.get("createdAt", "")),
        )

    def masked_body(self) -> str:
        """The body with the token hidden (what screenshots and onlookers see by default)."""
        return self.body.replace(self.token, _TOKEN_MASK) if self.token else self.body


def outbox_url(base_url: str, tenant: str) -> str:
    return f"{base_url.rstrip('/')}/_sandbox/{tenant}/outbox"


async def fetch_outbox(base_url: str, tenant: str) -> list[OutboxMessage]:
    """The tenant's outbox, newest first."""
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.get(outbox_url(base_url, tenant))
            response.raise_for_status()
            payload = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise OutboxError(f"Could not read the sandbox mailbox: {error}") from None
    if not isinstance(payload, list):
        raise OutboxError("The sandbox mailbox answered with something that is not a list.")
    # The sandbox lists oldest first.
    return [OutboxMessage.from_json(item) for item in reversed(payload) if isinstance(item, dict)]


async def empty_outbox(base_url: str, tenant: str) -> None:
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.delete(outbox_url(base_url, tenant))
            response.raise_for_status()
    except httpx.HTTPError as error:
        raise OutboxError(f"Could not empty the sandbox mailbox: {error}") from None


def _is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in ("localhost", "127.0.0.1", "::1")


async def sign_in_at_sandbox_idp(authorize_url: str, email: str) -> None:
    """Do at the sandbox's fake identity provider what a person and their browser would.

    The provider has no sign-in page: its authorize endpoint takes the email to sign in as and
    answers the code. The "browser" then follows the redirect to the app's ``redirect_uri``
    with that code and the request's ``state``, as a real provider's redirect would. Raises
    `BadRequestError` for an email the provider refuses, `NetworkError` when either end does
    not answer.
    """
    query = dict(parse_qsl(urlsplit(authorize_url).query))
    redirect_uri = query.get("redirect_uri", "")
    if not (_is_loopback(authorize_url) and _is_loopback(redirect_uri)):
        # Only the emulator's provider is driven this way, never a real one.
        raise ApiError(
            "The sandbox identity provider and the redirect must be on this machine.",
            type="not_a_sandbox",
        )
    parts = urlsplit(authorize_url)
    signed_in = urlunsplit(parts._replace(query=urlencode({**query, "email": email})))
    try:
        async with httpx.AsyncClient(timeout=10.0) as client:
            response = await client.get(signed_in)
            if response.status_code != 200:
                raise error_from_response(response.status_code, response.headers, response.content)
            payload = response.json()
            code = payload.get("code") if isinstance(payload, dict) else None
            if not isinstance(code, str):
                raise MalformedResponseError(
                    "The sandbox identity provider answered without a code.",
                    type="malformed_response",
                )
            redirect = {"code": code, "state": query.get("state", "")}
            await client.get(redirect_uri, params=redirect)
    except ApiError:
        raise
    except (httpx.HTTPError, ValueError) as error:
        server = urlsplit(authorize_url).netloc
        raise NetworkError(
            f"The sign-in at the sandbox identity provider failed: {type(error).__name__}.",
            type="network_error",
            params={"server": server},
        ) from None


async def is_loopback_sandbox(base_url: str) -> bool:
    """Whether ``base_url`` is a sandbox on this machine (then the mailbox is offered).

    Only loopback hosts are asked: a real Emporix tenant never gets the probe.
    """
    host = urlsplit(base_url).hostname or ""
    if host not in ("localhost", "127.0.0.1", "::1"):
        return False
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            response = await client.get(f"{base_url}/_sandbox/clock")
        return response.status_code == 200 and "now" in response.json()
    except (httpx.HTTPError, ValueError):
        return False
