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


@dataclass(frozen=True)
class MailTemplate:
    """One kind of mail; `text` has `str.format` slots, `{token}` for the emailed token."""

    event: str
    subject: str
    text: str

    def compose(self, to: str, *, token: str | None = None, **values: str) -> Mail:
        return Mail(self.event, to, self.subject, self.text.format(token=token, **values), token)


OPT_IN = MailTemplate(
    "customer.opt-in",
    "Activate your account",
    "Welcome! Confirm your email address to activate your account."
    "\n\nActivation token: {token}\n\nThe token is valid for 24 hours and works once.",
)

PASSWORD_RESET = MailTemplate(
    "customer.password-reset",
    "Reset your password",
    "Someone asked to reset the password of your account. If it was you, use this token to"
    " choose a new password:\n\n{token}\n\nIf it was not you, ignore this email.",
)

EMAIL_CHANGE_REQUEST = MailTemplate(
    "customer.email-change-request",
    "Confirm your new email address",
    "Confirm that this is your new login email address with this token:"
    "\n\n{token}\n\nThe token is valid for 24 hours and works once.",
)

EMAIL_CHANGED = MailTemplate(
    "customer.email-change",
    "Your login email address was changed",
    "Your account now logs in with {new_email}. If you did not do this, contact support.",
)

DELETION_REQUEST = MailTemplate(
    "customer.deletion-request",
    "Confirm the deletion of your account",
    "You asked to delete your account and all its data. Confirm with this token:"
    "\n\n{token}\n\nIf you did not ask for this, ignore this email.",
)

DELETED = MailTemplate(
    "customer.deleted",
    "Your account was deleted",
    "Your account and its data were deleted. We are sorry to see you go.",
)

PASSWORD_CHANGED = MailTemplate(
    "customer.password-changed",
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
