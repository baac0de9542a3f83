"""Masking of secrets before anything leaves the client for a log, a trace panel or a repr.

The rule is by name, so it also covers fields the API adds later: any key containing
"password" or "token" (``currentPassword``, ``saas_token``, ``accessToken``…) is secret, except
the few token *metadata* keys whose values are harmless and useful to see (``token_type``,
``expires_in``-style lifetimes). Query parameters that carry credentials are listed explicitly
because their names (``code``, ``code_verifier``) do not follow that rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

__all__ = [
    "MASK",
    "SECRET_QUERY_PARAMETERS",
    "is_secret_key",
    "redact_body",
    "redact_headers",
    "redact_path",
    "redact_query",
    "redact_value",
]

MASK = "***"

SECRET_QUERY_PARAMETERS = frozenset(
    {
        "accesstoken",
        "refreshtoken",
        "refresh_token",
        "anonymous_token",
        "subjectaccesstoken",
        "token",
        "code",
        "code_verifier",
    }
)

_SECRET_MARKERS = ("password", "token", "secret", "authorization")
# Keys that contain a marker but hold no secret; hiding them would only make traces less useful.
_HARMLESS_KEYS = frozenset(
    {
        "token_type",
        "tokentype",
        "expires_in",
        "expiresin",
        "refresh_token_expires_in",
        "refreshtokenexpiresin",
        "initialpassword",
    }
)

# GET /signup/optin/{token} carries the emailed token as a path segment. The sibling
# POST /signup/optin/refresh_token is a fixed route name, not a secret, so it is left visible.
_OPTIN_SEGMENT = re.compile(r"(/signup/optin/)(?!refresh_token(?:$|[/?]))([^/?#]+)")

# For bodies that are not valid JSON (cut-off answers): mask `"secret-key": "value"` as text.
_JSON_STRING_PAIR = re.compile(r'("(?P<key>[^"\\]{1,100})"\s*:\s*)"(?:[^"\\]|\\.)*"?')

_MAX_BODY_CHARS = 4000


def is_secret_key(key: str) -> bool:
    """Whether a field or parameter named ``key`` holds a password or a token."""
    lowered = key.lower()
    if lowered in _HARMLESS_KEYS:
        return False
    return any(marker in lowered for marker in _SECRET_MARKERS)


def redact_value(value: Any) -> Any:
    """A deep copy of a JSON-like value with every secret field's value replaced by `MASK`."""
    if isinstance(value, Mapping):
        return {
            key: MASK
            if isinstance(key, str) and is_secret_key(key) and value[key] is not None
            else redact_value(value[key])
            for key in value
        }
    if isinstance(value, list):
        return [redact_value(item) for item in value]
    return value


def redact_body(body: str | bytes | None) -> str | None:
    """Redacted text of a request or response body, shortened for display.

    JSON bodies are parsed and re-serialized with secrets masked; anything else (HTML, cut-off
    JSON) is masked textually so a half-received token still does not show.
    """
    if body is None:
        return None
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if not text:
        return ""
    try:
        redacted = json.dumps(redact_value(json.loads(text)), ensure_ascii=False)
    except (ValueError, RecursionError):
        # Not JSON, cut off, or nested deeper than the parser or the masking can follow.
        redacted = _JSON_STRING_PAIR.sub(_mask_pair, text)
    if len(redacted) > _MAX_BODY_CHARS:
        return redacted[:_MAX_BODY_CHARS] + f"… ({len(redacted) - _MAX_BODY_CHARS} more characters)"
    return redacted


def _mask_pair(match: re.Match[str]) -> str:
    if is_secret_key(match.group("key")):
        return f'{match.group(1)}"{MASK}"'
    return match.group(0)


def redact_query(params: Iterable[tuple[str, str]] | Mapping[str, str]) -> str:
    """URL-encoded query string with credential-carrying parameters masked."""
    pairs = params.items() if isinstance(params, Mapping) else params
    return urlencode(
        [
            (
                name,
                MASK if name.lower() in SECRET_QUERY_PARAMETERS or is_secret_key(name) else value,
            )
            for name, value in pairs
        ],
        safe="*,",
    )


def redact_path(path: str) -> str:
    """A request path (and query) with secret path segments and query parameters masked."""
    route, separator, query = path.partition("?")
    route = _OPTIN_SEGMENT.sub(rf"\g<1>{MASK}", route)
    if not separator:
        return route
    return f"{route}?{redact_query(parse_qsl(query, keep_blank_values=True))}"


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers with credentials masked; the auth scheme (``Bearer``) stays visible."""
    redacted: dict[str, str] = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered in {"authorization", "proxy-authorization"}:
            scheme, _, _credentials = value.partition(" ")
            redacted[name] = f"{scheme} {MASK}" if _credentials else MASK
        elif lowered in {"cookie", "set-cookie", "saas-token"} or is_secret_key(name):
            redacted[name] = MASK
        else:
            redacted[name] = value
    return redacted
