"""The sandbox-only routes (`/_sandbox/*`: outbox, clock, tenants) answer loopback Hosts only.

They have no authentication by design (a local emulator), so a web page in the user's browser
could otherwise reach them through DNS rebinding: its own name, resolved to 127.0.0.1, would
carry the page's Host header. Requests to them must name a loopback host or one the operator
configured (`--host` when the sandbox listens elsewhere).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

SANDBOX_PREFIX = "/_sandbox"
LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (``127.0.0.0/8``, ``::1``)."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def hostname(host_header: str) -> str:
    """The host of a ``Host`` header, without the port (IPv6 in brackets kept whole)."""
    if host_header.startswith("["):
        return host_header[: host_header.find("]") + 1]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class SandboxHostCheck:
    """Refuse `/_sandbox/*` requests whose Host is neither loopback nor allowed (403)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = frozenset(host.lower() for host in allowed_hosts)

    def allows(self, host_header: str) -> bool:
        host = hostname(host_header).lower()
        return is_loopback(host) or host in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(SANDBOX_PREFIX):
            headers = dict(scope.get("headers", []))
            host = headers.get(b"host", b"").decode("latin-1")
            if not self.allows(host):
                await _forbidden(send)
                return
        await self.app(scope, receive, send)


async def _forbidden(send: Send) -> None:
    payload = json.dumps(
        {
            "status": 403,
            "type": "forbidden",
            "message": "The sandbox's own routes answer loopback hosts only.",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
