"""Faults a well-behaved server cannot produce: dead ports, timeouts, resets, garbage answers.

respx stands in for the network only here; the real flows run against the sandbox in
test_api_sandbox.py.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest
import respx

from accountdesk import __version__
from accountdesk.api import (
    USER_AGENT,
    AddressCreate,
    ApiError,
    CustomerApiClient,
    CustomerPatch,
    CustomerSignup,
    DeletionOutcome,
    InvalidTokenError,
    MalformedResponseError,
    NetworkError,
    RequestTimeout,
    RetryPolicy,
    ServerError,
    TraceEvent,
    TransportError,
)

BASE = "http://api.test"
ANON = {"access_token": "anon-access", "refresh_token": "anon-refresh", "expires_in": 3599}


class SleepRecorder:
    """Stands in for asyncio.sleep so retries are instant and their delays observable."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def traces() -> list[TraceEvent]:
    return []


@pytest.fixture
async def client(
    sleeps: SleepRecorder, traces: list[TraceEvent]
) -> AsyncIterator[CustomerApiClient]:
    policy = RetryPolicy(attempts=3, base_delay=0.1, max_delay=1.0, sleep=sleeps)
    async with CustomerApiClient(
        BASE, "demo", "storefront", trace=traces.append, retry=policy
    ) as api:
        yield api


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_connection_refused_is_a_network_error_after_retries(sleeps: SleepRecorder) -> None:
    port = _closed_port()
    policy = RetryPolicy(attempts=3, sleep=sleeps)
    async with CustomerApiClient(f"http://127.0.0.1:{port}", "demo", "c", retry=policy) as api:
        with pytest.raises(NetworkError) as caught:
            await api.anonymous_login()
    assert caught.value.status is None
    assert caught.value.type == "network_error"
    assert str(caught.value).startswith(f"Could not connect to 127.0.0.1:{port}.")
    assert len(sleeps.delays) == 2  # three attempts for a safe GET


async def test_connection_refused_on_a_post_is_not_retried(sleeps: SleepRecorder) -> None:
    port = _closed_port()
    async with CustomerApiClient(
        f"http://127.0.0.1:{port}", "demo", "c", retry=RetryPolicy(sleep=sleeps)
    ) as api:
        with pytest.raises(NetworkError):
            await api.login("anon", "a@example.com", "password-1")
    assert sleeps.delays == []


