"""The Account Desk app: composes the backend, the navigation and the app-wide keys.

`tui/backend.py` owns the connection (embedded sandbox, token store, session, health);
`tui/navigation.py` owns where the user is (the "auth" and "account" screen stacks, the
re-login overlay, the way back to the login screen). This module wires them to Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath
from typing import ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from accountdesk.api import TraceEvent
from accountdesk.api.sandbox_extras import is_loopback_sandbox
from accountdesk.session import (
    AccountService,
    Environment,
    LoggedOut,
    LogoutReason,
    SessionEvent,
    SessionExpiredError,
    SessionManager,
    Settings,
    StoreNotice,
    TokenStore,
    choose_token_store,
)
from accountdesk.tui import i18n, preferences
from accountdesk.tui.backend import Backend
from accountdesk.tui.commands import BoundActionsProvider
from accountdesk.tui.context import BackendState
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.key_order import KeysInOrderApp
from accountdesk.tui.messages import ApiCallLogged, SessionEventReceived, WorkerFailed
from accountdesk.tui.navigation import (
    ACCOUNT_MODE,
    AUTH_MODE,
    SESSION_EXPIRED_REASON,
    Navigator,
    mode_roots,
)
from accountdesk.tui.paths import stylesheets
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.widgets.api_log import ApiLogPanel
from accountdesk.tui.wording import (
    UNEXPECTED_FAILURE_TITLE,
    describe,
    with_reconnect_advice,
)

__all__ = ["ACCOUNT_MODE", "AUTH_MODE", "SESSION_EXPIRED_REASON", "AccountDeskApp", "known_themes"]

_log = logging.getLogger(__name__)

# How long closing waits for a mode switch in flight (mounting takes milliseconds).
SWITCH_FINISH_SECONDS = 5.0

# Light/dark partners; any other theme toggles to the textual pair by its darkness.
_THEME_PARTNERS = {
    "textual-dark": "textual-light",
    "textual-light": "textual-dark",
    "ansi-dark": "ansi-light",
    "ansi-light": "ansi-dark",
}


class AccountDeskApp(KeysInOrderApp[int]):
    """Paints the login screen at once, then connects (starting the sandbox if needed)."""

    TITLE = N_("Account Desk")
    CSS_PATH: ClassVar[list[str | PurePath]] = [*stylesheets()]
    MODES: ClassVar[dict[str, str | Callable[[], Screen[object]]]] = dict(mode_roots())
    COMMANDS = App.COMMANDS | {BoundActionsProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f2",
            "toggle_api_log",
            N_("API log"),
            tooltip=N_("Show or hide every API request of this session, bodies redacted."),
            id="toggle-api-log",
            priority=True,
        ),
        Binding(
            "f4",
            "clear_api_log",
            N_("Clear log"),
            tooltip=N_("Empty the API log, e.g. before demonstrating the next flow."),
            id="clear-api-log",
            priority=True,
        ),
        Binding(
            "ctrl+t",
            "toggle_dark",
            N_("Light/dark"),
            tooltip=N_("Switch between the light and the dark theme."),
            id="toggle-theme",
            priority=True,
        ),
        Binding(
            "f3",
            "open_mailbox",
            N_("Mailbox"),
            tooltip=N_("Open the sandbox mailbox: the emails the sandbox sent."),
            id="open-mailbox",
            priority=True,
        ),
        Binding(
            "ctrl+l",
            "logout",
            N_("Log out"),
            tooltip=N_("End the session on the server and forget it on this device."),
            id="logout",
            priority=True,
        ),
        Binding(
            "f5",
            "reconnect",
            N_("Reconnect"),
            tooltip=N_("Connect to the server again (a stopped embedded sandbox is restarted)."),
            id="reconnect",
            priority=True,
            # Always available (and in the palette); not in the footer: the status line says
            # "Press F5 to reconnect" when that is what helps.
            show=False,
        ),
        Binding(
            "ctrl+q",
            "quit",
            N_("Quit"),
            tooltip=N_("Quit Account Desk (the embedded sandbox stops too)."),
            id="quit",
            priority=True,
        ),
    ]

    backend_state: reactive[BackendState] = reactive[BackendState]("connecting")
    connection_problem: reactive[str | None] = reactive[str | None](None)
    """Why the backend is not connected, when more is known than "not connected"."""
    base_url: reactive[str | None] = reactive[str | None](None)
    customer_email: reactive[str | None] = reactive[str | None](None)
    store_remembers: reactive[bool] = reactive(False)
    store_notice: reactive[StoreNotice | None] = reactive[StoreNotice | None](None)
    show_api_log: reactive[bool] = reactive(False)
    sandbox_detected: reactive[bool] = reactive(False)
    """A separately started sandbox answers at the configured loopback ``base_url``."""

    def __init__(
        self,
        settings: Settings,
        environment: Environment,
        *,
        token_store: TokenStore | None = None,
        store_notice: StoreNotice | None = None,
    ) -> None:
        # Before anything is composed: every widget built from now on speaks it.
        i18n.use_language(i18n.choose_language(settings.language))
        super().__init__()
        self.settings = settings
        self._environment = environment
        self._api_log: list[TraceEvent] = []
        self.backend = Backend(
            self,
            settings,
            environment,
            token_store=token_store,
            store_notice=store_notice,
            choose_store=choose_token_store,
            probe_sandbox=is_loopback_sandbox,
        )
        self._navigation = Navigator(self)
        self.theme = preferences.starting_theme(settings)
        self.base_url = environment.base_url

    # -- what screens use (see tui/context.py) ---------------------------------------------

    @property
    def session(self) -> SessionManager:
        return self.backend.session

    @property
    def account(self) -> AccountService:
        return self.backend.account

    @property
    def logged_in(self) -> bool:
        return self.backend.logged_in

    @property
    def navigation(self) -> Navigator:
        return self._navigation

    @property
    def environment(self) -> Environment:
        return self._environment

    @property
    def is_sandbox(self) -> bool:
        return self._environment.base_url is None or self.sandbox_detected

    @property
    def api_log(self) -> list[TraceEvent]:
        return self._api_log

    @property
    def sandbox_pid(self) -> int | None:
        """The embedded sandbox's process id while it runs."""
        return self.backend.sandbox_pid

    # -- lifecycle -------------------------------------------------------------------------

    async def on_mount(self) -> None:
        self.set_keymap(self.settings.keymap)
        await self._navigation.start()
        # Saved from now on: the theme chosen (ctrl+t or the palette) is the next start's.
        self.watch(self, "theme", preferences.remember_theme, init=False)
        self.connect()

    async def on_unmount(self) -> None:
        await self.backend.close()

    async def _shutdown(self) -> None:
        # Textual closes the app by walking the mode stacks and pruning their screens. A mode
        # switch in flight finishes first (or stops at its next step, once the message loop
        # ended): no screen is pruned half-mounted, no stack is added or removed during that
        # walk. Textual has no public hook that runs before it, in tests and in real runs.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SWITCH_FINISH_SECONDS):
                await self._navigation.wait_idle()
        await super()._shutdown()

    @work(exclusive=True, group="connect", exit_on_error=False, description="Connecting")
    async def connect(self) -> None:
        await self.backend.connect()

    def log_api_call(self, event: TraceEvent) -> None:
        """Keep ``event`` for the API log and show it in open panels."""
        self._api_log.append(event)
        for screen in self.screen_stack:
            for panel in screen.query(ApiLogPanel):
                panel.post_message(ApiCallLogged(event))

    # -- failures nobody handled -----------------------------------------------------------

    @on(Worker.StateChanged)
    def _app_worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(WorkerFailed(event.worker))

    @on(WorkerFailed)
    def _report_worker_failure(self, message: WorkerFailed) -> None:
        """Every worker that ended in an exception (any group, app or screen) lands here.

        Expected failures are handled inside the workers; what arrives here is a bug or an
        unforeseen condition. It is logged with its traceback and shown in words, and a
        failed connect does not leave the status line saying "connecting…" forever.
        """
        worker = message.worker
        error = worker.error or RuntimeError("the worker failed without an exception")
        _log.error("worker %r (group %r) failed", worker.description, worker.group, exc_info=error)
        if isinstance(error, SessionExpiredError):
            return  # the re-login overlay already says so
        text = describe(error, self.base_url)
        if worker.group == "connect":
            self.backend_state = "failed"
            text = with_reconnect_advice(f"Could not connect. {text}")
        self.notify(text, title=UNEXPECTED_FAILURE_TITLE, severity="error", markup=False)

    # -- session events --------------------------------------------------------------------

    def forward_session_event(self, event: SessionEvent) -> None:
        # Published from inside session calls; route it through the queue, not re-entrantly.
        self.post_message(SessionEventReceived(event))

    @on(SessionEventReceived)
    def _follow_session(self, message: SessionEventReceived) -> None:
        event = message.event
        if isinstance(event, LoggedOut) and event.reason is LogoutReason.DELETED:
            self.forget_api_log_bodies()
        self._navigation.follow_session(event)

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_mailbox":
            return self.is_sandbox
        if action == "logout":
            return self.logged_in
        if action == "clear_api_log":
            return self.show_api_log
        return True

    def action_toggle_api_log(self) -> None:
        self.show_api_log = not self.show_api_log

    def watch_show_api_log(self) -> None:
        self.refresh_bindings()

    def action_clear_api_log(self) -> None:
        # A new list, not cleared in place: panels notice the change of identity.
        self._api_log = []
        for screen in self.screen_stack:
            for panel in screen.query(ApiLogPanel):
                panel.clear()

    def forget_api_log_bodies(self) -> None:
        """Blank every request and response body logged so far (method, path, status stay).

        After an account deletion nothing of that customer may stay on this device. The log
        cannot tell whose data an anonymous call carried (sign-up, login, reset), so every
        body goes. A new list, like `action_clear_api_log`: panels rebuild from it.
        """
        self._api_log = [
            replace(event, request_body=None, response_body=None) for event in self._api_log
        ]
        for screen in self.screen_stack:
            for panel in screen.query(ApiLogPanel):
                panel.sync()

    def action_toggle_dark(self) -> None:
        partner = _THEME_PARTNERS.get(self.theme)
        if partner is None:
            partner = "textual-light" if self.current_theme.dark else "textual-dark"
        self.theme = partner

    def action_open_mailbox(self) -> None:
        # Imported here: the mailbox is a sandbox-only extra, not worth paying for at startup.
        from accountdesk.tui.screens.mailbox import MailboxScreen

        if isinstance(self.screen, MailboxScreen):
            self.pop_screen()
        else:
            self.push_screen(MailboxScreen())

    def action_logout(self) -> None:
        self.push_screen(
            ConfirmScreen(
                _("Log out?"),
                detail=_("Your session ends on the server and is forgotten on this device."),
                confirm_label=_("Log out"),
            ),
            self._logout_if_confirmed,
        )

    def _logout_if_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self.log_out()

    @work(exclusive=True, group="logout", exit_on_error=False, description="Logging out")
    async def log_out(self) -> None:
        # SessionManager.logout never raises on network errors; the LoggedOut event routes us.
        await self.account.log_out()

    def action_reconnect(self) -> None:
        # Always offered: connected or not, it connects again (and restarts a dead sandbox).
        self.connect()

    def watch_backend_state(self, state: BackendState) -> None:
        if state != "failed":
            self.connection_problem = None
        self.refresh_bindings()

    def watch_sandbox_detected(self) -> None:
        self.refresh_bindings()


def known_themes() -> set[str]:
    """Names accepted by ``--theme`` and the ``theme`` setting."""
    from textual.theme import BUILTIN_THEMES

    return set(BUILTIN_THEMES)
