"""Access and refresh tokens: issue, look up, rotate, revoke; plus the saas_token JWT.

A *grant* is one login (password, opt-in, social, exchange): its access and refresh tokens share
a `grant_id`. Refresh rotation keeps the grant; logout and password changes revoke grants.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from typing import Literal

import jwt

from accountdesk.sandbox.secrets_util import random_token, token_hash

TokenKind = Literal["anonymous", "anonymous_refresh", "customer", "customer_refresh"]

ACCESS_TOKEN_LENGTH = 28
REFRESH_TOKEN_LENGTH = 32

# The customer scope set shown in the validateauthtoken example of the spec.
CUSTOMER_SCOPES = (
    "approval.approval_read_own customermanagement.legalentity_read_own customer.customer_read_own"
    " quote.quote_read_own returns.returns_read_own iam.scope_read_own iam.user_read_own"
    " customersegment.segment_read_own iam.group_read_own order.order_readascustomer"
    " coupon.coupon_redeem customer.customerprofile_edit quote.quote_manage_own"
    " returns.returns_manage_own customer.customer_manage_own approval.approval_manage_own"
    " order.order_updateascustomer iam.assignment_delete_own customer.consent_view"
    " customer.customerprofile_view order.history_view iam.assignment_create_own"
    " customer.consent_manage"
)


@dataclass(frozen=True)
class TokenRecord:
    token_hash: str
    tenant: str
    kind: TokenKind
    customer_id: str | None
    session_id: str
    grant_id: str
    legal_entity_id: str | None
    issued_at: float
    expires_at: float
    revoked: bool


@dataclass(frozen=True)
class IssuedPair:
    """Fresh plaintext tokens, returned to the caller once and never stored in clear."""

    access_token: str
    refresh_token: str
    session_id: str
    grant_id: str


def _store(
    conn: sqlite3.Connection,
    *,
    raw: str,
    tenant: str,
    kind: TokenKind,
    customer_id: str | None,
    session_id: str,
    grant_id: str,
    legal_entity_id: str | None,
    now: float,
    lifetime: int,
) -> None:
    conn.execute(
        "INSERT INTO tokens (hash, tenant, kind, customer_id, session_id, grant_id,"
        " legal_entity_id, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            token_hash(raw),
            tenant,
            kind,
            customer_id,
            session_id,
            grant_id,
            legal_entity_id,
            now,
            now + lifetime,
        ),
    )


def issue_pair(
    conn: sqlite3.Connection,
    *,
    tenant: str,
    customer_id: str | None,
    session_id: str,
    now: float,
    access_lifetime: int,
    refresh_lifetime: int,
    grant_id: str | None = None,
    legal_entity_id: str | None = None,
) -> IssuedPair:
    """Issue an access + refresh token; anonymous when `customer_id` is None."""
    grant = grant_id or str(uuid.uuid4())
    access = random_token(ACCESS_TOKEN_LENGTH)
    refresh = random_token(REFRESH_TOKEN_LENGTH)
    anonymous = customer_id is None
    issued: list[tuple[str, TokenKind, int]] = [
        (access, "anonymous" if anonymous else "customer", access_lifetime),
        (refresh, "anonymous_refresh" if anonymous else "customer_refresh", refresh_lifetime),
    ]
    for raw, kind, lifetime in issued:
        _store(
            conn,
            raw=raw,
            tenant=tenant,
            kind=kind,
            customer_id=customer_id,
            session_id=session_id,
            grant_id=grant,
            legal_entity_id=legal_entity_id,
            now=now,
            lifetime=lifetime,
        )
    return IssuedPair(access, refresh, session_id, grant)


def issue_access_only(
    conn: sqlite3.Connection, *, source: TokenRecord, now: float, lifetime: int
) -> str:
    """A new access token in the same grant (the deprecated `anonymous_token` refresh)."""
    access = random_token(ACCESS_TOKEN_LENGTH)
    _store(
        conn,
        raw=access,
        tenant=source.tenant,
        kind=source.kind,
        customer_id=source.customer_id,
        session_id=source.session_id,
        grant_id=source.grant_id,
        legal_entity_id=source.legal_entity_id,
        now=now,
        lifetime=lifetime,
    )
    return access


def find_token(conn: sqlite3.Connection, tenant: str, raw: str) -> TokenRecord | None:
    row = conn.execute(
        "SELECT * FROM tokens WHERE hash = ? AND tenant = ?", (token_hash(raw), tenant)
    ).fetchone()
    if row is None:
        return None
    return TokenRecord(
        token_hash=row["hash"],
        tenant=row["tenant"],
        kind=row["kind"],
        customer_id=row["customer_id"],
        session_id=row["session_id"],
        grant_id=row["grant_id"],
        legal_entity_id=row["legal_entity_id"],
        issued_at=row["issued_at"],
        expires_at=row["expires_at"],
        revoked=bool(row["revoked"]),
    )


def revoke_token(conn: sqlite3.Connection, record: TokenRecord) -> None:
    conn.execute("UPDATE tokens SET revoked = 1 WHERE hash = ?", (record.token_hash,))


def revoke_grant(conn: sqlite3.Connection, grant_id: str) -> None:
    conn.execute("UPDATE tokens SET revoked = 1 WHERE grant_id = ?", (grant_id,))


def revoke_customer_tokens(
    conn: sqlite3.Connection, tenant: str, customer_id: str, *, keep_grant: str | None = None
) -> None:
    """Kill every token of the customer, except those of `keep_grant` (the caller's session)."""
    conn.execute(
        "UPDATE tokens SET revoked = 1 WHERE tenant = ? AND customer_id = ? AND grant_id IS NOT ?",
        (tenant, customer_id, keep_grant),
    )


def delete_customer_tokens(conn: sqlite3.Connection, tenant: str, customer_id: str) -> None:
    conn.execute("DELETE FROM tokens WHERE tenant = ? AND customer_id = ?", (tenant, customer_id))


def saas_token(*, secret: str, customer_number: str, now: float, lifetime: int) -> str:
    """HS256 JWT whose `sub` is the customer number, like the examples in the spec."""
    issued = int(now)
    claims = {
        "sub": customer_number,
        "iat": issued,
        "exp": issued + lifetime,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")
