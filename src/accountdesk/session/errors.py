"""Errors raised by the session layer (distinct from the API client's `ApiError`)."""

from __future__ import annotations


class SessionExpiredError(Exception):
    """The customer session ended and could not be renewed; the user must log in again.

    Deliberately not an `ApiError`: callers handle it as a state change ("you were logged
    out"), not as a failed request to retry.
    """

    def __init__(self, message: str = "Your session has expired. Please log in again.") -> None:
        super().__init__(message)
        self.message = message


class NotLoggedInError(SessionExpiredError):
    """A customer-only operation was requested while no customer is logged in.

    A `SessionExpiredError` subclass so one ``except`` sends the user to the login screen.
    """

    def __init__(self, message: str = "You are not logged in.") -> None:
        super().__init__(message)
        self.message = message
