"""Turning error answers into the typed exception hierarchy."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from accountdesk.api import (
    AccountDeskError,
    ApiError,
    BadRequestError,
    ConflictError,
    EmailTakenError,
    FieldError,
    ForbiddenError,
    InvalidCodeError,
    InvalidTokenError,
    NotActivatedError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TokenError,
    TokenExpiredError,
    UnauthorizedError,
    VersionConflictError,
)
from accountdesk.api.errors import error_from_response, parse_retry_after


def _error(status: int, body: object, headers: dict[str, str] | None = None) -> ApiError:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return error_from_response(status, headers or {}, raw)


def _gateway_fault(faultstring: str, errorcode: str) -> ApiError:
    """What the API gateway answers for a bad bearer token: 401 with a `fault` body."""
    return _error(401, {"fault": {"faultstring": faultstring, "detail": {"errorcode": errorcode}}})


def test_error_message_body_with_field_details() -> None:
    error = _error(
        400,
        {
            "status": 400,
            "type": "bad_request",
            "message": "Validation failed",
            "details": [
                {
                    "field": "customerAddress.country",
                    "type": "invalid_value",
                    "message": "must be 2 letters",
                },
                {"field": "password", "type": "invalid_value", "message": "Too short."},
                {"field": "", "type": "missing_value", "message": "general"},
            ],
        },
    )
    assert isinstance(error, BadRequestError)
    assert error.status == 400
    assert error.type == "bad_request"
    assert str(error) == "Validation failed."
    assert error.details[0] == FieldError(
        "customerAddress.country", "invalid_value", "Must be 2 letters."
    )
    assert error.field_errors == {
        "customerAddress.country": "Must be 2 letters.",
        "password": "Too short.",
    }


@pytest.mark.parametrize(
    ("status", "body_type", "cls"),
    [
        (401, "invalid_credentials", UnauthorizedError),
        (403, "account_not_activated", NotActivatedError),
        (403, "forbidden", ForbiddenError),
        (400, "invalid_token", InvalidCodeError),
        (400, "invalid_field", BadRequestError),
        (404, "resource_not_found", NotFoundError),
        (409, "conflict_resource", ConflictError),
        (500, "internal_error", ServerError),
        (503, "unavailable", ServerError),
    ],
)
def test_status_selects_the_class(status: int, body_type: str, cls: type[ApiError]) -> None:
    error = _error(status, {"status": status, "type": body_type, "message": "Something."})
    assert type(error) is cls
    assert error.type == body_type
    assert error.message == "Something."


def test_wrong_credentials_are_not_a_token_problem() -> None:
    error = _error(
        401, {"status": 401, "type": "invalid_credentials", "message": "Invalid email or password."}
    )
    assert isinstance(error, UnauthorizedError)
    assert not isinstance(error, TokenError)


def test_gateway_fault_for_an_invalid_token() -> None:
    error = _gateway_fault("Invalid access token", "oauth.v2.InvalidAccessToken")
    assert type(error) is InvalidTokenError
    assert isinstance(error, UnauthorizedError)
    assert error.type == "oauth.v2.InvalidAccessToken"
    assert "Invalid access token" in str(error)


def test_gateway_fault_for_an_expired_token() -> None:
    error = _gateway_fault("Access Token expired", "keymanagement.service.access_token_expired")
    assert type(error) is TokenExpiredError
    assert error.type == "keymanagement.service.access_token_expired"
    assert str(error).endswith(".")


def test_spec_forbidden_example_type_is_normalised_to_lowercase() -> None:
    error = _error(403, {"type": "Forbidden", "status": 403, "message": "User not authorized."})
    assert isinstance(error, ForbiddenError)
    assert error.type == "forbidden"


def test_rate_limit_with_retry_after_seconds() -> None:
    error = _error(
        429,
        {"status": 429, "type": "too_many_requests", "message": "Too many failed logins."},
        {"Retry-After": "30"},
    )
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 30.0
    assert str(error) == "Too many failed logins. Try again in 30 seconds."


def test_rate_limit_without_retry_after() -> None:
    error = _error(429, b"")
    assert isinstance(error, RateLimitedError)
    assert error.retry_after is None
    assert str(error) == "The server rejected the request (429 Too Many Requests)."


def test_retry_after_as_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:45 GMT", now=now) == 45.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "nan", "inf"])
def test_unusable_retry_after_is_none(value: str | None) -> None:
    assert parse_retry_after(value) is None


@pytest.mark.parametrize(
    ("status", "cls", "message"),
    [
        (502, ServerError, "The server failed to handle the request (502 Bad Gateway)."),
        (404, NotFoundError, "The server rejected the request (404 Not Found)."),
        (401, UnauthorizedError, "The server rejected the request (401 Unauthorized)."),
    ],
)
def test_html_error_pages_still_get_the_status_class(
    status: int, cls: type[ApiError], message: str
) -> None:
    error = _error(status, b"<html><body><h1>Oops</h1></body></html>")
    assert type(error) is cls
    assert str(error) == message


def test_unexpected_status_is_a_plain_api_error() -> None:
    error = _error(418, {"message": "no coffee"})
    assert type(error) is ApiError
    assert error.status == 418
    assert str(error) == "No coffee."


def test_json_that_is_not_an_object_falls_back_to_the_status() -> None:
    error = _error(400, [1, 2, 3])
    assert isinstance(error, BadRequestError)
    assert error.details == []
    assert "400 Bad Request" in str(error)


def test_repr_names_class_status_and_type() -> None:
    error = _error(409, {"status": 409, "type": "conflict_resource", "message": "Duplicate."})
    assert (
        repr(error) == "ConflictError(status=409, type='conflict_resource', message='Duplicate.')"
    )


def test_rate_limit_message_that_already_says_when_is_not_repeated() -> None:
    error = _error(
        429,
        {
            "status": 429,
            "type": "too_many_requests",
            "message": "Slow down. Try again in 60 seconds.",
        },
        {"Retry-After": "60"},
    )
    assert str(error) == "Slow down. Try again in 60 seconds."


def test_several_messages_for_one_field_are_joined() -> None:
    error = _error(
        400,
        {
            "status": 400,
            "type": "bad_request",
            "message": "Invalid.",
            "details": [
                {"field": "password", "type": "invalid_value", "message": "Too short"},
                {"field": "password", "type": "invalid_value", "message": "Too common"},
            ],
        },
    )
    assert error.field_errors == {"password": "Too short. Too common."}


@pytest.mark.parametrize("conflict", [EmailTakenError, VersionConflictError])
def test_a_409_becomes_the_conflict_class_the_operation_names(
    conflict: type[ConflictError],
) -> None:
    body = json.dumps({"status": 409, "type": "conflict_resource", "message": "Taken."}).encode()
    error = error_from_response(409, {}, body, conflict=conflict)
    assert type(error) is conflict
    assert error.code == "conflict_resource"
    assert error.params["status"] == "409"


def test_every_api_error_is_an_account_desk_error_with_a_code() -> None:
    error = _error(429, {"status": 429, "type": "too_many_requests"}, {"Retry-After": "7.2"})
    assert isinstance(error, AccountDeskError)
    assert error.code == "too_many_requests"
    assert error.params["retry_after"] == "8"
