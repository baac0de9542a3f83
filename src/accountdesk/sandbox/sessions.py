"""Starting customer sessions and the token response bodies of the spec.

Customer token bodies carry both the snake_case fields and their deprecated camelCase twins
(`accessToken`, `expiresIn`, ...): the spec still lists both and storefronts read either.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from accountdesk.sandbox.context import Sandbox
from accountdesk.sandbox.customers import CustomerRecord, update_columns
from accountdesk.sandbox.tokens import IssuedPair, issue_pair, saas_token


def refresh_body(pair: IssuedPair, sandbox: Sandbox) -> dict[str, Any]:
    """`RefreshCustomerToken`."""
    lifetimes = sandbox.settings.lifetimes
    return {
        "access_token": pair.access_token,
        "expires_in": lifetimes.customer_access,
        "refresh_token": pair.refresh_token,
        "refresh_token_expires_in": lifetimes.customer_refresh,
        "token_type": "Bearer",
        "session_id": pair.session_id,
        "accessToken": pair.access_token,
        "expiresIn": lifetimes.customer_access,
        "refreshToken": pair.refresh_token,
        "refreshTokenExpiresIn": lifetimes.customer_refresh,
    }


def anonymous_body(
    sandbox: Sandbox, tenant: str, access: str, refresh: str | None, session_id: str
) -> dict[str, Any]:
    """`AnonymousAccessToken`, with the refresh fields the examples show."""
    lifetimes = sandbox.settings.lifetimes
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "access_token": access,
        "expires_in": lifetimes.anonymous_access,
    }
    if refresh is not None:
        body["refresh_token"] = refresh
        body["refresh_token_expires_in"] = lifetimes.anonymous_refresh
    body["sessionId"] = session_id
    body["scope"] = f"tenant={tenant}"
    return body


def start_customer_session(
    conn: sqlite3.Connection, sandbox: Sandbox, customer: CustomerRecord, session_id: str
) -> tuple[IssuedPair, str]:
    """Issue a customer grant and its saas_token; records the login time."""
    now = sandbox.clock.now()
    lifetimes = sandbox.settings.lifetimes
    pair = issue_pair(
        conn,
        tenant=customer.tenant,
        customer_id=customer.id,
        session_id=session_id,
        now=now,
        access_lifetime=lifetimes.customer_access,
        refresh_lifetime=lifetimes.customer_refresh,
    )
    update_columns(conn, customer, last_login=now)
    saas = saas_token(
        secret=sandbox.saas_secret,
        customer_number=customer.id,
        now=now,
        lifetime=lifetimes.customer_access,
    )
    return pair, saas


def customer_token_body(pair: IssuedPair, saas: str, sandbox: Sandbox) -> dict[str, Any]:
    """`CustomerToken`: the refresh body plus the saas token and `initialPassword`.

    `initialPassword` is typed string in the spec (its example is a boolean); the string keeps
    responses valid against the schema. Sandbox passwords are never set by employees.
    """
    body = refresh_body(pair, sandbox)
    body["saas_token"] = saas
    body["saasToken"] = saas
    body["initialPassword"] = "false"
    return body
