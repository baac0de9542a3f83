"""Random tokens and their storage hashes.

Tokens are random strings from `secrets`; only their SHA-256 is stored, so a copy of the
database does not hand out working tokens. A plain (unsalted) hash is enough here because the
tokens carry 160+ bits of entropy: nobody can brute-force the preimage.
"""

from __future__ import annotations

import hashlib
import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def random_token(length: int) -> str:
    """A random alphanumeric token, the format of the examples in the spec."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def random_hex(length: int) -> str:
    return secrets.token_hex((length + 1) // 2)[:length]
