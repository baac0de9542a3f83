"""Property-based check of the emulator against the OFFICIAL Emporix spec (schemathesis).

Every operation of `shared/spec/api.yml` (and the two legacy operations that only the older
spec documents) is exercised in-process with real tokens: an anonymous token where the spec
asks for one, the demo customer's token for customer operations. Asserted: no 5xx, and every
response whose status the spec documents matches the documented schema.

Deliberate choices, each because the official spec cannot be matched literally:
- `status_code_conformance` is not checked: the spec omits statuses the emulator must send by
  design (401 with the ErrorMessage body on a wrong password and 429 on /login, 403
  `account_not_activated`, 404 on unknown addresses for the list path, 401 on an unknown
  anonymous refresh token, where the spec declares no errors at all).
- `content_type_conformance` is not checked: PATCH /me and PATCH /me/addresses/{id} declare a
  200 without content (§7 Q10) and the emulator returns the updated resource as JSON.
- Only positive data is generated: negative generation would mostly re-test request-validation
  (covered, with exact field paths, in test_sandbox_robustness.py and the per-route tests).
- Tenant and client id are pinned to the demo tenant, otherwise almost every request would stop
  at the tenant check; bearer headers are replaced by real tokens (the spec declares
  `Authorization` as a plain header parameter on three operations, §7 Q3/Q4).
- The anonymous refresh declares both `refresh_token` and the deprecated `anonymous_token` as
  required (§7 Q2); both are sent with generated values, so that operation mostly sees 401s.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette nudges towards `httpx2`; schemathesis's ASGI transport uses this client anyway.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

SPEC_DIR = Path(__file__).resolve().parents[3] / "shared/spec"
CURRENT_SPEC = SPEC_DIR / "api.yml"
LEGACY_SPEC = SPEC_DIR / "history-484ef75d/api.yml"

if not CURRENT_SPEC.exists():
    pytest.skip(
        f"the official spec is not beside the repository ({CURRENT_SPEC}); "
        "clone the shared/ directory next to it to run the conformance test",
        allow_module_level=True,
    )

import schemathesis  # noqa: E402  (only after the skip: loading the spec needs the file)
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error, response_schema_conformance  # noqa: E402

from accountdesk.sandbox import create_app  # noqa: E402

MAX_EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance]


def _load(path: Path) -> Any:
    schema = schemathesis.openapi.from_path(path)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE], max_examples=MAX_EXAMPLES, deterministic=True
    )
    return schema


current = _load(CURRENT_SPEC)
legacy = (
    _load(LEGACY_SPEC)
    .include(method="DELETE", path="/customer/{tenant}/me")
    .include(method="POST", path="/customer/{tenant}/me/accounts/internal")
    if LEGACY_SPEC.exists()
    else None
)

app = create_app(":memory:", seed_demo=True)


class Setup:
    """Real values that random data cannot guess: each known-good variant of a case gets
    fresh ones (a code, a token, an address), so success bodies are validated too."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.anonymous_body = self._anonymous()
        self.anonymous = self.anonymous_body["access_token"]
        self.customer = self.login()["access_token"]

    def _anonymous(self) -> dict[str, Any]:
        body: dict[str, Any] = self.client.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": "demo", "client_id": "demo-storefront"},
        ).json()
        return body

    def _bearer(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.anonymous}"}

    def login(self) -> dict[str, Any]:
        body: dict[str, Any] = self.client.post(
            "/customer/demo/login",
            json={"email": "demo@example.com", "password": "Demo-Password-42"},
            headers=self._bearer(),
        ).json()
        return body

    def throwaway_customer(self) -> tuple[str, str]:
        """A new activated customer: (email, access token)."""
        email = f"st-{uuid.uuid4().hex[:10]}@example.com"
        self.client.post(
            "/customer/demo/signup",
            json={"email": email, "password": "Sandbox-Pass-1"},
            headers=self._bearer(),
        )
        token = self.mail_token(email, "customer.opt-in")
        body = self.client.get(f"/customer/demo/signup/optin/{token}", headers=self._bearer())
        return email, str(body.json()["access_token"])

    def opt_in_token(self) -> str:
        email = f"st-{uuid.uuid4().hex[:10]}@example.com"
        self.client.post(
            "/customer/demo/signup",
            json={"email": email, "password": "Sandbox-Pass-1"},
            headers=self._bearer(),
        )
        return self.mail_token(email, "customer.opt-in")

    def mail_token(self, email: str, event: str) -> str:
        mails = self.client.get("/_sandbox/demo/outbox", params={"to": email}).json()
        return str([mail for mail in mails if mail["event"] == event][-1]["token"])

    def address_id(self) -> str:
        """An address of the test customer: a new one while the customer is below the
        sandbox's per-account limit, else one that exists."""
        created = self.client.post(
            "/customer/demo/me/addresses",
            json={"contactName": "Schemathesis", "country": "DE"},
            headers=self._bearer(self.customer),
        )
        if created.status_code == 201:
            return str(created.json()["id"])
        listed = self.client.get("/customer/demo/me/addresses", headers=self._bearer(self.customer))
        return str(listed.json()[-1]["id"])

    def social_code(self, redirect_uri: str) -> str:
        response = self.client.get(
            "/_sandbox/social/authorize",
            params={
                "tenant": "demo",
                "email": f"st-{uuid.uuid4().hex[:10]}@example.com",
                "redirect_uri": redirect_uri,
            },
        )
        return str(response.json()["code"])

    def social_customer(self) -> str:
        """The access token of a new customer who has only a social login."""
        code = self.social_code("http://localhost/callback")
        response = self.client.post(
            "/customer/demo/socialLogin",
            params={"code": code, "redirect_uri": "http://localhost/callback"},
            headers=self._bearer(),
        )
        return str(response.json()["access_token"])

    def subject_token(self) -> str:
        response = self.client.get(
            "/_sandbox/social/subject-token",
            params={"tenant": "demo", "email": f"st-{uuid.uuid4().hex[:10]}@example.com"},
        )
        return str(response.json()["subjectAccessToken"])


