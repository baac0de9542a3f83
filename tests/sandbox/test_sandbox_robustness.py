"""No client input gets a 500 or a framework-shaped error body.

Every route of the app is hit with malformed bodies, wrong types, odd content types and odd
path values, with no token, an anonymous token and a customer token. In-process, so an
unexpected exception inside the app fails the test directly.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import pytest
import schemathesis
from fastapi import APIRouter, FastAPI, Query
from sandbox_harness import PASSWORD, Harness, bearer, new_tenant, unique_email

from accountdesk.sandbox import create_app, routes_profile
from accountdesk.sandbox.auth import AnyPrincipal
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES

GARBAGE_BODIES: list[tuple[bytes, str]] = [
    (b"", "application/json"),
    (b"{", "application/json"),
    (b"null", "application/json"),
    (b"[]", "application/json"),
    (b'"text"', "application/json"),
    (b"12", "application/json"),
    (b'{"email": 1, "password": [], "token": {}, "tags": 5, "metadata": "x"}', "application/json"),
    (b'{"metadata": {"version": 1e400}, "isDefault": "maybe"}', "application/json"),
    (b'{"customerDetails": [], "customerAddress": "x", "signup": 3}', "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b'{"email": "a@example.com"}', "text/plain"),
    (b"email=a@example.com", "application/x-www-form-urlencoded"),
    (b'{"a":' * 5000 + b"1" + b"}" * 5000, "application/json"),
    (b'{"firstName": "' + b"x" * 100_000 + b'"}', "application/json"),
    (b'{"email": "\\ud800@example.com", "password": "\\ud800\\udfff-pass"}', "application/json"),
    (b'{"contactName": "A", "country": "\\u0000\\u0000"}', "application/merge-patch+json"),
]

PATH_VALUES = {"tenant": "demo", "addressId": "%00..%2F%2F", "token": "x" * 2000}
QUERY_GARBAGE = {
    "tags": ",,,",
    "accessToken": "\u00e9\u00e9",
    "refreshToken": "",
    "expand": "addresses,,mixin:*,\u2603",
    "token": "",
    "code": "x",
    "redirect_uri": "",
    "subjectAccessToken": "a.b.c",
    "config": "",
    "tenant": "UPPER",
    "client_id": "",
    "email": "@",
    "advanceSeconds": "-1",
}


def _is_error_shape(body: Any) -> bool:
    if isinstance(body, dict) and "fault" in body:
        return set(body["fault"]) == {"faultstring", "detail"}
    return (
        isinstance(body, dict)
        and isinstance(body.get("status"), int)
        and isinstance(body.get("type"), str)
        and isinstance(body.get("message"), str)
    )


@pytest.fixture
async def tokens_client() -> Any:
    app = create_app(":memory:", seed_demo=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        tenant, client_id = await new_tenant(client)
        harness = Harness(client, tenant, client_id)
        customer = await harness.customer(unique_email(), PASSWORD)
        anonymous = await harness.anonymous_token()
        yield app, client, tenant, anonymous, customer


async def test_garbage_never_causes_a_server_error(tokens_client: Any) -> None:
    app, client, tenant, anonymous, customer = tokens_client
    # The app's own OpenAPI document lists every route and method it serves.
    operations = [
        (template, method.upper())
        for template, item in app.openapi()["paths"].items()
        for method in item
    ]
    assert len(operations) >= 30
    checked = 0
    for template, method in operations:
        path = template
        for name, value in PATH_VALUES.items():
            path = path.replace("{" + name + "}", tenant if name == "tenant" else value)
        if True:
            for token in (None, anonymous, customer):
                headers = {} if token is None else bearer(token)
                for body, content_type in GARBAGE_BODIES:
                    response = await client.request(
                        method,
                        path,
                        content=body,
                        params=QUERY_GARBAGE,
                        headers={**headers, "Content-Type": content_type},
                    )
                    checked += 1
                    assert response.status_code < 500, (method, path, body[:60], response.text)
                    if response.status_code >= 400:
                        assert _is_error_shape(response.json()), (method, path, response.text)
    assert checked > 1000


async def test_unknown_routes_and_methods_use_the_error_shape(
    asgi_client: httpx.AsyncClient,
) -> None:
    missing = await asgi_client.get("/customer/demo/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["type"] == "not_found"
    wrong_method = await asgi_client.put("/customer/demo/me", json={})
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {
        "status": 405,
        "type": "method_not_allowed",
        "message": "This method is not allowed on this resource.",
    }


async def test_validation_errors_never_use_fastapis_default_shape(
    asgi_client: httpx.AsyncClient,
) -> None:
    response = await asgi_client.get("/customerlogin/auth/anonymous/login")
    assert response.status_code == 400
    assert "detail" not in response.json()
    assert response.json()["details"][0]["type"] == "missing_value"


async def test_openapi_document_is_served(asgi_client: httpx.AsyncClient) -> None:
    response = await asgi_client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/customerlogin/auth/anonymous/login",
        "/customer/{tenant}/signup",
        "/customer/{tenant}/me",
        "/customer/{tenant}/me/accounts/internal",
        "/customer/{tenant}/me/addresses/{addressId}/tags",
        "/customer/{tenant}/socialLogin",
        "/customer/{tenant}/exchangeauthtoken",
        "/_sandbox/{tenant}/outbox",
        "/_sandbox/clock",
    ):
        assert path in paths
    assert "delete" in paths["/customer/{tenant}/me"]
    # It documents the error bodies it really sends, not FastAPI's 422.
    login_responses = paths["/customer/{tenant}/login"]["post"]["responses"]
    assert "422" not in login_responses
    assert {"400", "401", "429"} <= set(login_responses)
    # ...and is a valid OpenAPI document.
    loaded = schemathesis.openapi.from_dict(response.json())
    operations = [result.ok() for result in loaded.get_all_operations()]  # raises on an error
    assert len(operations) >= 30


def test_get_me_is_documented_as_if_declared() -> None:
    """`GET /me` checks its token and reads `expand` itself (it is the most frequent call);
    its operation must still be, key for key, what FastAPI writes for the declared form."""
    router = APIRouter(
        prefix="/customer/{tenant}/me", tags=["Account and profile"], responses=ERROR_RESPONSES
    )

    @router.get("", operation_id="GET-customer-retrieve-customer-profile")
    async def get_me(
        principal: AnyPrincipal, expand: Annotated[str | None, Query()] = None
    ) -> dict[str, Any]:
        raise AssertionError("only documented")

    get_me.__doc__ = routes_profile.get_me.__doc__
    declared = FastAPI()
    declared.include_router(router)
    expected = declared.openapi()["paths"]["/customer/{tenant}/me"]["get"]
    expected["responses"].pop("422")
    actual = create_app(":memory:").openapi()["paths"]["/customer/{tenant}/me"]["get"]
    assert json.dumps(actual) == json.dumps(expected)
