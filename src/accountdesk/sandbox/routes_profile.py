"""The customer's own profile: read, update (JSON and merge-patch), delete, assign account."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from accountdesk.sandbox import outbox
from accountdesk.sandbox.auth import ANY_TOKEN, CustomerPrincipal
from accountdesk.sandbox.body_limits import check_stored
from accountdesk.sandbox.context import require_tenant, sandbox_of
from accountdesk.sandbox.current_customer import customer_body, load_customer
from accountdesk.sandbox.customers import (
    ANONYMOUS_PROFILE,
    delete_customer,
    find_by_login_email,
    save_profile,
    update_columns,
)
from accountdesk.sandbox.errors import conflict, duplicate_account, invalid_field
from accountdesk.sandbox.inputs import check_b2b_rule, profile_changes
from accountdesk.sandbox.mail_tokens import consume_mail_token, send_mail_token
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.passwords import hash_password_off_loop
from accountdesk.sandbox.schemas import CustomerDetailsIn, PasswordAuthenticationIn
from accountdesk.sandbox.tokens import delete_customer_tokens
from accountdesk.sandbox.validation import FieldProblems, check_email, check_password

router = APIRouter(
    prefix="/customer/{tenant}/me", tags=["Account and profile"], responses=ERROR_RESPONSES
)

_EXPANDABLE = {"addresses"}


def stale_version() -> Exception:
    return conflict(
        "The resource was changed in the meantime (metadata.version is stale). Reload and retry."
    )


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge recursively, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _parse_expand(expand: str | None) -> bool:
    """`expand=addresses,mixin:*`; mixin expansion is accepted and has nothing to add."""
    if expand is None:
        return False
    wanted = {part.strip() for part in expand.split(",") if part.strip()}
    unknown = {part for part in wanted if part not in _EXPANDABLE and not part.startswith("mixin:")}
    if unknown:
        raise invalid_field("expand", "Only `addresses` and `mixin:*` can be expanded.")
    return "addresses" in wanted


# What FastAPI documents for `expand: Annotated[str | None, Query()] = None`.
_EXPAND_DOCS = {
    "name": "expand",
    "in": "query",
    "required": False,
    "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Expand"},
}


@router.get(
    "",
    operation_id="GET-customer-retrieve-customer-profile",
    # The most frequent call checks its token and reads `expand` itself, in one read: as a
    # dependency and a declared parameter they cost FastAPI more per request than the token
    # and customer queries together (README, "Performance"). Documented as FastAPI would.
    openapi_extra={**ANY_TOKEN.operation_docs(), "parameters": [_EXPAND_DOCS]},
)
async def get_me(request: Request) -> dict[str, Any]:
    """The customer's profile; with an anonymous token, the spec's anonymous placeholder."""
    sandbox = sandbox_of(request)
    with sandbox.db.read() as conn:
        principal = ANY_TOKEN.authenticate(conn, request, sandbox)
        expand_addresses = _parse_expand(request.query_params.get("expand"))
        if not principal.is_customer:
            return dict(ANONYMOUS_PROFILE)
        customer = load_customer(conn, principal)
        return customer_body(conn, customer, expand_addresses=expand_addresses)


@router.patch("", operation_id="PATCH-customer-update-customer")
async def patch_me(
    principal: CustomerPrincipal,
    request: Request,
    body: CustomerDetailsIn,
) -> dict[str, Any]:
    """Partial update. `application/json`: present non-null fields replace, nulls are ignored.
    `application/merge-patch+json`: RFC 7396 (null clears, objects merge). `contactEmail` can
    never be cleared. A sent `metadata.version` must match (409 otherwise); every write +1."""
    merge = (
        request.headers.get("content-type", "").lower().startswith("application/merge-patch+json")
    )
    with FieldProblems(CustomerDetailsIn) as problems:
        changes = profile_changes(problems, body, "")
    with principal.sandbox.db.transaction() as conn:
        customer = load_customer(conn, principal)
        expected = None if body.metadata is None else body.metadata.version
        if expected is not None and expected != customer.version:
            raise stale_version()
        profile = dict(customer.profile)
        # Rules about the merged profile: they depend on what is stored, so they come second.
        with FieldProblems(CustomerDetailsIn) as problems:
            for name, value in changes.items():
                if value is None:
                    if not merge:
                        continue
                    if name == "contactEmail" and profile.get("contactEmail"):
                        problems.invalid("contactEmail", "The contact email cannot be removed.")
                    profile.pop(name, None)
                elif merge and name in {"mixins", "b2b"}:
                    profile[name] = merge_patch(profile.get(name), value)
                else:
                    profile[name] = value
            check_b2b_rule(problems, profile, "")
        check_stored(profile, "profile")
        version = save_profile(conn, customer, profile)
        # What was read and written in this transaction is the stored state: no second read.
        updated = replace(customer, profile=profile, version=version)
        return customer_body(conn, updated, expand_addresses=False)


@router.delete(
    "",
    status_code=204,
    operation_id="DELETE-customer-remove-customer-profile",
    responses={202: {"description": "Deletion confirmation mailed"}},
)
async def delete_me(
    principal: CustomerPrincipal,
    token: Annotated[str | None, Query()] = None,
) -> Response:
    """Without `token`: 202 and a confirmation token is mailed. With it: 204, and the customer,
    their addresses and all their tokens are gone."""
    now = principal.sandbox.clock.now()
    with principal.sandbox.db.transaction() as conn:
        customer = load_customer(conn, principal)
        recipient = customer.login_email or customer.social_email or ""
        if token is None or not token.strip():
            send_mail_token(
                conn,
                tenant=principal.tenant,
                purpose="deletion",
                customer_id=customer.id,
                to=recipient,
                now=now,
                lifetime=principal.sandbox.settings.lifetimes.emailed_token,
                supersede=True,
            )
            return Response(status_code=202)
        consume_mail_token(
            conn,
            tenant=principal.tenant,
            purpose="deletion",
            raw=token.strip(),
            now=now,
            customer_id=customer.id,
        )
        delete_customer(conn, customer)
        delete_customer_tokens(conn, principal.tenant, customer.id)
        outbox.send(conn, tenant=principal.tenant, mail=outbox.DELETED.compose(recipient), now=now)
    return Response(status_code=204)


@router.post(
    "/accounts/internal",
    status_code=201,
    operation_id="POST-customer-assign-customer-account",
)
async def assign_account(
    principal: CustomerPrincipal, body: PasswordAuthenticationIn
) -> dict[str, str]:
    """Add an email + password login to a profile that has none (a social-login profile)."""
    with principal.sandbox.db.transaction() as conn:
        tenant = require_tenant(conn, principal.tenant)
    with FieldProblems(PasswordAuthenticationIn) as problems:
        email = check_email(problems, "email", body.email)
        check_password(problems, "password", body.password, tenant)
    password_hash = await hash_password_off_loop(body.password)
    with principal.sandbox.db.transaction() as conn:
        customer = load_customer(conn, principal)
        if customer.login_email is not None:
            raise conflict("The customer already has an email and password account.")
        if find_by_login_email(conn, principal.tenant, email) is not None:
            raise duplicate_account(email, principal.tenant)
        update_columns(conn, customer, login_email=email, password_hash=password_hash)
    return {"id": customer.id}