@pytest.fixture(scope="module")
def setup() -> Iterator[Setup]:
    # A loopback Host: the sandbox's own routes (outbox, clock) refuse any other.
    with TestClient(app, base_url="http://localhost") as client:
        yield Setup(client)


def _needs_customer(case: Any) -> bool:
    security = case.operation.definition.raw.get("security") or []
    return any("CustomerAccessToken" in requirement for requirement in security)


def _pin_tenant_and_tokens(case: Any, setup: Setup) -> None:
    if case.path.startswith("/customerlogin/"):
        case.query = {**(case.query or {}), "tenant": "demo", "client_id": "demo-storefront"}
    else:
        case.path_parameters = {**(case.path_parameters or {}), "tenant": "demo"}
        token = setup.customer if _needs_customer(case) else setup.anonymous
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


def _make_it_succeed(case: Any, setup: Setup) -> None:
    """Swap the values random data cannot guess for real ones."""
    operation = case.operation.definition.raw.get("operationId")
    query = dict(case.query or {})
    if operation == "GET-oauth-refresh-anonymous-access-token":
        fresh = setup._anonymous()
        query.update(refresh_token=fresh["refresh_token"], anonymous_token=fresh["access_token"])
    elif operation == "POST-customer-authenticate-customer":
        case.body = {"email": "demo@example.com", "password": "Demo-Password-42"}
    elif operation == "GET-customer-refresh-authtoken":
        query["refreshToken"] = setup.login()["refresh_token"]
    elif operation == "GET-customer-logout-customer":
        token = setup.login()["access_token"]
        query["accessToken"] = token
        case.headers = {**case.headers, "Authorization": f"Bearer {token}"}
    elif operation == "GET-customer-signup-customer-optin":
        case.path_parameters = {**case.path_parameters, "token": setup.opt_in_token()}
    elif operation == "POST-customer-login-customer-by-auth0":
        redirect_uri = "http://localhost/callback"
        query.update(code=setup.social_code(redirect_uri), redirect_uri=redirect_uri)
        query.pop("code_verifier", None)
    elif operation == "POST-customer-exchange-authtoken":
        query["subjectAccessToken"] = setup.subject_token()
        query.pop("config", None)
    elif operation == "DELETE-customer-remove-customer-profile":
        email, token = setup.throwaway_customer()
        case.headers = {**case.headers, "Authorization": f"Bearer {token}"}
        setup.client.delete("/customer/demo/me", headers={"Authorization": f"Bearer {token}"})
        query["token"] = setup.mail_token(email, "customer.deletion-request")
    elif case.method == "POST" and case.path == "/customer/{tenant}/me/accounts/internal":
        case.headers = {**case.headers, "Authorization": f"Bearer {setup.social_customer()}"}
        case.body = {"email": f"st-{uuid.uuid4().hex[:10]}@example.com", "password": "Pass-1234"}
    elif "addressId" in (case.path_parameters or {}):
        case.path_parameters = {**case.path_parameters, "addressId": setup.address_id()}
    case.query = query


# Operations whose known-good variant must succeed, so their success body is validated.
MUST_SUCCEED = {
    "GET-oauth-generate-anonymous-access-token",
    "GET-oauth-refresh-anonymous-access-token",
    "POST-customer-authenticate-customer",
    "GET-customer-refresh-authtoken",
    "GET-customer-validate-token",
    "GET-customer-logout-customer",
    "GET-customer-signup-customer-optin",
    "POST-customer-login-customer-by-auth0",
    "POST-customer-exchange-authtoken",
    "GET-customer-retrieve-customer-profile",
    "GET-customer-list-customer-addresses",
    "GET-customer-retrieve-address-by-id",
    "DELETE-customer-remove-customer-address-by-id",
    "DELETE-customer-remove-customer-profile",
    "POST-customer-assign-customer-account",
}


def _run(case: Any, setup: Setup) -> None:
    _pin_tenant_and_tokens(case, setup)
    case.validate_response(case.call(app=app), checks=CHECKS)
    _make_it_succeed(case, setup)
    response = case.call(app=app)
    case.validate_response(response, checks=CHECKS)
    if case.operation.definition.raw.get("operationId") in MUST_SUCCEED:
        assert response.status_code < 300, (case.path, response.status_code, response.text)


@current.parametrize()
def test_official_spec(case: Any, setup: Setup) -> None:
    _run(case, setup)


if legacy is not None:

    @legacy.parametrize()
    def test_legacy_operations(case: Any, setup: Setup) -> None:
        _run(case, setup)
