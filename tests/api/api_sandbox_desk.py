"""A client bound to one sandbox tenant, with the sandbox-only helpers the flows need."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from accountdesk.api import (
    CustomerApiClient,
    CustomerDetails,
    CustomerSignup,
    CustomerToken,
    TraceEvent,
)


class SandboxTarget(Protocol):
    @property
    def base_url(self) -> str: ...
    @property
    def tenant(self) -> str: ...
    @property
    def client_id(self) -> str: ...


@dataclass
class SandboxDesk:
    """A client bound to one sandbox tenant, plus the sandbox-only helpers the flows need."""

    api: CustomerApiClient
    base_url: str
    tenant: str
    traces: list[TraceEvent] = field(default_factory=list)

    async def mails(self, to: str) -> list[dict[str, Any]]:
        async with httpx.AsyncClient(base_url=self.base_url) as http:
            response = await http.get(f"/_sandbox/{self.tenant}/outbox", params={"to": to})
            response.raise_for_status()
            mails: list[dict[str, Any]] = response.json()
            return mails

    async def mailed_token(self, to: str, event: str) -> str:
        """The token of the newest mail of kind ``event`` sent to ``to``."""
        matching = [mail for mail in await self.mails(to) if mail["event"] == event]
        assert matching, f"no {event} mail to {to}"
        token = matching[-1]["token"]
        assert isinstance(token, str)
        return token

    async def advance_clock(self, seconds: int) -> None:
        async with httpx.AsyncClient(base_url=self.base_url) as http:
            response = await http.post("/_sandbox/clock", json={"advanceSeconds": seconds})
            response.raise_for_status()

    async def social_code(
        self, email: str, redirect_uri: str, *, code_challenge: str | None = None
    ) -> str:
        """An authorization code from the sandbox's fake identity provider."""
        params = {"tenant": self.tenant, "email": email, "redirect_uri": redirect_uri}
        if code_challenge is not None:
            params |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
        async with httpx.AsyncClient(base_url=self.base_url) as http:
            response = await http.get("/_sandbox/social/authorize", params=params)
            response.raise_for_status()
            code = response.json()["code"]
            assert isinstance(code, str)
            return code

    async def subject_token(self, email: str) -> str:
        """An external IdP access token (JWT) that exchangeauthtoken accepts."""
        async with httpx.AsyncClient(base_url=self.base_url) as http:
            response = await http.get(
                "/_sandbox/social/subject-token", params={"tenant": self.tenant, "email": email}
            )
            response.raise_for_status()
            token = response.json()["subjectAccessToken"]
            assert isinstance(token, str)
            return token

    async def anonymous(self) -> str:
        return (await self.api.anonymous_login()).access_token

    async def register(
        self, email: str | None = None, password: str = "Correct-Horse-42"
    ) -> tuple[str, str, CustomerToken]:
        """Sign up and confirm the opt-in: returns (email, password, logged-in token)."""
        email = email or unique_email()
        anonymous = await self.anonymous()
        await self.api.sign_up(
            anonymous,
            CustomerSignup(
                email=email,
                password=password,
                customer_details=CustomerDetails(
                    first_name="Grace", last_name="Hopper", contact_email=email
                ),
            ),
        )
        optin = await self.mailed_token(email, "customer.opt-in")
        token = await self.api.confirm_opt_in(anonymous, optin)
        return email, password, token


def unique_email(prefix: str = "api") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"
