"""The wording of request failures on the forms (no app needed)."""

from __future__ import annotations

import pytest

from accountdesk.api import (
    ApiError,
    ForbiddenError,
    InvalidTokenError,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    UnauthorizedError,
)
from accountdesk.session import SessionExpiredError
from accountdesk.tui.context import BackendNotReadyError
from accountdesk.tui.widgets.form_field import failure_message

BASE_URL = "https://api.example.com/path"


@pytest.mark.parametrize("error", [NetworkError("connection refused"), RequestTimeout("timed out")])
def test_no_answer_names_the_host(error: ApiError) -> None:
    assert failure_message(error, BASE_URL) == (
        "Can't reach the server at api.example.com. Check your connection and try again."
    )


def test_no_answer_before_the_url_is_known() -> None:
    assert failure_message(NetworkError("down"), None) == (
        "Can't reach the server. Check your connection and try again."
    )


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [(42.0, "Wait 42 seconds"), (0.2, "Wait 1 second,"), (None, "Wait a few minutes")],
)
def test_throttling_says_how_long_to_wait(retry_after: float | None, wait: str) -> None:
    error = RateLimitedError("Too many failed logins.", retry_after=retry_after)
    message = failure_message(error, BASE_URL)
    assert message.startswith("Too many attempts.")
    assert wait in message


def test_wrong_credentials_do_not_say_which_was_wrong() -> None:
    error = UnauthorizedError("Invalid email or password.", status=401, type="invalid_credentials")
    assert failure_message(error, BASE_URL) == "Email or password is incorrect."


def test_a_token_problem_is_not_called_a_wrong_password() -> None:
    error = InvalidTokenError("Invalid access token", status=401)
    assert failure_message(error, BASE_URL) == "Invalid access token"


def test_not_activated() -> None:
    error = ForbiddenError("Not activated.", status=403, type="account_not_activated")
    assert failure_message(error, BASE_URL).startswith("This account isn't activated yet.")


def test_other_forbidden_uses_the_server_sentence() -> None:
    error = ForbiddenError("User not authorized.", status=403, type="forbidden")
    assert failure_message(error, BASE_URL) == "User not authorized."


def test_session_expired_and_not_connected() -> None:
    assert failure_message(SessionExpiredError(), BASE_URL) == (
        "Your session expired. Log in again to continue."
    )
    assert failure_message(BackendNotReadyError(), BASE_URL) == (
        "Still connecting to the server; try again in a moment."
    )


@pytest.mark.parametrize(
    "error",
    [ServerError("Internal error.", status=500), MalformedResponseError("Not JSON.", status=200)],
)
def test_server_trouble(error: ApiError) -> None:
    message = failure_message(error, BASE_URL)
    assert message.startswith("The server had a problem (")
    assert message.endswith("Try again in a moment.")
