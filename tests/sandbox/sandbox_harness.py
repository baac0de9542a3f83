"""A thin HTTP helper for the emulator's tests: tokens, signup + activation, mail, clock."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

PASSWORD = "Sandbox-Pass-1"
SOCIAL_REDIRECT = "http://localhost:9999/callback"


async def new_tenant(client: httpx.AsyncClient, *, double_opt_in: bool = True) -> tuple[str, str]:
    name = "t" + uuid.uuid4().hex[:12]
    client_id = f"{name}-storefront"
    response = await client.post(
        "/_sandbox/tenants",
        json={"name": name, "clientId": client_id, "doubleOptIn": double_opt_in},
    )
    assert response.status_code == 201, response.text
    return name, client_id


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


class Harness:
    def __init__(self, client: httpx.AsyncClient, tenant: str, client_id: str) -> None:
        self.client = client
        self.tenant = tenant
        self.client_id = client_id

    def path(self, suffix: str) -> str:
        return f"/customer/{self.tenant}{suffix}"

    async def anonymous(self) -> dict[str, Any]:
        response = await self.client.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": self.tenant, "client_id": self.client_id},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def anonymous_token(self) -> str:
        return str((await self.anonymous())["access_token"])

    async def call(
        self, method: str, suffix: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers.update(bearer(token))
        return await self.client.request(method, self.path(suffix), headers=headers, **kwargs)

    async def signup(self, email: str, password: str = PASSWORD, **extra: Any) -> httpx.Response:
        return await self.post_signup({"email": email, "password": password, **extra})

    async def post_signup(self, body: Any, anonymous: str | None = None) -> httpx.Response:
        """POST /signup with any body, well-formed or not."""
        if anonymous is None:
            anonymous = await self.anonymous_token()
        return await self.call("POST", "/signup", anonymous, json=body)

    async def mails(self, to: str | None = None) -> list[dict[str, Any]]:
        params = {} if to is None else {"to": to}
        response = await self.client.get(f"/_sandbox/{self.tenant}/outbox", params=params)
        assert response.status_code == 200, response.text
        mails: list[dict[str, Any]] = response.json()
        return mails

    async def latest(self, to: str, event: str) -> dict[str, Any]:
        matching = [mail for mail in await self.mails(to) if mail["event"] == event]
        assert matching, f"no {event} mail to {to}"
        return matching[-1]

    async def register(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        """Sign up and confirm the opt-in; returns the CustomerToken body (logged in)."""
        response = await self.signup(email, password)
        assert response.status_code == 201, response.text
        mail = await self.latest(email, "customer.opt-in")
        confirmed = await self.call(
            "GET", f"/signup/optin/{mail['token']}", await self.anonymous_token()
        )
        assert confirmed.status_code == 200, confirmed.text
        body: dict[str, Any] = confirmed.json()
        return body

    async def customer(self, email: str | None = None, password: str = PASSWORD) -> str:
        """A registered, logged-in customer's access token."""
        body = await self.register(email or unique_email(), password)
        return str(body["access_token"])

    async def login(self, email: str, password: str) -> httpx.Response:
        return await self.call(
            "POST",
            "/login",
            await self.anonymous_token(),
            json={"email": email, "password": password},
        )

    async def refresh_customer(
        self, refresh_token: str, anonymous: str | None = None
    ) -> httpx.Response:
        """GET /refreshauthtoken; with a fresh anonymous token unless one is given."""
        if anonymous is None:
            anonymous = await self.anonymous_token()
        return await self.call(
            "GET", "/refreshauthtoken", anonymous, params={"refreshToken": refresh_token}
        )

    async def reset_password(
        self, token: str, password: str, anonymous: str | None = None
    ) -> httpx.Response:
        """POST /password/reset/update; with a fresh anonymous token unless one is given."""
        if anonymous is None:
            anonymous = await self.anonymous_token()
        return await self.call(
            "POST", "/password/reset/update", anonymous, json={"token": token, "password": password}
        )

    async def change_password(self, access: str, current: str, new: str) -> httpx.Response:
        return await self.call(
            "POST",
            "/password/change",
            access,
            json={"currentPassword": current, "newPassword": new},
        )

    async def social_code(
        self, email: str, *, redirect_uri: str = SOCIAL_REDIRECT, **extra: str
    ) -> str:
        """An authorization code from the fake identity provider, for POST /socialLogin."""
        response = await self.client.get(
            "/_sandbox/social/authorize",
            params={"tenant": self.tenant, "email": email, "redirect_uri": redirect_uri, **extra},
        )
        assert response.status_code == 200, response.text
        return str(response.json()["code"])

    async def social_login(
        self, code: str, *, redirect_uri: str = SOCIAL_REDIRECT, **params: str
    ) -> dict[str, Any]:
        """POST /socialLogin, which must succeed; returns the token body."""
        response = await self.call(
            "POST",
            "/socialLogin",
            await self.anonymous_token(),
            params={"code": code, "redirect_uri": redirect_uri, **params},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def assert_each_names_its_field(
        self, method: str, suffix: str, token: str, cases: list[tuple[Any, str]]
    ) -> None:
        """Every `(body, field)` case is refused with 400 and a detail for that field."""
        for body, field in cases:
            response = await self.call(method, suffix, token, json=body)
            assert response.status_code == 400, body
            assert field in fields(response), (body, response.json())

    async def advance(self, seconds: float) -> None:
        response = await self.client.post("/_sandbox/clock", json={"advanceSeconds": seconds})
        assert response.status_code == 200, response.text


INVALID_TOKEN_FAULT = {
    "fault": {
        "faultstring": "Invalid access token",
        "detail": {"errorcode": "oauth.v2.InvalidAccessToken"},
    }
}
EXPIRED_TOKEN_FAULT = {
    "fault": {
        "faultstring": "Access Token expired",
        "detail": {"errorcode": "keymanagement.service.access_token_expired"},
    }
}


def fields(response: httpx.Response) -> dict[str, str]:
    """`details[].field -> details[].type` of an ErrorMessage body."""
    return {detail["field"]: detail["type"] for detail in response.json().get("details", [])}
