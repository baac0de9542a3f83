"""Answers a hostile server sends: every failure becomes a typed ApiError, traced or not.

Before: a body of 100,000 `[` raised a raw RecursionError from get_profile and login (and from
the trace hook's redaction even for a 900-deep object that parses); a server trickling one
byte every 0.5 s kept get_profile(timeout=2.0) busy for 29 s; a 150 MB profile was read whole.
"""

from __future__ import annotations

import asyncio
import gzip
import json

import pytest
import respx

from accountdesk.api import (
    BadRequestError,
    CustomerApiClient,
    MalformedResponseError,
    RequestTimeout,
    RetryPolicy,
    TraceEvent,
    UnauthorizedError,
)

BASE = "https://api.example.com"
BOMB = b"[" * 100_000 + b"]" * 100_000
NO_RETRY = RetryPolicy(attempts=1)


def deep_object(levels: int) -> bytes:
    value: object = {"password": "hunter2-secret"}
    for _ in range(levels):
        value = {"next": value}
    return json.dumps(value).encode()


@pytest.mark.parametrize("status", [200, 400])
@pytest.mark.parametrize("traced", [False, True])
async def test_a_bracket_bomb_is_a_malformed_or_typed_error(status: int, traced: bool) -> None:
    events: list[TraceEvent] = []
    with respx.mock(base_url=BASE) as router:
        router.get("/customer/demo/me").respond(status, content=BOMB)
        router.post("/customer/demo/login").respond(status, content=BOMB)
        async with CustomerApiClient(
            BASE, "demo", "c", trace=events.append if traced else None, retry=NO_RETRY
        ) as api:
            expected = MalformedResponseError if status == 200 else BadRequestError
            with pytest.raises(expected):
                await api.get_profile("customer-token")
            with pytest.raises(expected):
                await api.login("anon", "a@example.com", "password-1")
    if traced:
        assert len(events) == 2
        assert all(event.response_body is not None for event in events)


async def test_a_deep_object_that_parses_is_still_traced_without_its_secrets() -> None:
    events: list[TraceEvent] = []
    with respx.mock(base_url=BASE) as router:
        router.post("/customer/demo/login").respond(401, content=deep_object(900))
        async with CustomerApiClient(BASE, "demo", "c", trace=events.append) as api:
            with pytest.raises(UnauthorizedError):
                await api.login("anon", "a@example.com", "password-1")
    assert len(events) == 1
    assert events[0].response_body is not None
    assert "hunter2-secret" not in events[0].response_body


class TrickleServer:
    """Sends a valid answer one byte every ``interval`` seconds."""

    def __init__(self, body: bytes, interval: float) -> None:
        self.body = body
        self.interval = interval
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(self.body)}\r\n\r\n".encode()
        )
        writer.write(head)
        try:
            for byte in self.body:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(self.interval)
        except (ConnectionError, asyncio.CancelledError):
            pass
        writer.close()


async def test_the_timeout_is_a_total_deadline_per_attempt() -> None:
    body = json.dumps({"id": "1", "firstName": "Ada"}).encode()
    async with (
        TrickleServer(body, 0.05) as url,
        CustomerApiClient(url, "demo", "c", timeout=0.4, retry=NO_RETRY) as api,
    ):
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(RequestTimeout) as caught:
            await api.get_profile("customer-token")
        assert caught.value.code == "timeout"  # the server was reached: it trickled
        # Each byte came well within httpx's per-read timeout; only a total deadline stops it.
        assert loop.time() - started < 1.5


async def test_answers_over_the_size_limit_are_refused() -> None:
    huge = b'{"id": "1", "mixins": {"x": "' + b"a" * 2_000_000 + b'"}}'
    with respx.mock(base_url=BASE) as router:
        router.get("/customer/demo/me").respond(200, content=huge)
        async with CustomerApiClient(
            BASE, "demo", "c", retry=NO_RETRY, max_response_bytes=1_000_000
        ) as api:
            with pytest.raises(MalformedResponseError) as caught:
                await api.get_profile("customer-token")
    assert caught.value.code == "response_too_large"


async def test_a_compressed_answer_is_limited_by_its_decoded_size() -> None:
    bomb = gzip.compress(b'{"id": "1", "pad": "' + b"b" * 3_000_000 + b'"}')
    assert len(bomb) < 100_000
    with respx.mock(base_url=BASE) as router:
        router.get("/customer/demo/me").respond(
            200, content=bomb, headers={"Content-Encoding": "gzip"}
        )
        async with CustomerApiClient(
            BASE, "demo", "c", retry=NO_RETRY, max_response_bytes=1_000_000
        ) as api:
            with pytest.raises(MalformedResponseError):
                await api.get_profile("customer-token")


async def test_a_normal_compressed_answer_still_parses() -> None:
    body = gzip.compress(json.dumps({"id": "7", "firstName": "Grace"}).encode())
    with respx.mock(base_url=BASE) as router:
        router.get("/customer/demo/me").respond(
            200, content=body, headers={"Content-Encoding": "gzip"}
        )
        async with CustomerApiClient(BASE, "demo", "c") as api:
            profile = await api.get_profile("customer-token")
    assert profile.first_name == "Grace"
