"""Refuse request bodies the sandbox could not store and read back, before any route runs.

Every 2xx must be durable *and readable*: a profile whose `mixins` nest 255 levels deep was
stored and then every `GET /me` failed to serialise it; 10 MB of mixins were stored and served
back as 21 MB. So bodies are checked on the way in, as bytes, without recursion (a body of
100,000 `[` must not reach `json.loads`):

- size: at most `MAX_BODY_BYTES` (413 otherwise);
- JSON nesting: at most `MAX_DEPTH` levels of objects and arrays (400);
- any string: at most `MAX_STRING_CHARS` characters; all objects together: at most
  `MAX_KEYS` keys (400).

Both answers use the Emporix `ErrorMessage` shape. What a write *stores* is limited per account
too (`check_stored`, `MAX_ADDRESSES`), inside the write's transaction, so many small requests
cannot add up to what one large one may not store.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accountdesk.sandbox.errors import ApiProblem, field_error

MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 16
MAX_STRING_CHARS = 16 * 1024
MAX_KEYS = 2000
MAX_STORED_BYTES = MAX_BODY_BYTES
MAX_ADDRESSES = 100

_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_QUOTE = ord('"')
_BACKSLASH = ord("\\")


def _too_large() -> ApiProblem:
    return ApiProblem(
        413,
        "payload_too_large",
        f"The request body is larger than {MAX_BODY_BYTES // 1024} KiB.",
    )


def _refused(message: str) -> ApiProblem:
    return ApiProblem(
        400,
        "bad_request",
        "The request body is not accepted.",
        [field_error("", "invalid_value", message)],
    )


def nesting_depth(body: bytes, limit: int) -> int:
    """The deepest nesting of objects/arrays in a JSON text, scanning at most to ``limit + 1``
    (enough to refuse it); brackets inside strings do not count."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif byte in _CLOSE:
            depth -= 1
    return deepest


def content_problem(document: Any) -> str | None:
    """What makes an already depth-checked document unstorable, or None."""
    keys = 0
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if len(value) > MAX_STRING_CHARS:
                return f"Text values have at most {MAX_STRING_CHARS} characters."
        elif isinstance(value, dict):
            keys += len(value)
            if keys > MAX_KEYS:
                return f"The request body has more than {MAX_KEYS} keys."
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return None


def check_body(body: bytes) -> None:
    """Raise the `ApiProblem` that refuses ``body``; return when it may be processed."""
    if len(body) > MAX_BODY_BYTES:
        raise _too_large()
    if nesting_depth(body, MAX_DEPTH) > MAX_DEPTH:
        raise _refused(f"JSON values nest at most {MAX_DEPTH} levels deep.")
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return  # not JSON: the route's own validation answers with the field problems
    problem = content_problem(document)
    if problem is not None:
        raise _refused(problem)


def check_stored(document: Any, what: str) -> None:
    """Refuse a write whose stored ``what`` ("profile", "address") would exceed the limit."""
    if len(json.dumps(document, ensure_ascii=False).encode()) > MAX_STORED_BYTES:
        raise ApiProblem(
            413,
            "payload_too_large",
            f"The {what} would be larger than {MAX_STORED_BYTES // 1024} KiB.",
        )


class BodyLimits:
    """ASGI middleware applying `check_body` to every request that carries a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > MAX_BODY_BYTES:
            await _answer(send, _too_large())
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await _answer(send, _too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            check_body(body)
        except ApiProblem as problem:
            await _answer(send, problem)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _answer(send: Send, problem: ApiProblem) -> None:
    payload = json.dumps(problem.body()).encode()
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
