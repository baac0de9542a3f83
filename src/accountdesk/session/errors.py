"""Errors raised by the session layer: the session ended, or there is no backend yet.

Both are `AccountDeskError`s, like the API client's `ApiError`, so a user interface catches one
base class and words the error from its ``code``.
"""

from __future__ import annotations

from accountdesk.api.errors import AccountDeskError


class SessionExpiredError(AccountDeskError):
    """The customer session ended and could not be renewed; the user must log in again.

    Deliberately not an `ApiError`: callers handle it as a state change ("you were logged
    out"), not as a failed request to retry.
    """

    def __init__(
        self,
        message: str = "Your session has expired. Please log in again.",
        *,
        code: str = "session_expired",
    ) -> None:
        super().__init__(message, code=code)


class NotLoggedInError(SessionExpiredError):
    """A customer-only operation was requested while no customer is logged in.

    A `SessionExpiredError` subclass so one ``except`` sends the user to the login screen.
    """

    def __init__(self, message: str = "You are not logged in.") -> None:
        super().__init__(message, code="not_logged_in")


class BackendNotReadyError(AccountDeskError):
    """An action needed the backend before it answered (still connecting, or it failed)."""

    def __init__(self, *, failed: bool = False) -> None:
        if failed:
            super().__init__("Not connected to the server.", code="backend_failed")
        else:
            super().__init__("Still connecting to the server.", code="backend_connecting")
