"""Login throttling per tenant and email address.

Keyed on the email as typed (normalised), whether or not an account exists: if only real
accounts were throttled, a 429 would reveal which addresses are registered.

A password check is *reserved* before it runs, in the same transaction that checks the lock:
argon2 runs outside the database lock, so without the reservation any number of parallel
guesses would pass the check before the first failure is recorded. However many arrive at once,
no more checks run than the failures still allowed before the lock (one at a time once the
address has been locked before).
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

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


# A slot frees up as soon as a check in flight finishes (an argon2 verification, milliseconds).
_BUSY_RETRY_SECONDS = 1


class PasswordChecks:
    """Password checks in flight per (tenant, email), held in memory: a check in flight dies
    with the process, so its reservation must too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight: Counter[tuple[str, str]] = Counter()

    @contextmanager
    def reserved(
        self,
        conn: sqlite3.Connection,
        tenant: str,
        email: str,
        now: float,
        policy: ThrottlePolicy,
    ) -> Iterator[None]:
        """Reserve one check of ``email``'s password, or raise the 429. Call it inside the
        transaction that reads the lock, so the check and the reservation are one step; record
        the outcome before leaving the block."""
        key = (tenant, email)
        row = conn.execute(
            "SELECT failures, locked_until FROM login_throttle WHERE tenant = ? AND email = ?",
            key,
        ).fetchone()
        failures = 0 if row is None else int(row["failures"])
        if row is not None and row["locked_until"] > now:
            raise too_many_attempts(max(1, math.ceil(float(row["locked_until"]) - now)))
        allowed = max(1, policy.free_attempts - failures)
        with self._lock:
            if self._in_flight[key] >= allowed:
                raise too_many_attempts(_BUSY_RETRY_SECONDS)
            self._in_flight[key] += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight[key] -= 1
                if self._in_flight[key] <= 0:
                    del self._in_flight[key]


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
