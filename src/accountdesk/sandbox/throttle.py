"""Login throttling per tenant and email address.

Keyed on the email as typed (normalised), whether or not an account exists: if only real
accounts were throttled, a 429 would reveal which addresses are registered.
"""

from __future__ import annotations

import math
import sqlite3

from accountdesk.sandbox.errors import ApiProblem
from accountdesk.sandbox.settings import ThrottlePolicy


def too_many_attempts(retry_after: int) -> ApiProblem:
    """429 with `Retry-After`, the answer while an address is locked."""
    return ApiProblem(
        429,
        "too_many_requests",
        f"Too many failed attempts. Try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
    )


def retry_after(conn: sqlite3.Connection, tenant: str, email: str, now: float) -> int | None:
    """Seconds until the address may try again, or None when it is not locked."""
    row = conn.execute(
        "SELECT locked_until FROM login_throttle WHERE tenant = ? AND email = ?", (tenant, email)
    ).fetchone()
    if row is None or row["locked_until"] <= now:
        return None
    return max(1, math.ceil(float(row["locked_until"]) - now))


def record_failure(
    conn: sqlite3.Connection, tenant: str, email: str, now: float, policy: ThrottlePolicy
) -> None:
    row = conn.execute(
        "SELECT failures FROM login_throttle WHERE tenant = ? AND email = ?", (tenant, email)
    ).fetchone()
    failures = (0 if row is None else int(row["failures"])) + 1
    delay = policy.delay_after(failures)
    conn.execute(
        "INSERT INTO login_throttle (tenant, email, failures, locked_until) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (tenant, email) DO UPDATE SET failures = excluded.failures,"
        " locked_until = excluded.locked_until",
        (tenant, email, failures, now + delay if delay else 0.0),
    )


def reset(conn: sqlite3.Connection, tenant: str, email: str) -> None:
    """Forget failures: after a successful login or a password reset."""
    conn.execute("DELETE FROM login_throttle WHERE tenant = ? AND email = ?", (tenant, email))
