"""The sandbox's mailbox: every email the emulator would send, readable over HTTP.

Event names are the Emporix webhook event names, so a test can wait for exactly the mail a real
tenant would trigger.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from accountdesk.sandbox.clock import to_iso


@dataclass(frozen=True)
class Mail:
    event: str
    to: str
    subject: str
    body: str
    token: str | None = None


def opt_in_mail(to: str, token: str) -> Mail:
    return Mail(
        "customer.opt-in",
        to,
        "Activate your account",
        "Welcome! Confirm your email address to activate your account."
        f"\n\nActivation token: {token}\n\nThe token is valid for 24 hours and works once.",
        token,
    )


def password_reset_mail(to: str, token: str) -> Mail:
    return Mail(
        "customer.password-reset",
        to,
        "Reset your password",
        "Someone asked to reset the password of your account. If it was you, use this token to"
        f" choose a new password:\n\n{token}\n\nIf it was not you, ignore this email.",
        token,
    )


def email_change_request_mail(to: str, token: str) -> Mail:
    return Mail(
        "customer.email-change-request",
        to,
        "Confirm your new email address",
        "Confirm that this is your new login email address with this token:"
        f"\n\n{token}\n\nThe token is valid for 24 hours and works once.",
        token,
    )


def email_changed_mail(to: str, new_email: str) -> Mail:
    return Mail(
        "customer.email-change",
        to,
        "Your login email address was changed",
        f"Your account now logs in with {new_email}. If you did not do this, contact support.",
    )


def deletion_request_mail(to: str, token: str) -> Mail:
    return Mail(
        "customer.deletion-request",
        to,
        "Confirm the deletion of your account",
        "You asked to delete your account and all its data. Confirm with this token:"
        f"\n\n{token}\n\nIf you did not ask for this, ignore this email.",
        token,
    )


def deleted_mail(to: str) -> Mail:
    return Mail(
        "customer.deleted",
        to,
        "Your account was deleted",
        "Your account and its data were deleted. We are sorry to see you go.",
    )


def password_changed_mail(to: str) -> Mail:
    return Mail(
        "customer.password-changed",
        to,
        "Your password was changed",
        "The password of your account was changed. If you did not do this, reset it now.",
    )


def send(conn: sqlite3.Connection, *, tenant: str, mail: Mail, now: float) -> None:
    conn.execute(
        "INSERT INTO outbox (tenant, event, recipient, subject, body, token, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (tenant, mail.event, mail.to, mail.subject, mail.body, mail.token, now),
    )


def list_mail(conn: sqlite3.Connection, tenant: str, to: str | None) -> list[dict[str, Any]]:
    """Oldest first; `to` matches case-insensitively."""
    if to is None:
        rows = conn.execute(
            "SELECT * FROM outbox WHERE tenant = ? ORDER BY id", (tenant,)
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT * FROM outbox WHERE tenant = ? AND lower(recipient) = lower(?) ORDER BY id",
            (tenant, to.strip()),
        ).fetchall()
    return [
        {
            "id": str(row["id"]),
            "event": row["event"],
            "to": row["recipient"],
            "subject": row["subject"],
            "body": row["body"],
            "token": row["token"],
            "createdAt": to_iso(row["created_at"]),
        }
        for row in rows
    ]


def clear_mail(conn: sqlite3.Connection, tenant: str) -> None:
    conn.execute("DELETE FROM outbox WHERE tenant = ?", (tenant,))
