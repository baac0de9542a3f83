"""Email change, password reset and password change."""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack

from fastapi import APIRouter
from fastapi.responses import Response

from accountdesk.sandbox import outbox, throttle
from accountdesk.sandbox.auth import AnyPrincipal, CustomerPrincipal
from accountdesk.sandbox.context import Sandbox, require_tenant
from accountdesk.sandbox.current_customer import load_customer
from accountdesk.sandbox.customers import (
    CustomerRecord,
    find_by_login_email,
    get_customer,
    normalise_email,
    save_profile,
    update_columns,
)
from accountdesk.sandbox.errors import duplicate_account, invalid_field, invalid_token
from accountdesk.sandbox.mail_tokens import redeem_mail_token, send_mail_token
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.passwords import hash_password_off_loop, verify_password_off_loop
from accountdesk.sandbox.schemas import (
    ChangeEmailIn,
    PasswordChangeIn,
    PasswordResetRequestIn,
    PasswordUpdateIn,
    TokenIn,
)
from accountdesk.sandbox.tokens import revoke_customer_tokens
from accountdesk.sandbox.validation import (
    FieldProblems,
    check_email,
    check_password,
    require_text,
)

router = APIRouter(prefix="/customer/{tenant}", tags=["Credentials"], responses=ERROR_RESPONSES)


async def check_current_password(
    sandbox: Sandbox, customer: CustomerRecord, password: str, field: str
) -> None:
    """Verify the password a logged-in customer re-enters.

    Failures count towards the same per-address lock as /login: a stolen access token must not
    become a way to guess the password without limits.
    """
    if customer.login_email is None:
        raise invalid_field(field, "This account has no email and password login.")
    email = customer.login_email
    with ExitStack() as reservation:
        with sandbox.db.transaction() as conn:
            reservation.enter_context(
                sandbox.password_checks.reserved(
                    conn, customer.tenant, email, sandbox.clock.now(), sandbox.settings.throttle
                )
            )
        if await verify_password_off_loop(customer.password_hash, password):
            return
        with sandbox.db.transaction() as conn:
            throttle.record_failure(
                conn, customer.tenant, email, sandbox.clock.now(), sandbox.settings.throttle
            )
    raise invalid_field(field, "The password is not correct.")


def replace_password(
    conn: sqlite3.Connection,
    customer: CustomerRecord,
    password_hash: str,
    *,
    now: float,
    keep_grant: str | None = None,
) -> None:
    """Store the new password, end every session but `keep_grant`'s and notify the customer."""
    assert customer.login_email is not None  # only login accounts have a password to replace
    update_columns(conn, customer, password_hash=password_hash)
    revoke_customer_tokens(conn, customer.tenant, customer.id, keep_grant=keep_grant)
    mail = outbox.PASSWORD_CHANGED.compose(customer.login_email)
    outbox.send(conn, tenant=customer.tenant, mail=mail, now=now)


@router.post(
    "/me/accounts/internal/email/change",
    status_code=204,
    operation_id="POST-customer-change-customer-login-email",
)
async def request_email_change(principal: CustomerPrincipal, body: ChangeEmailIn) -> Response:
    """Check the current email and password, then mail a token to the NEW address."""
    sandbox = principal.sandbox
    with FieldProblems(ChangeEmailIn) as problems:
        current = require_text(problems, "email", body.email)
        password = require_text(problems, "password", body.password)
        new_email = require_text(problems, "newEmail", body.new_email)
        if new_email:
            new_email = check_email(problems, "newEmail", new_email)
    with sandbox.db.transaction() as conn:
        customer = load_customer(conn, principal)
    if customer.login_email is None:
        raise invalid_field("email", "This account has no email and password login.")
    if normalise_email(current) != customer.login_email:
        raise invalid_field("email", "This is not the email address you log in with.")
    await check_current_password(sandbox, customer, password, "password")
    if new_email == customer.login_email:
        raise invalid_field("newEmail", "The new email address is the current one.")
    now = sandbox.clock.now()
    with sandbox.db.transaction() as conn:
        if find_by_login_email(conn, principal.tenant, new_email) is not None:
            raise duplicate_account(new_email, principal.tenant)
        send_mail_token(
            conn,
            tenant=principal.tenant,
            purpose="email-change",
            customer_id=customer.id,
            to=new_email,
            now=now,
            lifetime=sandbox.settings.lifetimes.emailed_token,
            payload={"newEmail": new_email, "syncContactEmail": body.sync_contact_email},
            supersede=True,
        )
    return Response(status_code=204)


