"""Single-use, expiring tokens that the sandbox "emails": opt-in, reset, email change, deletion."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Literal

from accountdesk.sandbox import outbox
from accountdesk.sandbox.customers import CustomerRecord, get_customer
from accountdesk.sandbox.errors import invalid_token
from accountdesk.sandbox.secrets_util import random_token, token_hash

Purpose = Literal["opt-in", "password-reset", "email-change", "deletion"]

# 64 characters, the format of the reset and email-change examples in the spec.
MAIL_TOKEN_LENGTH = 64

_MAIL_OF_PURPOSE: dict[Purpose, outbox.MailTemplate] = {
    "opt-in": outbox.OPT_IN,
    "password-reset": outbox.PASSWORD_RESET,
    "email-change": outbox.EMAIL_CHANGE_REQUEST,
    "deletion": outbox.DELETION_REQUEST,
}


@dataclass(frozen=True)
class MailToken:
    customer_id: str
    payload: dict[str, Any]


def send_mail_token(
    conn: sqlite3.Connection,
    *,
    tenant: str,
    purpose: Purpose,
    customer_id: str,
    to: str,
    now: float,
    lifetime: int,
    payload: dict[str, Any] | None = None,
    supersede: bool = False,
) -> None:
    """Create a token and mail it to `to` in the mail of its purpose; with `supersede`, earlier
    unused tokens of that purpose stop working."""
    if supersede:
        conn.execute(
            "UPDATE mail_tokens SET used = 1 WHERE tenant = ? AND purpose = ? AND customer_id = ?",
            (tenant, purpose, customer_id),
        )
    raw = random_token(MAIL_TOKEN_LENGTH)
    conn.execute(
        "INSERT INTO mail_tokens (hash, tenant, purpose, customer_id, payload, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (token_hash(raw), tenant, purpose, customer_id, json.dumps(payload or {}), now + lifetime),
    )
    mail = _MAIL_OF_PURPOSE[purpose].compose(to, token=raw)
    outbox.send(conn, tenant=tenant, mail=mail, now=now)


def consume_mail_token(
    conn: sqlite3.Connection,
    *,
    tenant: str,
    purpose: Purpose,
    raw: str,
    now: float,
    customer_id: str | None = None,
) -> MailToken:
    """Use a token up, or raise 400 `invalid_token` when it is unknown, used or expired.

    With `customer_id`, a token of another customer counts as unknown and stays unused.
    """
    row = conn.execute(
        "SELECT * FROM mail_tokens WHERE hash = ? AND tenant = ? AND purpose = ?",
        (token_hash(raw), tenant, purpose),
    ).fetchone()
    if row is None or row["used"] or customer_id not in (None, row["customer_id"]):
        raise invalid_token()
    if row["expires_at"] <= now:
        raise invalid_token("The token has expired. Request a new one.")
    conn.execute("UPDATE mail_tokens SET used = 1 WHERE hash = ?", (row["hash"],))
    return MailToken(customer_id=row["customer_id"], payload=json.loads(row["payload"]))


def redeem_mail_token(
    conn: sqlite3.Connection, *, tenant: str, purpose: Purpose, raw: str, now: float
) -> tuple[CustomerRecord, MailToken]:
    """Use a token up and return its customer; a customer deleted since counts as a bad token."""
    used = consume_mail_token(conn, tenant=tenant, purpose=purpose, raw=raw, now=now)
    customer = get_customer(conn, tenant, used.customer_id)
    if customer is None:
        raise invalid_token()
    return customer, used
