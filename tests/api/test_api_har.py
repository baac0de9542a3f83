"""The API log handed on: curl commands and HAR 1.2 files built from the client's own traces."""

from __future__ import annotations

import json
import shlex
from datetime import datetime
from typing import Any

from api_sandbox_desk import SandboxDesk

from accountdesk.api import NetworkError, TraceEvent
from accountdesk.api.har import as_curl, build_har, har_text
from accountdesk.api.redaction import MASK

PASSWORD = "Har-Password-42"


def assert_valid_har(document: dict[str, Any], entries: int) -> None:
    """The fields HAR 1.2 requires, with the types browsers' importers read."""
    log = document["log"]
    assert log["version"] == "1.2"
    assert isinstance(log["creator"]["name"], str)
    assert isinstance(log["creator"]["version"], str)
    assert len(log["entries"]) == entries
    for entry in log["entries"]:
        datetime.fromisoformat(entry["startedDateTime"])  # ISO 8601 with a zone
        assert entry["startedDateTime"].endswith("+00:00")
        assert entry["time"] >= 0
        request, response = entry["request"], entry["response"]
        for key in ("method", "url", "httpVersion"):
            assert isinstance(request[key], str)
        assert request["url"].startswith("http")
        for key in ("cookies", "headers", "queryString"):
            assert isinstance(request[key], list)
        assert all(set(pair) == {"name", "value"} for pair in request["headers"])
        assert request["headersSize"] == -1
        assert isinstance(request["bodySize"], int)
        if "postData" in request:
            assert {"mimeType", "text"} <= set(request["postData"])
        assert isinstance(response["status"], int)
        for key in ("statusText", "httpVersion", "redirectURL"):
            assert isinstance(response[key], str)
        assert isinstance(response["cookies"], list)
        assert isinstance(response["headers"], list)
        assert {"size", "mimeType"} <= set(response["content"])
        assert entry["cache"] == {}
        assert {"send", "wait", "receive"} <= set(entry["timings"])


async def test_har_and_curl_of_a_real_session_carry_no_secret(desk: SandboxDesk) -> None:
    email, password, token = await desk.register(password=PASSWORD)
    anonymous = await desk.api.anonymous_login()
    login = await desk.api.login(anonymous.access_token, email, password)
    await desk.api.get_profile(login.access_token)
    refreshed = await desk.api.refresh_customer_token(
        anonymous.access_token, login.refresh_token or ""
    )
    await desk.api.logout(refreshed.access_token)
    secrets = {
        password,
        token.access_token,
        anonymous.access_token,
        anonymous.refresh_token,
        login.access_token,
        login.refresh_token,
        login.saas_token,
        refreshed.access_token,
        refreshed.refresh_token,
    } - {None, ""}
    assert len(secrets) >= 7

    document = build_har(desk.traces, creator="Account Desk", version="0.1.0")
    text = har_text(desk.traces, creator="Account Desk", version="0.1.0")
    assert json.loads(text) == document
    assert_valid_har(document, entries=len(desk.traces))
    commands = "\n".join(as_curl(event) for event in desk.traces)
    for secret in secrets:
        assert secret not in text
        assert secret not in commands

    # Placeholders where the secrets were: the password, the bearer token, the logout query.
    (login_entry,) = [
        entry for entry in document["log"]["entries"] if entry["request"]["url"].endswith("/login")
    ]
    assert json.loads(login_entry["request"]["postData"]["text"])["password"] == MASK
    assert login_entry["response"]["status"] == 200
    assert login_entry["response"]["statusText"] == "OK"
    assert login_entry["response"]["content"]["mimeType"] == "application/json"
    profile_call = next(event for event in desk.traces if event.path.endswith("/me"))
    assert f"authorization: Bearer {MASK}" in as_curl(profile_call)
    logout_entry = document["log"]["entries"][-1]
    assert {"name": "accessToken", "value": MASK} in logout_entry["request"]["queryString"]


def test_curl_is_one_shell_command_that_sends_the_same_request() -> None:
    event = TraceEvent(
        method="POST",
        path="/customer/demo/login",
        status=401,
        duration_ms=12.5,
        request_body='{"email": "o\'brien@example.com", "password": "***"}',
        response_body='{"message": "no"}',
        error=None,
        request_headers={
            "host": "127.0.0.1:8765",
            "content-length": "52",
            "accept-encoding": "gzip",
            "content-type": "application/json",
            "authorization": "Bearer ***",
        },
        origin="http://127.0.0.1:8765",
    )
    command = as_curl(event)
    # The shell sees exactly these words (quotes in the body survive).
    words = shlex.split(command.replace("\\\n", ""))
    assert words[:4] == ["curl", "-X", "POST", "http://127.0.0.1:8765/customer/demo/login"]
    assert words[words.index("--data-raw") + 1] == event.request_body
    headers = [words[i + 1] for i, word in enumerate(words) if word == "-H"]
    assert headers == ["content-type: application/json", "authorization: Bearer ***"]


def test_a_request_without_an_answer_is_an_entry_with_status_0() -> None:
    event = TraceEvent(
        method="GET",
        path="/customer/demo/me",
        status=None,
        duration_ms=3.0,
        request_body=None,
        response_body=None,
        error=str(NetworkError("Could not connect to 127.0.0.1:9.")),
        origin="http://127.0.0.1:9",
    )
    document = build_har([event], creator="Account Desk", version="0.1.0")
    assert_valid_har(document, entries=1)
    (entry,) = document["log"]["entries"]
    assert entry["response"]["status"] == 0
    assert entry["response"]["content"] == {"size": 0, "mimeType": "x-unknown", "text": ""}
    assert entry["comment"] == "Could not connect to 127.0.0.1:9."
    assert "postData" not in entry["request"]
    assert as_curl(event) == "curl -X GET http://127.0.0.1:9/customer/demo/me"
