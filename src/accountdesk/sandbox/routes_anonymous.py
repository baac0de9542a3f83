"""`/customerlogin/auth/anonymous/*`: anonymous tokens for a storefront client."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from accountdesk.sandbox.context import SandboxDep, require_tenant
from accountdesk.sandbox.errors import ApiProblem, field_error
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.sessions import anonymous_body
from accountdesk.sandbox.tokens import TokenRecord, find_token, issue_access_only, issue_pair

router = APIRouter(
    prefix="/customerlogin/auth/anonymous",
    tags=["Authentication and authorization"],
    responses=ERROR_RESPONSES,
)


def _require_client(conn: sqlite3.Connection, tenant: str, client_id: str) -> None:
    if require_tenant(conn, tenant).client_id != client_id:
        raise ApiProblem(
            401,
            "invalid_client",
            "The client_id is not a storefront client of this tenant.",
            [field_error("client_id", "invalid_value", "Unknown client id for this tenant.")],
        )


def _bad_refresh() -> ApiProblem:
    return ApiProblem(
        401, "invalid_refresh_token", "The refresh token is invalid, expired or revoked."
    )


@router.get("/login", operation_id="GET-oauth-generate-anonymous-access-token")
async def anonymous_login(
    sandbox: SandboxDep,
    tenant: Annotated[str, Query()],
    client_id: Annotated[str, Query()],
    currency: Annotated[str | None, Query()] = None,
    site_code: Annotated[str | None, Query(alias="siteCode")] = None,
    language: Annotated[str | None, Query()] = None,
    target_location: Annotated[str | None, Query(alias="targetLocation")] = None,
) -> dict[str, Any]:
    """A new anonymous token and a new session. Session-context values are accepted and kept
    nowhere: no other service of Emporix is emulated."""
    del currency, site_code, language, target_location
    lifetimes = sandbox.settings.lifetimes
    with sandbox.db.transaction() as conn:
        _require_client(conn, tenant, client_id)
        pair = issue_pair(
            conn,
            tenant=tenant,
            customer_id=None,
            session_id=str(uuid.uuid4()),
            now=sandbox.clock.now(),
            access_lifetime=lifetimes.anonymous_access,
            refresh_lifetime=lifetimes.anonymous_refresh,
        )
    return anonymous_body(sandbox, tenant, pair.access_token, pair.refresh_token, pair.session_id)


@router.get("/refresh", operation_id="GET-oauth-refresh-anonymous-access-token")
async def anonymous_refresh(
    sandbox: SandboxDep,
    tenant: Annotated[str, Query()],
    client_id: Annotated[str, Query()],
    refresh_token: Annotated[str | None, Query()] = None,
    anonymous_token: Annotated[
        str | None, Query(deprecated=True, description="Use refresh_token instead.")
    ] = None,
) -> dict[str, Any]:
    """A new anonymous token with the same session id.

    With `refresh_token` a new refresh token is issued too (the old one keeps working until it
    expires; anonymous sessions hold nothing worth protecting by rotation). With the deprecated
    `anonymous_token` the answer carries no refresh token, as in the spec's example.
    """
    lifetimes = sandbox.settings.lifetimes
    now = sandbox.clock.now()
    with sandbox.db.transaction() as conn:
        _require_client(conn, tenant, client_id)
        # Sent but empty is a wrong token (401), as at `refreshauthtoken`, not a missing one.
        if refresh_token is not None:
            record = _live_token(conn, tenant, refresh_token, "anonymous_refresh", now)
            pair = issue_pair(
                conn,
                tenant=tenant,
                customer_id=None,
                session_id=record.session_id,
                now=now,
                access_lifetime=lifetimes.anonymous_access,
                refresh_lifetime=lifetimes.anonymous_refresh,
                grant_id=record.grant_id,
            )
            return anonymous_body(
                sandbox, tenant, pair.access_token, pair.refresh_token, pair.session_id
            )
        if anonymous_token is not None:
            record = _live_token(conn, tenant, anonymous_token, "anonymous", now)
            access = issue_access_only(
                conn, source=record, now=now, lifetime=lifetimes.anonymous_access
            )
            return anonymous_body(sandbox, tenant, access, None, record.session_id)
    raise ApiProblem(
        400,
        "bad_request",
        "The request is missing required data.",
        [field_error("refresh_token", "missing_value", "This field is required.")],
    )


def _live_token(
    conn: sqlite3.Connection, tenant: str, raw: str, kind: str, now: float
) -> TokenRecord:
    """The token ``raw`` if it is a ``kind`` token that is neither revoked nor expired."""
    record = find_token(conn, tenant, raw)
    if record is None or record.kind != kind or record.revoked or record.expires_at <= now:
        raise _bad_refresh()
    return record
