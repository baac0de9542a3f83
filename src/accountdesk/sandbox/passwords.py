"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's minimum argon2id profile (19 MiB, 2 passes): a fraction of the library default's
# cost, so a test suite that creates hundreds of accounts stays fast, yet still a real KDF.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, burn the same time and say no."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# argon2 runs off the event loop on threads of its own, one per core: it is CPU-bound, so more
# at once only queue, and each call takes 19 MiB that glibc keeps in the calling thread's malloc
# arena. On the general thread pool (40 threads) a login burst left the server at 476 MiB.
_KDF_THREADS = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="argon2")


async def hash_password_off_loop(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_KDF_THREADS, hash_password, password)


async def verify_password_off_loop(password_hash: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(
        _KDF_THREADS, verify_password, password_hash, password
    )


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
