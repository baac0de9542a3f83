"""The built-in fake identity provider behind socialLogin and exchangeauthtoken.

Real storefronts get an authorization code from Auth0 (social login) or a subject JWT from
their own IdP (token exchange). Locally, `/_sandbox/social/authorize` hands out codes and
`/_sandbox/social/subject-token` hands out subject tokens for any email: the sandbox trusts its
own IdP, so the email counts as verified.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from accountdesk.sandbox.customers import (
    CustomerRecord,
    delete_customer,
    find_by_login_email,
    find_by_provider,
    get_customer,
    insert_customer,
    update_columns,
)
from accountdesk.sandbox.errors import ApiProblem, field_error
from accountdesk.sandbox.secrets_util import random_token, token_hash
from accountdesk.sandbox.tenants import next_customer_number
from accountdesk.sandbox.tokens import delete_customer_tokens

ISSUER = "accountdesk-sandbox-idp"
CODE_LENGTH = 40


@dataclass(frozen=True)
class Identity:
    email: str
    name: str | None


def provider_id(tenant: str, email: str) -> str:
    """Stable per tenant and email, like an IdP's user id (`auth0|...`)."""
    digest = hashlib.sha256(f"{tenant}:{email}".encode()).hexdigest()[:24]
    return f"sandbox-idp|{digest}"


def issue_code(
    conn: sqlite3.Connection,
    *,
    tenant: str,
    email: str,
    name: str | None,
    redirect_uri: str,
    code_challenge: str | None,
    now: float,
    lifetime: int,
) -> str:
    code = random_token(CODE_LENGTH)
    conn.execute(
        "INSERT INTO social_codes (hash, tenant, email, name, redirect_uri, code_challenge,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash(code), tenant, email, name, redirect_uri, code_challenge, now + lifetime),
    )
    return code


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("utf-8", "surrogatepass")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _grant_error(field: str, message: str) -> ApiProblem:
    return ApiProblem(400, "invalid_grant", message, [field_error(field, "invalid_value", message)])


def redeem_code(
    conn: sqlite3.Connection,
    *,
    tenant: str,
    code: str,
    redirect_uri: str,
    code_verifier: str | None,
    now: float,
) -> Identity:
    """Single use; the redirect URI must match and a PKCE challenge must be answered."""
    row = conn.execute(
        "SELECT * FROM social_codes WHERE hash = ? AND tenant = ?", (token_hash(code), tenant)
    ).fetchone()
    if row is None or row["used"] or row["expires_at"] <= now:
        raise _grant_error("code", "The authorization code is invalid, expired or already used.")
    conn.execute("UPDATE social_codes SET used = 1 WHERE hash = ?", (row["hash"],))
    if row["redirect_uri"] != redirect_uri:
        raise _grant_error("redirect_uri", "redirect_uri differs from the authorization request.")
    challenge = row["code_challenge"]
    if challenge is not None and (
        code_verifier is None or not hmac.compare_digest(s256(code_verifier), challenge)
    ):
        raise _grant_error("code_verifier", "The PKCE code_verifier does not match.")
    return Identity(email=row["email"], name=row["name"])


def subject_token(
    *, secret: str, tenant: str, identity: Identity, now: float, lifetime: int
) -> str:
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": tenant,
        "sub": provider_id(tenant, identity.email),
        "email": identity.email,
        "email_verified": True,
        "iat": int(now),
        "exp": int(now) + lifetime,
        "jti": str(uuid.uuid4()),
    }
    if identity.name:
        claims["name"] = identity.name
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_subject_token(*, secret: str, tenant: str, token: str, now: float) -> Identity:
    """Signature, issuer and audience via PyJWT; expiry against the sandbox clock."""
    problem = ApiProblem(
        401,
        "invalid_subject_token",
        "The subject access token is not valid for this tenant.",
        [field_error("subjectAccessToken", "invalid_value", "Invalid or expired token.")],
    )
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=tenant,
            issuer=ISSUER,
            # Time claims are checked against the sandbox clock below, not the real one.
            options={
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "require": ["exp", "email"],
            },
        )
    except jwt.PyJWTError:
        raise problem from None
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= now:
        raise problem
    email = claims.get("email")
    if not isinstance(email, str):
        raise problem
    name = claims.get("name")
    return Identity(email=email, name=name if isinstance(name, str) else None)


def federated_customer(
    conn: sqlite3.Connection, *, tenant: str, identity: Identity, now: float
) -> CustomerRecord:
    """The customer linked to this identity: found by provider id, else by login email (and
    then linked: the IdP vouches for the address), else created.

    Only an *activated* account is linked by email. An unconfirmed sign-up proves nothing about
    who chose its password: an attacker can sign up the victim's address first and wait. Linking
    it would activate the account with the attacker's password (account pre-hijacking), so the
    unconfirmed sign-up is discarded, with what it stored, and the identity gets a new account.
    """
    external_id = provider_id(tenant, identity.email)
    existing = find_by_provider(conn, tenant, external_id)
    if existing is not None:
        return existing
    by_email = find_by_login_email(conn, tenant, identity.email)
    if by_email is not None and not by_email.active:
        delete_customer(conn, by_email)
        delete_customer_tokens(conn, tenant, by_email.id)
        by_email = None
    if by_email is not None:
        update_columns(conn, by_email, provider_id=external_id, social_email=identity.email)
        linked = get_customer(conn, tenant, by_email.id)
        assert linked is not None
        return linked
    customer_id = next_customer_number(conn, tenant)
    profile: dict[str, Any] = {"contactEmail": identity.email}
    if identity.name:
        first, _, last = identity.name.partition(" ")
        profile["firstName"] = first
        if last:
            profile["lastName"] = last
    insert_customer(
        conn,
        tenant=tenant,
        customer_id=customer_id,
        login_email=None,
        password_hash=None,
        active=True,
        profile=profile,
        now=now,
        provider_id=external_id,
        social_email=identity.email,
    )
    created = get_customer(conn, tenant, customer_id)
    assert created is not None
    return created