async def test_read_timeout_is_a_request_timeout(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    route = mock.get("/customer/demo/me").mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(RequestTimeout) as caught:
        await client.get_profile("cust")
    assert isinstance(caught.value, TransportError)
    # Reached but slow: its own code, which a user interface words apart from "unreachable".
    assert caught.value.code == "timeout"
    assert caught.value.params == {"server": "api.test"}
    assert str(caught.value) == "api.test did not answer in time. Try again in a moment."
    # A read timeout is not retried: the server may still be working on the first attempt.
    assert route.call_count == 1


async def test_connect_timeout_is_told_apart_from_a_slow_answer(
    client: CustomerApiClient, mock: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    mock.post("/customer/demo/login").mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(RequestTimeout) as caught:
        await client.login("anon", "a@example.com", "password-1")
    # The server was never reached: not the code of a slow answer ("timeout").
    assert caught.value.code == "connect_timeout"
    assert caught.value.params == {"server": "api.test"}
    assert sleeps.delays == []  # a POST is not retried


async def test_connect_timeout_is_retried_for_a_safe_get(
    client: CustomerApiClient, mock: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    route = mock.get("/customer/demo/me/addresses").mock(
        side_effect=[httpx.ConnectTimeout("slow"), httpx.Response(200, json=[])]
    )
    assert await client.list_addresses("cust") == []
    assert route.call_count == 2
    assert len(sleeps.delays) == 1


async def test_connection_reset_mid_answer_is_a_network_error(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    mock.post("/customer/demo/login").mock(side_effect=httpx.ReadError("connection reset"))
    with pytest.raises(NetworkError, match="broke off"):
        await client.login("anon", "a@example.com", "password-1")


async def test_5xx_then_success_for_a_get(
    client: CustomerApiClient,
    mock: respx.MockRouter,
    sleeps: SleepRecorder,
    traces: list[TraceEvent],
) -> None:
    route = mock.get("/customer/demo/me").mock(
        side_effect=[
            httpx.Response(503, text="busy"),
            httpx.Response(502, text="<html>bad gateway</html>"),
            httpx.Response(200, json={"id": "1", "firstName": "Ada"}),
        ]
    )
    profile = await client.get_profile("cust")
    assert profile.first_name == "Ada"
    assert route.call_count == 3
    assert len(sleeps.delays) == 2
    assert all(0.0 <= delay <= 1.0 for delay in sleeps.delays)
    assert [event.status for event in traces] == [503, 502, 200]


async def test_persistent_5xx_gives_server_error(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    route = mock.get("/customer/demo/me").respond(504)
    with pytest.raises(ServerError) as caught:
        await client.get_profile("cust")
    assert caught.value.status == 504
    assert str(caught.value) == "The server failed to handle the request (504 Gateway Timeout)."
    assert route.call_count == 3


async def test_500_is_not_retried(client: CustomerApiClient, mock: respx.MockRouter) -> None:
    route = mock.get("/customer/demo/me").respond(500, json={"status": 500, "message": "boom"})
    with pytest.raises(ServerError, match=r"^Boom\.$"):
        await client.get_profile("cust")
    assert route.call_count == 1


async def test_post_is_never_retried_on_503(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    route = mock.post("/customer/demo/signup").respond(503)
    with pytest.raises(ServerError):
        await client.sign_up("anon", CustomerSignup(email="a@example.com", password="password-1"))
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/customer/demo/logout", lambda api: api.logout("cust")),
        ("/customer/demo/signup/optin/tok", lambda api: api.confirm_opt_in("anon", "tok")),
        ("/customer/demo/refreshauthtoken", lambda api: api.refresh_customer_token("anon", "r")),
        ("/customerlogin/auth/anonymous/refresh", lambda api: api.refresh_anonymous_token("r")),
    ],
)
async def test_token_consuming_gets_are_not_retried(
    client: CustomerApiClient,
    mock: respx.MockRouter,
    path: str,
    call: Callable[[CustomerApiClient], Awaitable[object]],
) -> None:
    route = mock.get(path).respond(503)
    with pytest.raises(ServerError):
        await call(client)
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (
            httpx.Response(
                200, text="<!doctype html><html>login</html>", headers={"content-type": "text/html"}
            ),
            "The server sent a web page instead of data (HTTP 200); the address may point",
        ),
        (
            httpx.Response(200, text="\x00\x01garbage"),
            "The server's answer is not valid JSON (HTTP 200); it may have been cut off.",
        ),
        (
            httpx.Response(200, text='{"access_token": "abc", "expires_in": 35'),
            "The server's answer is not valid JSON (HTTP 200); it may have been cut off.",
        ),
        (
            httpx.Response(200, text=""),
            "The server sent an empty answer where data was expected (HTTP 200).",
        ),
        (
            httpx.Response(200, json={"token_type": "Bearer"}),
            "The server's answer did not have the expected shape (access_token: field required).",
        ),
        (
            httpx.Response(200, json=["not", "an", "object"]),
            "The server's answer did not have the expected shape",
        ),
    ],
)
async def test_malformed_success_answers(
    client: CustomerApiClient, mock: respx.MockRouter, response: httpx.Response, expected: str
) -> None:
    mock.get("/customerlogin/auth/anonymous/login").mock(return_value=response)
    with pytest.raises(MalformedResponseError) as caught:
        await client.anonymous_login()
    assert str(caught.value).startswith(expected)
    assert caught.value.type == "malformed_response"


async def test_schema_mismatch_message_does_not_leak_values(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    mock.post("/customer/demo/login").respond(json={"access_token": {"nested": "SECRET-VALUE"}})
    with pytest.raises(MalformedResponseError) as caught:
        await client.login("anon", "a@example.com", "password-1")
    assert "SECRET-VALUE" not in str(caught.value)
    assert caught.value.__cause__ is None  # the pydantic error (with the input) is not chained


async def test_unexpected_redirect_is_an_api_error(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    mock.get("/customer/demo/me").respond(302, headers={"Location": "https://elsewhere"})
    with pytest.raises(ApiError) as caught:
        await client.get_profile("cust")
    assert caught.value.status == 302


async def test_unexpected_httpx_failure_is_wrapped(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    mock.get("/customer/demo/me").mock(side_effect=httpx.UnsupportedProtocol("nope"))
    with pytest.raises(TransportError, match="could not be completed"):
        await client.get_profile("cust")


async def test_requests_carry_user_agent_and_bearer(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    route = mock.get("/customer/demo/validateauthtoken").respond(
        json={"email": "a@b.c", "expires_in": 5}
    )
    validation = await client.validate_token("cust-token")
    assert validation.email == "a@b.c"
    sent = route.calls.last.request
    assert sent.headers["User-Agent"] == USER_AGENT == f"accountdesk/{__version__} (+python-httpx)"
    assert sent.headers["Authorization"] == "Bearer cust-token"


async def test_opt_in_token_is_url_encoded_as_one_segment(
    client: CustomerApiClient, mock: respx.MockRouter, traces: list[TraceEvent]
) -> None:
    route = mock.get(url__regex=r"/customer/demo/signup/optin/.+").respond(
        json={"access_token": "c"}
    )
    await client.confirm_opt_in("anon", "a/b?c=d#e f")
    assert (
        route.calls.last.request.url.raw_path
        == b"/customer/demo/signup/optin/a%2Fb%3Fc%3Dd%23e%20f"
    )
    assert traces[-1].path == "/customer/demo/signup/optin/***"


async def test_trace_events_are_redacted(
    client: CustomerApiClient, mock: respx.MockRouter, traces: list[TraceEvent]
) -> None:
    mock.post("/customer/demo/login").respond(
        json={
            "access_token": "RESP-ACCESS",
            "refresh_token": "RESP-REFRESH",
            "saas_token": "RESP-SAAS",
        }
    )
    mock.get("/customer/demo/logout").respond(204)
    token = await client.login("ANON-SECRET", "a@example.com", "PASSWORD-SECRET")
    await client.logout(token.access_token)
    login_event, logout_event = traces
    assert login_event.method == "POST"
    assert login_event.path == "/customer/demo/login"
    assert login_event.status == 200
    assert login_event.duration_ms >= 0
    assert login_event.error is None
    assert json.loads(login_event.request_body or "") == {
        "email": "a@example.com",
        "password": "***",
    }
    assert logout_event.path == "/customer/demo/logout?accessToken=***"
    assert logout_event.request_body is None
    dump = repr(traces)
    for secret in ("RESP-ACCESS", "RESP-REFRESH", "RESP-SAAS", "ANON-SECRET", "PASSWORD-SECRET"):
        assert secret not in dump
    assert login_event.request_headers["authorization"] == "Bearer ***"


async def test_trace_event_for_a_failure_carries_the_message(
    client: CustomerApiClient, mock: respx.MockRouter, traces: list[TraceEvent]
) -> None:
    mock.post("/customer/demo/password/reset").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(NetworkError):
        await client.request_password_reset("anon", "a@example.com")
    assert traces[-1].status is None
    assert traces[-1].error is not None
    assert traces[-1].error.startswith("Could not connect to api.test")


async def test_a_failing_trace_callback_does_not_break_the_call(mock: respx.MockRouter) -> None:
    mock.get("/customerlogin/auth/anonymous/login").respond(json=ANON)

    def broken(event: TraceEvent) -> None:
        raise RuntimeError("log panel gone")

    async with CustomerApiClient(BASE, "demo", "c", trace=broken) as api:
        token = await api.anonymous_login()
    assert token.access_token == "anon-access"


async def test_delete_profile_outcomes(client: CustomerApiClient, mock: respx.MockRouter) -> None:
    mock.delete("/customer/demo/me", params={"token": "mailed"}).respond(204)
    mock.delete("/customer/demo/me").respond(202)
    assert await client.delete_profile("cust") is DeletionOutcome.CONFIRMATION_SENT
    assert (
        await client.delete_profile("cust", confirmation_token="mailed") is DeletionOutcome.DELETED
    )


async def test_tags_are_sent_comma_separated(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    route = mock.post("/customer/demo/me/addresses/a1/tags").respond(204)
    await client.add_address_tags("cust", "a1", ["BILLING", " SHIPPING "])
    assert route.calls.last.request.url.params["tags"] == "BILLING,SHIPPING"


@pytest.mark.parametrize(("tags", "message"), [([], "At least one tag"), (["A,B"], "comma")])
async def test_bad_tags_are_refused_before_sending(
    client: CustomerApiClient, tags: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await client.remove_address_tags("cust", "a1", tags)


async def test_timeout_configuration() -> None:
    async with CustomerApiClient(BASE, "demo", "c", timeout=30.0) as api:
        timeout = api._http.timeout
    assert timeout.read == 30.0
    assert timeout.connect == 5.0


async def test_merge_patch_content_type(client: CustomerApiClient, mock: respx.MockRouter) -> None:
    route = mock.patch("/customer/demo/me").respond(200)
    await client.update_profile("cust", CustomerPatch(first_name="Ada"), merge_patch=True)
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/merge-patch+json"
    assert json.loads(request.content) == {"firstName": "Ada"}


async def test_add_address_returns_the_new_id(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    mock.post("/customer/demo/me/addresses").respond(201, json={"id": "new-id"})
    assert await client.add_address("cust", AddressCreate(contact_name="Ada")) == "new-id"


@pytest.mark.parametrize("token", ["tök", "a\nb", ""])
async def test_unsendable_tokens_fail_before_sending(
    client: CustomerApiClient, mock: respx.MockRouter, token: str
) -> None:
    route = mock.get("/customer/demo/me").respond(json={})
    with pytest.raises(InvalidTokenError) as caught:
        await client.get_profile(token)
    assert caught.value.status is None
    assert route.call_count == 0


async def test_unsendable_header_value_is_an_api_error(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    route = mock.post("/customer/demo/socialLogin").respond(json={"access_token": "a"})
    with pytest.raises(ApiError, match="session-id"):
        await client.social_login("anon", "code", "http://cb", session_id="sé")
    assert route.call_count == 0


async def test_corrupt_compressed_body_is_malformed(
    client: CustomerApiClient, mock: respx.MockRouter
) -> None:
    # A stream, so the bytes are decoded only when the client reads them.
    broken = httpx.Response(
        200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip at all")
    )
    mock.get("/customer/demo/me").mock(return_value=broken)
    with pytest.raises(MalformedResponseError, match="could not be decoded"):
        await client.get_profile("cust")


class RawServer:
    """A loopback TCP server that answers every connection with fixed bytes (or nothing)."""

    def __init__(self, reply: bytes | None) -> None:
        self.reply = reply
        self.connections = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await reader.readuntil(b"\r\n\r\n")
        if self.reply is None:
            await asyncio.sleep(5)  # never answer; the client's read timeout fires first
        else:
            writer.write(self.reply)
            await writer.drain()
        writer.close()


async def test_answer_cut_off_mid_body_over_tcp(sleeps: SleepRecorder) -> None:
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
        b'{"access_token": "abc", "expi'
    )
    server = RawServer(reply)
    async with (
        server as url,
        CustomerApiClient(url, "demo", "c", retry=RetryPolicy(sleep=sleeps)) as api,
    ):
        with pytest.raises(NetworkError, match="broke off before the answer was complete"):
            await api.login("anon", "a@example.com", "password-1")
    assert server.connections == 1


async def test_server_that_never_answers_times_out(sleeps: SleepRecorder) -> None:
    server = RawServer(None)
    async with (
        server as url,
        CustomerApiClient(url, "demo", "c", timeout=0.2, retry=RetryPolicy(sleep=sleeps)) as api,
    ):
        with pytest.raises(RequestTimeout, match="did not answer in time") as caught:
            await api.validate_token("cust")
    assert caught.value.code == "timeout"
    # Waiting for an answer is not a connect failure: the request was sent, so no retry.
    assert server.connections == 1


async def test_http_garbage_over_tcp_is_a_typed_error(sleeps: SleepRecorder) -> None:
    server = RawServer(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
    async with (
        server as url,
        CustomerApiClient(url, "demo", "c", retry=RetryPolicy(sleep=sleeps)) as api,
    ):
        with pytest.raises(TransportError):
            await api.anonymous_login()


async def test_an_injected_transport_carries_every_request() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, json=ANON)

    transport = httpx.MockTransport(handler)
    async with CustomerApiClient(BASE, "demo", "c", transport=transport) as api:
        first = await api.anonymous_login()
        second = await api.refresh_anonymous_token(first.refresh_token or "")
    assert second.access_token == "anon-access"
    assert seen == [
        "GET /customerlogin/auth/anonymous/login",
        "GET /customerlogin/auth/anonymous/refresh",
    ]


def test_idle_connections_are_dropped_before_the_server_closes_them() -> None:
    """A request sent on a pooled connection the server is just closing fails although the
    server is fine: the pool lets idle connections go before uvicorn (the sandbox) and most
    proxies close theirs (5 s)."""
    import uvicorn

    from accountdesk.api.client import KEEPALIVE_EXPIRY_SECONDS

    assert uvicorn.Config(app=None).timeout_keep_alive > KEEPALIVE_EXPIRY_SECONDS
