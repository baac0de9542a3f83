"""CORS for storefronts in the browser, per tenant, like Emporix's allowed origins.

A tenant lists the origins that may call it (`allowedOrigins` when the tenant is created); a
tenant with none allows loopback origins on any port (`http://localhost:3000`…), which is where
a storefront under development runs. An allowed origin gets its preflight answered (the methods
of the path, the headers storefronts send) and `Access-Control-Allow-Origin` on every response,
errors included; any other origin gets no CORS header at all, so the browser keeps the answer
from the page. Only the Emporix API is shared this way, never the sandbox's own routes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from urllib.parse import parse_qs, urlsplit

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accountdesk.sandbox.db import Database
from accountdesk.sandbox.host_check import is_loopback
from accountdesk.sandbox.http_methods import methods_for

ALLOWED_HEADERS = (
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "emporix-tenant",
    "saas-token",
    "session-id",
)
EXPOSED_HEADERS = "Location, Retry-After"
PREFLIGHT_MAX_AGE = "600"
_API_PREFIXES = ("/customer/", "/customerlogin/")


def tenant_of(scope: Scope) -> str | None:
    """The tenant a request is for: the path's `/customer/{tenant}/…` or the `tenant=` query."""
    path: str = scope["path"]
    if path.startswith("/customer/"):
        return path.split("/")[2] or None
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    values = query.get("tenant")
    return values[0] if values else None


def is_loopback_origin(origin: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and is_loopback(parts.hostname or "")


def allowed_origins(conn: sqlite3.Connection, tenant: str) -> set[str]:
    rows = conn.execute("SELECT origin FROM tenant_origins WHERE tenant = ?", (tenant,))
    return {str(row["origin"]) for row in rows}


def save_allowed_origins(conn: sqlite3.Connection, tenant: str, origins: Sequence[str]) -> None:
    conn.execute("DELETE FROM tenant_origins WHERE tenant = ?", (tenant,))
    conn.executemany(
        "INSERT OR IGNORE INTO tenant_origins (tenant, origin) VALUES (?, ?)",
        [(tenant, origin) for origin in origins],
    )


class TenantCors:
    """The CORS middleware; `HttpMethods` gives the methods a preflight may allow."""

    def __init__(self, app: ASGIApp, db: Database, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.db = db
        self.routes = routes

    def _allows(self, scope: Scope, origin: str) -> bool:
        tenant = tenant_of(scope)
        if tenant is None:
            return False
        with self.db.transaction() as conn:
            listed = allowed_origins(conn, tenant)
        return origin in listed if listed else is_loopback_origin(origin)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(_API_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin", b"").decode("latin-1")
        if not origin or not self._allows(scope, origin):
            await self.app(scope, receive, send)
            return
        cors = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"vary", b"Origin"),
        ]
        requested = headers.get(b"access-control-request-method")
        if scope["method"] == "OPTIONS" and requested is not None:
            methods = [m for m in methods_for(self.routes, scope) if m != "OPTIONS"]
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        *cors,
                        (b"access-control-allow-methods", ", ".join(methods).encode()),
                        (b"access-control-allow-headers", ", ".join(ALLOWED_HEADERS).encode()),
                        (b"access-control-max-age", PREFLIGHT_MAX_AGE.encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [
                        *message["headers"],
                        *cors,
                        (b"access-control-expose-headers", EXPOSED_HEADERS.encode()),
                    ],
                }
            await send(message)

        await self.app(scope, receive, send_with_cors)
