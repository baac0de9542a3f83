"""Password login, logout, customer token refresh and validation."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from accountdesk.sandbox import throttle
from accountdesk.sandbox.auth import AnyPrincipal, CustomerPrincipal
from accountdesk.sandbox.context import require_tenant
from accountdesk.sandbox.customers import find_by_login_email, get_customer, normalise_email
from accountdesk.sandbox.errors import ApiProblem, TokenFault, field_error
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.passwords import verify_password_off_loop
from accountdesk.sandbox.schemas import PasswordAuthenticationIn
from accountdesk.sandbox.sessions import customer_token_body, refresh_body, start_customer_session
from accountdesk.sandbox.tokens import (
    CUSTOMER_SCOPES,
    find_token,
    issue_pair,
    revoke_grant,
    revoke_token,
)
from accountdesk.sandbox.validation import (
    SPEC_PASSWORD_MIN_LENGTH,
    FieldProblems,
    require_text,
)

router = APIRouter(
    prefix="/customer/{tenant}",
    tags=["Authentication and authorization"],
    responses=ERROR_RESPONSES,
)


# RFC 5321's limit on a forward path, less the angle brackets.
MAX_EMAIL_LENGTH = 254


def invalid_credentials() -> ApiProblem:
    """One answer for a wrong password and an unknown email: no account enumeration."""
    return ApiProblem(401, "invalid_credentials", "Invalid email or password.")


@router.post("/login", operation_id="POST-customer-authenticate-customer")
async def login(principal: AnyPrincipal, body: PasswordAuthenticationIn) -> dict[str, Any]:
    sandbox = principal.sandbox
    with FieldProblems(PasswordAuthenticationIn) as problems:
        require_text(problems, "email", body.email)
        if len(body.email) > MAX_EMAIL_LENGTH:
            # Unknown addresses get a throttle row too: it must not hold arbitrary data.
            problems.invalid(
                "email", f"An email address has at most {MAX_EMAIL_LENGTH} characters."
            )
        if len(body.password) < SPEC_PASSWORD_MIN_LENGTH:
            problems.invalid(
                "password",
                f"The password must be at least {SPEC_PASSWORD_MIN_LENGTH} characters long.",
            )
    email_key = normalise_email(body.email)
    with ExitStack() as reservation:
        with sandbox.db.transaction() as conn:
            require_tenant(conn, principal.tenant)
            reservation.enter_context(
                sandbox.password_checks.reserved(
                    conn,
                    principal.tenant,
                    email_key,
                    sandbox.clock.now(),
                    sandbox.settings.throttle,
                )
            )
            customer = find_by_login_email(conn, principal.tenant, email_key)
        # argon2 runs off the loop, outside any transaction (the reservation keeps the count);
        # unknown emails verify against a dummy hash so both failures take the same time.
        password_ok = await verify_password_off_loop(
            None if customer is None else customer.password_hash, body.password
        )
        with sandbox.db.transaction() as conn:
            if customer is None or not password_ok:
                throttle.record_failure(
                    conn,
                    principal.tenant,
                    email_key,
                    sandbox.clock.now(),
                    sandbox.settings.throttle,
                )
            else:
                throttle.reset(conn, principal.tenant, email_key)
    if customer is None or not password_ok:
        raise invalid_credentials()
    if not customer.active:
        raise ApiProblem(
            403,
            "account_not_activated",
            "The account is not activated yet. Confirm it with the link in the activation email,"
            " or request a new one.",
        )
    with sandbox.db.transaction() as conn:
        pair, saas = start_customer_session(conn, sandbox, customer, principal.token.session_id)
    return customer_token_body(pair, saas, sandbox)


@router.get("/logout", status_code=204, operation_id="GET-customer-logout-customer")
async def logout(
    principal: CustomerPrincipal,
    access_token: Annotated[str, Query(alias="accessToken")],
) -> Response:
    """Invalidate the given customer token and its refresh token (the whole login)."""
    with principal.sandbox.db.transaction() as conn:
        target = find_token(conn, principal.tenant, access_token.strip())
        if (
            target is None
            or target.kind != "customer"
            or target.customer_id != principal.customer_id
        ):
            raise ApiProblem(
                400,
                "bad_request",
                "The accessToken parameter is not a token of this customer.",
                [field_error("accessToken", "invalid_value", "Unknown or foreign access token.")],
            )
        revoke_grant(conn, target.grant_id)
    return Response(status_code=204)


def _bad_refresh_token() -> ApiProblem:
    return ApiProblem(
        401,
        "invalid_refresh_token",
        "The refresh token is invalid, expired or was already used.",
        [field_error("refreshToken", "invalid_value", "Log in again.")],
    )


@router.get("/refreshauthtoken", operation_id="GET-customer-refresh-authtoken")
async def refresh_customer_token(
    principal: AnyPrincipal,
    refresh_token: Annotated[str, Query(alias="refreshToken")],
    legal_entity_id: Annotated[str | None, Query(alias="legalEntityId")] = None,
) -> dict[str, Any]:
    """Rotate: the used refresh token dies, a new access + refresh pair of the same login
    (grant and session id) is issued. Authorised with the anonymous token (a customer token is
    accepted too, see the spec's inconsistency Q3)."""
    sandbox = principal.sandbox
    now = sandbox.clock.now()
    lifetimes = sandbox.settings.lifetimes
    with sandbox.db.transaction() as conn:
        record = find_token(conn, principal.tenant, refresh_token.strip())
        if record is not None and record.kind == "customer_refresh" and record.revoked:
            # A rotated-away refresh token came back: someone holds a copy. Revoke the whole
            # grant (RFC 9700 4.14.2), committed before answering, so the thief's and the
            # customer's newer tokens die alike and the customer logs in again.
            revoke_grant(conn, record.grant_id)
            pair = None
        elif (
            record is None
            or record.kind != "customer_refresh"
            or record.expires_at <= now
            or record.customer_id is None
            or get_customer(conn, principal.tenant, record.customer_id) is None
        ):
            pair = None
        else:
            revoke_token(conn, record)
            pair = issue_pair(
                conn,
                tenant=principal.tenant,
                customer_id=record.customer_id,
                session_id=record.session_id,
                now=now,
                access_lifetime=lifetimes.customer_access,
                refresh_lifetime=lifetimes.customer_refresh,
                grant_id=record.grant_id,
                legal_entity_id=legal_entity_id or record.legal_entity_id,
            )
    if pair is None:
        raise _bad_refresh_token()
    return refresh_body(pair, sandbox)


@router.get("/validateauthtoken", operation_id="GET-customer-validate-token")
async def validate_token(principal: CustomerPrincipal) -> dict[str, Any]:
    with principal.sandbox.db.read() as conn:
        customer = get_customer(conn, principal.tenant, principal.customer_id)
    if customer is None:
        raise TokenFault()
    remaining = max(0, int(principal.token.expires_at - principal.sandbox.clock.now()))
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "expires_in": remaining,
        "scope": f"{CUSTOMER_SCOPES} tenant={principal.tenant}",
        "sessionId": principal.token.session_id,
    }
    email = customer.login_email or customer.social_email
    if email is not None:
        body["email"] = email
    if principal.token.legal_entity_id is not None:
        body["legalEntityId"] = principal.token.legal_entity_id
    return body
