"""What screens may ask of the app, without importing the app module (no import cycles).

Screens call ``account_of(self)`` for the `AccountService` (every user action),
``session_of(self)`` for who is logged in, and ``services_of(self)`` for the rest. The values
that change after the first paint (``backend_state``, ``store_remembers``,
``store_notice``, ``customer_email``) are reactives on the app: watch them with
``self.watch(self.app, "store_remembers", callback)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from accountdesk.api import TraceEvent
    from accountdesk.session import AccountService, Environment, SessionManager, StoreNotice
    from accountdesk.session.config import KioskOptions
    from accountdesk.tui.navigation import Navigator

BackendState = Literal["connecting", "ready", "failed"]


class AppServices(Protocol):
    """The part of `AccountDeskApp` that screens and widgets rely on."""

    @property
    def session(self) -> SessionManager:
        """The session manager; raises `BackendNotReadyError` until the backend is ready."""
        ...

    @property
    def account(self) -> AccountService:
        """Every user action; raises `BackendNotReadyError` until the backend is ready."""
        ...

    @property
    def environment(self) -> Environment:
        """The environment as configured (``base_url`` None for the embedded sandbox)."""
        ...

    @property
    def is_sandbox(self) -> bool:
        """True for the embedded sandbox or a sandbox found at a loopback ``base_url``.

        The mailbox exists only there.
        """
        ...

    @property
    def logged_in(self) -> bool:
        """True while a customer session is live (False while connecting)."""
        ...

    @property
    def navigation(self) -> Navigator:
        """Mode switches, the re-login overlay and the way back to the login screen."""
        ...

    @property
    def api_log(self) -> list[TraceEvent]:
        """Every API request of this run, oldest first (bodies already redacted)."""
        ...

    @property
    def kiosk_options(self) -> KioskOptions | None:
        """How the kiosk behaves in kiosk mode (a shared terminal); None otherwise."""
        ...

    @property
    def base_url(self) -> str | None:
        """The backend's URL, once known (None while the embedded sandbox starts)."""
        ...

    backend_state: BackendState
    connection_problem: str | None
    store_remembers: bool
    store_notice: StoreNotice | None
    customer_email: str | None
    show_api_log: bool
    sandbox_detected: bool


def services_of(node: DOMNode) -> AppServices:
    """The running Account Desk app, typed by what screens may use."""
    return cast("AppServices", node.app)


def session_of(node: DOMNode) -> SessionManager:
    """The session manager; raises `BackendNotReadyError` while still connecting."""
    return services_of(node).session


def account_of(node: DOMNode) -> AccountService:
    """The account service; raises `BackendNotReadyError` while still connecting."""
    return services_of(node).account
