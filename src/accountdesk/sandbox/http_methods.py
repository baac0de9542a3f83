"""`OPTIONS` and `405 Allow` name every method of a path (RFC 9110 9.3.7, 15.5.6).

Starlette answers both from the first route whose path matches, so `PUT /me` said `Allow: GET`
and `OPTIONS /signup/optin/refresh_token` named only the `GET {token}` route's method. Here the
methods of *every* route matching the path are collected. A CORS preflight is not handled here
(`cors.py` answers it first).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_CANDIDATES = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def methods_for(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """Every method some route accepts at the request's path, and OPTIONS, sorted; found by
    asking each route whether it would take the request with that method."""
    methods = {
        method
        for method in _CANDIDATES
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    }
    if not methods:
        return []
    methods.add("OPTIONS")
    return sorted(methods)


class HttpMethods:
    """Answers `OPTIONS` with `204` and the full `Allow`; corrects `Allow` on every 405."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Matching every route for every method costs more than the rest of a request: only
        # OPTIONS and the (rare) 405 need the answer.
        if scope["method"] == "OPTIONS":
            allowed = methods_for(self.routes, scope)
            if allowed:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [(b"allow", ", ".join(allowed).encode())],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allowed = methods_for(self.routes, scope)
                headers = [(name, value) for name, value in message["headers"] if name != b"allow"]
                headers.append((b"allow", ", ".join(allowed).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_allow)
