"""The wording of failures and notices: one table in the TUI turns codes into sentences."""

from __future__ import annotations

import pytest

from accountdesk.api import (
    ApiError,
    EmailTakenError,
    ForbiddenError,
    InvalidCodeError,
    InvalidTokenError,
    MalformedResponseError,
    NetworkError,
    NotActivatedError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    UnauthorizedError,
    VersionConflictError,
)
from accountdesk.session import BackendNotReadyError, SessionExpiredError, StoreNotice
from accountdesk.tui.wording import describe, plural, store_notice_text

BASE_URL = "https://api.example.com/path"


@pytest.mark.parametrize(
    "error",
    [
        NetworkError("connection refused", type="network_error"),
        RequestTimeout("connect timed out", type="connect_timeout", params={"server": "x:1"}),
    ],
)
def test_no_answer_names_the_host(error: ApiError) -> None:
    assert describe(error, BASE_URL) == (
        "Can't reach the server at api.example.com. Check your connection and try again."
    )


def test_a_slow_answer_is_not_called_unreachable() -> None:
    # The server was reached: it took too long, which "check your connection" would misread.
    error = RequestTimeout("x:1 did not answer in time.", type="timeout", params={"server": "x:1"})
    assert describe(error, BASE_URL) == (
        "The server at api.example.com took too long to answer. Try again in a moment."
    )
    assert describe(error, None) == (
        "The server at x:1 took too long to answer. Try again in a moment."
    )
    assert describe(RequestTimeout("slow", type="timeout"), None) == (
        "The server took too long to answer. Try again in a moment."
    )


def test_no_answer_before_the_url_is_known_names_the_client_s_server() -> None:
    error = NetworkError("down", params={"server": "127.0.0.1:9"})
    assert describe(error, None) == (
        "Can't reach the server at 127.0.0.1:9. Check your connection and try again."
    )
    assert describe(NetworkError("down"), None) == (
        "Can't reach the server. Check your connection and try again."
    )


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [(42.0, "Wait 42 seconds,"), (0.2, "Wait 1 second,"), (None, "Wait a few minutes")],
)
def test_throttling_says_how_long_to_wait(retry_after: float | None, wait: str) -> None:
    error = RateLimitedError("Too many failed logins.", retry_after=retry_after)
    message = describe(error, BASE_URL)
    assert message.startswith("Too many attempts.")
    assert wait in message


def test_wrong_credentials_do_not_say_which_was_wrong() -> None:
    error = UnauthorizedError("Invalid email or password.", status=401, type="invalid_credentials")
    assert describe(error, BASE_URL) == "Email or password is incorrect."


def test_a_token_problem_is_not_called_a_wrong_password() -> None:
    error = InvalidTokenError("Invalid access token", status=401)
    assert describe(error, BASE_URL) == "Invalid access token."


def test_typed_errors_have_their_own_words() -> None:
    assert describe(NotActivatedError("x", status=403, type="account_not_activated")).startswith(
        "This account isn't activated yet."
    )
    assert describe(InvalidCodeError("x", status=400, type="invalid_token")).startswith(
        "This code is not valid"
    )
    assert describe(EmailTakenError("Duplicate account 'a@b.c'.", status=409)) == (
        "An account with this email already exists."
    )
    assert "changed elsewhere" in describe(VersionConflictError("Stale.", status=409))


def test_other_forbidden_has_its_own_words() -> None:
    error = ForbiddenError("User not authorized.", status=403, type="forbidden")
    assert describe(error, BASE_URL) == "The server does not allow this for your account."


def test_session_expired_and_not_connected() -> None:
    assert describe(SessionExpiredError(), BASE_URL) == (
        "Your session expired. Log in again to continue."
    )
    assert describe(BackendNotReadyError(), BASE_URL) == (
        "Still connecting to the server; try again in a moment."
    )
    assert describe(BackendNotReadyError(failed=True)) == (
        "Not connected to the server. Press F5 to reconnect."
    )


@pytest.mark.parametrize(
    "error",
    [ServerError("Internal error.", status=500), MalformedResponseError("Not JSON.", status=200)],
)
def test_server_trouble_is_one_sentence(error: ApiError) -> None:
    assert describe(error, BASE_URL) == "The server had a problem. Try again in a moment."


def test_something_that_is_not_ours_is_named_by_its_kind_only() -> None:
    assert describe(ValueError("secret-ish detail")) == "Something went wrong: ValueError."


def test_store_notices_say_how_to_turn_remember_me_on() -> None:
    assert "Kiosk" in store_notice_text(StoreNotice.KIOSK)
    assert '"memory"' in store_notice_text(StoreNotice.MEMORY_CONFIGURED)
    no_keyring = store_notice_text(StoreNotice.NO_KEYRING)
    assert 'token_store = "file"' in no_keyring
    assert "ACCOUNTDESK_TOKEN_STORE=file" in no_keyring


def test_plural_picks_the_form_by_count() -> None:
    assert plural(1, "{n} message", "{n} messages") == "1 message"
    assert plural(0, "{n} message", "{n} messages") == "0 messages"
    assert plural(3, "{n} message", "{n} messages") == "3 messages"
