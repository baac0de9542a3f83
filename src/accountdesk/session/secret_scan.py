"""Is a secret in this text? The check every saved screen picture passes before it is kept.

One scan for the screenshot script (scripts/screenshots.py) and the app's screenshot key, so a
picture the app saves is held to the same rule as the README's.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

__all__ = ["MIN_SECRET_LENGTH", "secrets_in"]

# A secret this short (a half-typed password) would match ordinary words on screen and refuse
# every picture; nothing a server issues is that short.
MIN_SECRET_LENGTH = 6


def secrets_in(text: str, secrets: Iterable[str]) -> list[str]:
    """The ``secrets`` that occur in ``text``, in the order given.

    ``text`` may be markup (an SVG): a secret holding ``&`` or ``<`` appears there escaped, and
    a space as a no-break space, so the unescaped text is searched as well.
    """
    plain = html.unescape(text).replace("\xa0", " ")
    return [
        secret
        for secret in dict.fromkeys(secrets)
        if len(secret) >= MIN_SECRET_LENGTH and (secret in text or secret in plain)
    ]