@router.post(
    "/me/accounts/internal/email/change/confirm",
    status_code=204,
    operation_id="POST-customer-confirm-customer-login-email",
)
async def confirm_email_change(principal: AnyPrincipal, body: TokenIn) -> Response:
    """Switch the login email; with `syncContactEmail` the contact email follows. The old
    address gets a notice. Sessions stay valid: the password did not change."""
    with FieldProblems(TokenIn) as problems:
        token = require_text(problems, "token", body.token).strip()
    now = principal.sandbox.clock.now()
    with principal.sandbox.db.transaction() as conn:
        customer, used = redeem_mail_token(
            conn, tenant=principal.tenant, purpose="email-change", raw=token, now=now
        )
        if customer.login_email is None:
            raise invalid_token()
        new_email = str(used.payload["newEmail"])
        if find_by_login_email(conn, principal.tenant, new_email) is not None:
            raise duplicate_account(new_email, principal.tenant)
        old_email = customer.login_email
        update_columns(conn, customer, login_email=new_email)
        if used.payload.get("syncContactEmail"):
            refreshed = get_customer(conn, principal.tenant, customer.id)
            assert refreshed is not None
            save_profile(conn, refreshed, {**refreshed.profile, "contactEmail": new_email})
        throttle.reset(conn, principal.tenant, old_email)
        mail = outbox.EMAIL_CHANGED.compose(old_email, new_email=new_email)
        outbox.send(conn, tenant=principal.tenant, mail=mail, now=now)
    return Response(status_code=204)


@router.post(
    "/password/reset", status_code=204, operation_id="POST-customer-request-reset-password"
)
async def request_password_reset(principal: AnyPrincipal, body: PasswordResetRequestIn) -> Response:
    """204 whether or not the address has an account, so the answer reveals nothing."""
    sandbox = principal.sandbox
    now = sandbox.clock.now()
    with sandbox.db.transaction() as conn:
        customer = find_by_login_email(conn, principal.tenant, body.email)
        if customer is not None and customer.login_email is not None:
            send_mail_token(
                conn,
                tenant=principal.tenant,
                purpose="password-reset",
                customer_id=customer.id,
                to=customer.login_email,
                now=now,
                lifetime=sandbox.settings.lifetimes.emailed_token,
                supersede=True,
            )
    return Response(status_code=204)


@router.post("/password/reset/update", status_code=204, operation_id="POST-customer-reset-password")
async def reset_password(principal: AnyPrincipal, body: PasswordUpdateIn) -> Response:
    """Set a new password with the emailed token: every token of the customer dies and the
    login lock of the address is lifted."""
    sandbox = principal.sandbox
    with sandbox.db.transaction() as conn:
        tenant = require_tenant(conn, principal.tenant)
    with FieldProblems(PasswordUpdateIn) as problems:
        token = require_text(problems, "token", body.token).strip()
        check_password(problems, "password", body.password, tenant)
    password_hash = await hash_password_off_loop(body.password)
    now = sandbox.clock.now()
    with sandbox.db.transaction() as conn:
        customer, _ = redeem_mail_token(
            conn, tenant=principal.tenant, purpose="password-reset", raw=token, now=now
        )
        if customer.login_email is None:
            raise invalid_token()
        replace_password(conn, customer, password_hash, now=now)
        throttle.reset(conn, principal.tenant, customer.login_email)
    return Response(status_code=204)


@router.post(
    "/password/change", status_code=204, operation_id="POST-customer-change-account-password"
)
async def change_password(principal: CustomerPrincipal, body: PasswordChangeIn) -> Response:
    """Needs the current password; the caller's session survives, every other one dies."""
    sandbox = principal.sandbox
    with sandbox.db.transaction() as conn:
        tenant = require_tenant(conn, principal.tenant)
        customer = load_customer(conn, principal)
    with FieldProblems(PasswordChangeIn) as problems:
        require_text(problems, "currentPassword", body.current_password)
        check_password(problems, "newPassword", body.new_password, tenant)
    await check_current_password(sandbox, customer, body.current_password, "currentPassword")
    password_hash = await hash_password_off_loop(body.new_password)
    now = sandbox.clock.now()
    with sandbox.db.transaction() as conn:
        replace_password(
            conn, customer, password_hash, now=now, keep_grant=principal.token.grant_id
        )
    return Response(status_code=204)
