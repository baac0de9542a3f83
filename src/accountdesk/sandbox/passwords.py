"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's minimum argon2id profile (19 MiB, 2 passes): a fraction of the library default's
# cost, so a test suite that creates hundreds of accounts stays fast, yet still a real KDF.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


# argon2 is CPU-bound and takes 19 MiB per call: more calls at once than cores only add memory
# (40 worker threads hashing at once took the sandbox past 390 MiB under a login load).
_KDF_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)


def hash_password(password: str) -> str:
    with _KDF_SLOTS:
        return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, burn the same time and say no."""
    with _KDF_SLOTS:
        try:
            verified = _HASHER.verify(password_hash or _DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    return verified and password_hash is not None


def policy_violation(password: str, *, min_length: int, max_length: int) -> str | None:
    """The message to show next to the password field, or None when the password is fine.

    Length counts Unicode code points; any character is allowed (passphrases, emoji, accents).
    """
    if len(password) < min_length:
        return f"The password must be at least {min_length} characters long."
    if len(password) > max_length:
        return f"The password must be at most {max_length} characters long."
    if password.strip() == "":
        return "The password must not be only whitespace."
    return None
