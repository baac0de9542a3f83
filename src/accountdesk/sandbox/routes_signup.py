"""Signup and double opt-in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from accountdesk.sandbox.addresses import add_address
from accountdesk.sandbox.auth import AnyPrincipal
from accountdesk.sandbox.context import require_tenant
from accountdesk.sandbox.customers import (
    find_by_login_email,
    insert_customer,
    normalise_email,
    update_columns,
)
from accountdesk.sandbox.errors import duplicate_account
from accountdesk.sandbox.inputs import check_b2b_rule, new_address_data, profile_changes
from accountdesk.sandbox.mail_tokens import redeem_mail_token, send_mail_token
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.passwords import hash_password_off_loop
from accountdesk.sandbox.schemas import EmailIn, SignupIn
from accountdesk.sandbox.sessions import customer_token_body, start_customer_session
from accountdesk.sandbox.tenants import next_customer_number
from accountdesk.sandbox.validation import (
    SPEC_PASSWORD_MIN_LENGTH,
    FieldProblems,
    check_email,
    check_password,
)

router = APIRouter(
    prefix="/customer/{tenant}",
    tags=["Authentication and authorization"],
    responses=ERROR_RESPONSES,
)


@router.post("/signup", status_code=201, operation_id="POST-customer-create-customer-account")
async def signup(principal: AnyPrincipal, body: SignupIn) -> dict[str, str]:
    """Create an account. With double opt-in on, it stays inactive until the emailed token is
    confirmed; the token goes to the login email."""
    sandbox = principal.sandbox
    with sandbox.db.transaction() as conn:
        tenant = require_tenant(conn, principal.tenant)
    with FieldProblems(SignupIn) as problems:
        contact_email = check_email(problems, "email", body.email)
        check_password(problems, "password", body.password, tenant)
        login_email, login_password = contact_email, body.password
        if body.signup is not None:
            login_email = check_email(problems, "signup.email", body.signup.email)
            check_password(
                problems,
                "signup.password",
                body.signup.password,
                tenant,
                at_least=SPEC_PASSWORD_MIN_LENGTH,
            )
            login_password = body.signup.password
        profile: dict[str, Any] = {"contactEmail": contact_email}
        if body.customer_details is not None:
            details = profile_changes(problems, body.customer_details, "customerDetails.")
            given_contact = details.get("contactEmail")
            if (
                given_contact is not None
                and "email" not in problems
                and normalise_email(given_contact) != contact_email
            ):
                problems.invalid(
                    "customerDetails.contactEmail",
                    "The contact email must be the same as `email`.",
                )
            profile.update({name: value for name, value in details.items() if value is not None})
            check_b2b_rule(problems, profile, "customerDetails.")
        address = (
            None
            if body.customer_address is None
            else new_address_data(problems, body.customer_address, "customerAddress.")
        )
    password_hash = await hash_password_off_loop(login_password)
    now = sandbox.clock.now()
    with sandbox.db.transaction() as conn:
        if find_by_login_email(conn, tenant.name, login_email) is not None:
            raise duplicate_account(login_email, tenant.name)
        customer_id = next_customer_number(conn, tenant.name)
        insert_customer(
            conn,
            tenant=tenant.name,
            customer_id=customer_id,
            login_email=login_email,
            password_hash=password_hash,
            active=not tenant.double_opt_in,
            profile=profile,
            now=now,
        )
        if address is not None:
            add_address(conn, tenant.name, customer_id, address)
        if tenant.double_opt_in:
            send_mail_token(
                conn,
                tenant=tenant.name,
                purpose="opt-in",
                customer_id=customer_id,
                to=login_email,
                now=now,
                lifetime=sandbox.settings.lifetimes.emailed_token,
            )
    return {"id": customer_id}


# `:path` lets a token with an encoded slash (`%2F`, decoded before routing) reach the token
# check and get 400 invalid_token instead of a 404. POST .../optin/refresh_token still routes to
# its own handler: a route with the wrong method only matches partially.
@router.get(
    "/signup/optin/{token:path}",
    operation_id="GET-customer-signup-customer-optin",
    tags=["Double opt-in"],
)
async def confirm_opt_in(principal: AnyPrincipal, token: Annotated[str, Path()]) -> dict[str, Any]:
    """Activate the account and log the customer in (same session as the caller's token)."""
    sandbox = principal.sandbox
    with sandbox.db.transaction() as conn:
        customer, _ = redeem_mail_token(
            conn, tenant=principal.tenant, purpose="opt-in", raw=token, now=sandbox.clock.now()
        )
        update_columns(conn, customer, active=1)
        pair, saas = start_customer_session(conn, sandbox, customer, principal.token.session_id)
    return customer_token_body(pair, saas, sandbox)


@router.post(
    "/signup/optin/refresh_token",
    status_code=202,
    operation_id="POST-customer-refresh-token",
    tags=["Double opt-in"],
)
async def resend_opt_in(principal: AnyPrincipal, body: EmailIn) -> Response:
    """Mail a fresh activation token; earlier ones stop working. Always 202, so the answer does
    not reveal whether the address has an account."""
    sandbox = principal.sandbox
    now = sandbox.clock.now()
    with sandbox.db.transaction() as conn:
        customer = find_by_login_email(conn, principal.tenant, body.email)
        if customer is not None and not customer.active and customer.login_email is not None:
            send_mail_token(
                conn,
                tenant=principal.tenant,
                purpose="opt-in",
                customer_id=customer.id,
                to=customer.login_email,
                now=now,
                lifetime=sandbox.settings.lifetimes.emailed_token,
                supersede=True,
            )
    return Response(status_code=202)
