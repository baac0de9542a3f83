"""HTTP details real clients rely on: Allow, OPTIONS, trailing slashes, CORS per tenant.

Before: `OPTIONS /me` said `Allow: GET`, `PUT /me` a 405 with `Allow: GET`, the `GET {token}`
route shadowed `/signup/optin/refresh_token`, `/me/` answered 307 with an empty body, and no
answer carried `Access-Control-Allow-Origin` (a storefront in the browser could not call it).
"""

from __future__ import annotations

import httpx
import pytest
from sandbox_harness import Harness

from accountdesk.sandbox import create_app
from accountdesk.sandbox.settings import SandboxSettings

SHOP = "http://localhost:3000"


def allow(response: httpx.Response) -> set[str]:
    return {method.strip() for method in response.headers["allow"].split(",")}


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/me", {"GET", "PATCH", "DELETE", "OPTIONS"}),
        ("/me/addresses", {"GET", "POST", "OPTIONS"}),
        ("/me/addresses/abc", {"GET", "PATCH", "DELETE", "OPTIONS"}),
        ("/signup/optin/refresh_token", {"GET", "POST", "OPTIONS"}),
        ("/login", {"POST", "OPTIONS"}),
    ],
)
async def test_options_names_every_method_of_the_path(
    api: Harness, path: str, methods: set[str]
) -> None:
    response = await api.call("OPTIONS", path)
    assert response.status_code == 204
    assert allow(response) == methods


async def test_a_405_allows_every_method_of_the_path(api: Harness) -> None:
    token = await api.customer()
    response = await api.call("PUT", "/me", token, json={"firstName": "X"})
    assert response.status_code == 405
    assert response.json()["type"] == "method_not_allowed"
    assert allow(response) == {"GET", "PATCH", "DELETE", "OPTIONS"}


async def test_a_trailing_slash_is_a_404_in_the_emporix_shape(api: Harness) -> None:
    token = await api.customer()
    response = await api.call("GET", "/me/", token)
    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_a_preflight_from_a_loopback_origin_is_answered(api: Harness) -> None:
    response = await api.call(
        "OPTIONS",
        "/login",
        headers={
            "Origin": SHOP,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, emporix-tenant",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == SHOP
    assert "POST" in response.headers["access-control-allow-methods"]
    sent = {h.strip() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "emporix-tenant", "session-id", "saas-token"} <= sent
    assert "Origin" in response.headers["vary"]


async def test_every_answer_to_an_allowed_origin_carries_the_header_errors_included(
    api: Harness,
) -> None:
    anonymous = await api.client.get(
        "/customerlogin/auth/anonymous/login",
        params={"tenant": api.tenant, "client_id": api.client_id},
        headers={"Origin": SHOP},
    )
    assert anonymous.headers["access-control-allow-origin"] == SHOP
    refused = await api.call(
        "POST",
        "/login",
        anonymous.json()["access_token"],
        json={"email": "nobody@example.com", "password": "wrong-password"},
        headers={"Origin": SHOP},
    )
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == SHOP


async def test_other_origins_get_no_cors_header(api: Harness) -> None:
    response = await api.call(
        "OPTIONS",
        "/login",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers
    outbox = await api.client.get(f"/_sandbox/{api.tenant}/outbox", headers={"Origin": SHOP})
    assert "access-control-allow-origin" not in outbox.headers  # the sandbox's own routes


async def test_a_tenant_lists_its_own_origins() -> None:
    transport = httpx.ASGITransport(app=create_app(":memory:"))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        created = await client.post(
            "/_sandbox/tenants",
            json={
                "name": "shopco",
                "clientId": "shopco-web",
                "allowedOrigins": ["https://shop.example"],
            },
        )
        assert created.status_code == 201, created.text
        params = {"tenant": "shopco", "client_id": "shopco-web"}
        listed = await client.get(
            "/customerlogin/auth/anonymous/login",
            params=params,
            headers={"Origin": "https://shop.example"},
        )
        loopback = await client.get(
            "/customerlogin/auth/anonymous/login", params=params, headers={"Origin": SHOP}
        )
        bad = await client.post(
            "/_sandbox/tenants",
            json={"name": "badco", "clientId": "b", "allowedOrigins": ["https://x.example/path"]},
        )
    assert listed.headers["access-control-allow-origin"] == "https://shop.example"
    assert "access-control-allow-origin" not in loopback.headers  # the list replaces the default
    assert bad.status_code == 400


async def test_put_is_refused_unless_the_sandbox_option_accepts_it_as_patch() -> None:
    for put_as_patch, expected in ((False, 405), (True, 200)):
        settings = SandboxSettings(put_as_patch=put_as_patch)
        transport = httpx.ASGITransport(app=create_app(":memory:", settings=settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            api = Harness(client, "demo", "demo-storefront")
            token = str(
                (await api.login("demo@example.com", "Demo-Password-42")).json()["access_token"]
            )
            profile = await api.call("PUT", "/me", token, json={"middleName": "Byron"})
            assert profile.status_code == expected, profile.text
            address_id = (
                await api.call(
                    "POST", "/me/addresses", token, json={"contactName": "A", "country": "DE"}
                )
            ).json()["id"]
            address = await api.call(
                "PUT", f"/me/addresses/{address_id}", token, json={"city": "Berlin"}
            )
            assert address.status_code == expected, address.text
            if put_as_patch:
                me = (await api.call("GET", "/me", token)).json()
                assert me["middleName"] == "Byron"
                assert (await api.call("GET", f"/me/addresses/{address_id}", token)).json()[
                    "city"
                ] == "Berlin"
