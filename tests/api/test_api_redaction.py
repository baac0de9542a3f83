"""Secrets never reach traces: bodies, query strings, paths and headers."""

from __future__ import annotations

import json

import pytest

from accountdesk.api.redaction import (
    MASK,
    is_secret_key,
    redact_body,
    redact_headers,
    redact_path,
    redact_query,
)


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "currentPassword",
        "newPassword",
        "access_token",
        "refresh_token",
        "saas_token",
        "accessToken",
        "saasToken",
        "social_id_token",
        "subject_access_token",
        "token",
        "Authorization",
    ],
)
def test_secret_keys(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize(
    "key",
    ["email", "token_type", "expires_in", "refresh_token_expires_in", "initialPassword", "id"],
)
def test_harmless_keys(key: str) -> None:
    assert not is_secret_key(key)


def test_nested_json_bodies_are_redacted() -> None:
    body = json.dumps(
        {
            "email": "a@example.com",
            "password": "hunter22",
            "signup": {"email": "b@example.com", "password": "hunter33"},
            "list": [{"newPassword": "x1"}],
            "token_type": "Bearer",
            "initialPassword": False,
        }
    )
    redacted = redact_body(body)
    assert redacted is not None
    for secret in ("hunter22", "hunter33", "x1"):
        assert secret not in redacted
    assert json.loads(redacted) == {
        "email": "a@example.com",
        "password": MASK,
        "signup": {"email": "b@example.com", "password": MASK},
        "list": [{"newPassword": MASK}],
        "token_type": "Bearer",
        "initialPassword": False,
    }


def test_truncated_json_is_redacted_textually() -> None:
    redacted = redact_body(b'{"email": "a@b.c", "access_token": "abcdef", "refresh_token": "ghi')
    assert redacted is not None
    assert "abcdef" not in redacted
    assert "ghi" not in redacted
    assert '"email": "a@b.c"' in redacted


def test_long_bodies_are_shortened() -> None:
    redacted = redact_body("x" * 10_000)
    assert redacted is not None
    assert len(redacted) < 4100
    assert redacted.endswith("(6000 more characters)")


def test_empty_and_missing_bodies() -> None:
    assert redact_body(None) is None
    assert redact_body(b"") == ""


def test_query_parameters_carrying_credentials_are_masked() -> None:
    query = redact_query(
        [
            ("accessToken", "A"),
            ("refreshToken", "B"),
            ("refresh_token", "C"),
            ("subjectAccessToken", "D"),
            ("token", "E"),
            ("code", "F"),
            ("code_verifier", "G"),
            ("tenant", "demo"),
            ("redirect_uri", "http://localhost/cb"),
        ]
    )
    for secret in "ABCDEFG":
        assert f"={secret}" not in query
    assert "tenant=demo" in query
    assert "redirect_uri=http%3A%2F%2Flocalhost%2Fcb" in query


def test_opt_in_token_path_segment_is_masked() -> None:
    assert redact_path("/customer/demo/signup/optin/abc%2Fdef") == "/customer/demo/signup/optin/***"


def test_resend_activation_route_is_not_a_secret() -> None:
    path = "/customer/demo/signup/optin/refresh_token"
    assert redact_path(path) == path


def test_path_with_secret_query() -> None:
    redacted = redact_path("/customer/demo/logout?accessToken=SECRET")
    assert redacted == "/customer/demo/logout?accessToken=***"


def test_authorization_header_keeps_only_the_scheme() -> None:
    headers = redact_headers(
        {"Authorization": "Bearer SECRET", "saas-token": "JWT", "User-Agent": "accountdesk/1"}
    )
    assert headers == {
        "Authorization": "Bearer ***",
        "saas-token": MASK,
        "User-Agent": "accountdesk/1",
    }
