"""Session state and the events the manager publishes to the UI."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

_log = logging.getLogger(__name__)


class SessionState(enum.Enum):
    """Whether a customer is logged in (an anonymous token is always available on demand)."""

    ANONYMOUS = "anonymous"
    LOGGED_IN = "logged_in"


class LogoutReason(enum.Enum):
    """Why the customer session ended; the UI words its message after this."""

    USER = "user"
    """The customer logged out."""
    EXPIRED = "expired"
    """The session could not be refreshed (refresh token expired, rotated away or revoked)."""
    DELETED = "deleted"
    """The customer deleted their account."""


@dataclass(frozen=True, slots=True)
class LoggedIn:
    """A customer session started (login, opt-in confirmation, social login or resume)."""

    email: str | None


@dataclass(frozen=True, slots=True)
class LoggedOut:
    """The customer session ended."""

    reason: LogoutReason


@dataclass(frozen=True, slots=True)
class EmailChanged:
    """The logged-in customer's login email changed (an email change was confirmed)."""

    email: str


SessionEvent = LoggedIn | LoggedOut | EmailChanged
SessionListener = Callable[[SessionEvent], None]


class Subscribers:
    """A list of listeners; a failing listener is logged and never breaks the session flow."""

    def __init__(self) -> None:
        self._listeners: list[SessionListener] = []

    def subscribe(self, listener: SessionListener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            # Idempotent: a screen may unsubscribe on unmount after the app already did.
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: SessionEvent) -> None:
        # Iterate over a copy: a listener may unsubscribe itself while handling the event.
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                # A UI bug in one listener must not leave the session half-updated.
                _log.exception("session listener failed on %s", type(event).__name__)
