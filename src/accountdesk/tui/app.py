"""The Account Desk app: two screen stacks ("auth" and "account") around one session."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath
from typing import ClassVar

import platformdirs
from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from accountdesk.api import ApiError, TraceEvent, TransportError
from accountdesk.api.sandbox_extras import is_loopback_sandbox
from accountdesk.session import (
    AccountService,
    BackendNotReadyError,
    EmailChanged,
    Environment,
    LoggedIn,
    LoggedOut,
    LogoutReason,
    SessionEvent,
    SessionManager,
    SessionState,
    Settings,
    StoreNotice,
    TokenStore,
    choose_token_store,
    open_account,
)
from accountdesk.session.config import APP_NAME
from accountdesk.tui.commands import BoundActionsProvider
from accountdesk.tui.context import BackendState
from accountdesk.tui.embedded_sandbox import EmbeddedSandbox, SandboxStartError
from accountdesk.tui.key_order import KeysInOrderApp
from accountdesk.tui.messages import ApiCallLogged, SessionEventReceived
from accountdesk.tui.paths import stylesheets
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.widgets.api_log import ApiLogPanel
from accountdesk.tui.wording import RECONNECT_ADVICE, describe

SESSION_EXPIRED_REASON = "Your session expired. Log in again to continue."
AUTH_MODE = "auth"
ACCOUNT_MODE = "account"
_TRANSIT_MODE = "transit"
_MODE_ROOTS: dict[str, Callable[[], Screen[object]]] = {
    AUTH_MODE: LoginScreen,
    ACCOUNT_MODE: AccountScreen,
}
# Light/dark partners; any other theme toggles to the textual pair by its darkness.
_THEME_PARTNERS = {
    "textual-dark": "textual-light",
    "textual-light": "textual-dark",
    "ansi-dark": "ansi-light",
    "ansi-light": "ansi-dark",
}


class AccountDeskApp(KeysInOrderApp[int]):
    """Paints the login screen at once, then connects (starting the sandbox if needed)."""

    TITLE = "Account Desk"
    CSS_PATH: ClassVar[list[str | PurePath]] = [*stylesheets()]
    MODES: ClassVar[dict[str, str | Callable[[], Screen[object]]]] = dict(_MODE_ROOTS)
    COMMANDS = App.COMMANDS | {BoundActionsProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f2",
            "toggle_api_log",
            "API log",
            tooltip="Show or hide every API request of this session, bodies redacted.",
            id="toggle-api-log",
            priority=True,
        ),
        Binding(
            "f4",
            "clear_api_log",
            "Clear log",
            tooltip="Empty the API log, e.g. before demonstrating the next flow.",
            id="clear-api-log",
            priority=True,
        ),
        Binding(
            "ctrl+t",
            "toggle_dark",
            "Light/dark",
            tooltip="Switch between the light and the dark theme.",
            id="toggle-theme",
            priority=True,
        ),
        Binding(
            "f3",
            "open_mailbox",
            "Mailbox",
            tooltip="Open the sandbox mailbox: the emails the sandbox sent.",
            id="open-mailbox",
            priority=True,
        ),
        Binding(
            "ctrl+l",
            "logout",
            "Log out",
            tooltip="End the session on the server and forget it on this device.",
            id="logout",
            priority=True,
        ),
        Binding(
            "f5",
            "reconnect",
            "Reconnect",
            tooltip="Try to reach the server (or start the sandbox) again.",
            id="reconnect",
            priority=True,
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Quit Account Desk (the embedded sandbox stops too).",
            id="quit",
            priority=True,
        ),
    ]

    backend_state: reactive[BackendState] = reactive[BackendState]("connecting")
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
        super().__init__()
        self.settings = settings
        self._environment = environment
        self._token_store = token_store
        self._initial_store_notice = store_notice
        self._session: SessionManager | None = None
        self._account: AccountService | None = None
        self._sandbox: EmbeddedSandbox | None = None
        self._api_log: list[TraceEvent] = []
        # The customer whose session expired, while the re-login screen is up.
        self._reauthenticating: str | None = None
        self._expired_pending = False
        self.theme = settings.theme
        self.base_url = environment.base_url

    # -- what screens use (see tui/context.py) ---------------------------------------------

    @property
    def session(self) -> SessionManager:
        if self._session is None:
            raise BackendNotReadyError(failed=self.backend_state == "failed")
        return self._session

    @property
    def account(self) -> AccountService:
        if self._account is None:
            raise BackendNotReadyError(failed=self.backend_state == "failed")
        return self._account

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
        return self._sandbox.pid if self._sandbox is not None else None

    # -- lifecycle -------------------------------------------------------------------------

    async def on_mount(self) -> None:
        self.set_keymap(self.settings.keymap)
        await self._show_fresh_mode(AUTH_MODE)
        self.connect()

    async def on_unmount(self) -> None:
        if self._session is not None:
            await self._session.aclose()
        if self._sandbox is not None:
            await self._sandbox.stop()

    @work(exclusive=True, group="connect", exit_on_error=False, description="Connecting")
    async def connect(self) -> None:
        """Start the sandbox if needed, choose the token store, then say hello to the backend."""
        self.backend_state = "connecting"
        base_url = self._environment.base_url
        if base_url is None:
            base_url = await self._start_sandbox()
            if base_url is None:
                return
        if self._session is not None and self.base_url != base_url:
            # A restarted sandbox listens on a new port: the old client points nowhere.
            await self._session.aclose()
            self._session = self._account = None
        if self._session is None:
            store = self._token_store
            notice = self._initial_store_notice
            if store is None:
                # Probing the OS keyring can block (D-Bus, unlock prompts): keep it off the loop.
                choice = await asyncio.to_thread(choose_token_store, self.settings)
                store, notice = choice.store, choice.notice
            self._account = open_account(
                base_url,
                self._environment.tenant,
                self._environment.client_id,
                store,
                environment_key=self._environment.key,
                trace=self._record_api_call,
            )
            self._session = self._account.session
            self._session.subscribe(self._forward_session_event)
            self.store_remembers = store.remembers
            # The login screen shows the notice beside its "Remember me" box.
            self.store_notice = notice
        self.base_url = base_url
        if self._environment.base_url is not None:
            self.sandbox_detected = await is_loopback_sandbox(base_url)
        assert self._account is not None
        await self._greet_backend(self._account)

    async def _start_sandbox(self) -> str | None:
        if self._sandbox is not None:
            await self._sandbox.stop()
        self._sandbox = EmbeddedSandbox(platformdirs.user_data_path(APP_NAME))
        try:
            return await self._sandbox.start()
        except SandboxStartError as error:
            self.backend_state = "failed"
            self.push_screen(
                ConfirmScreen(
                    error.message,
                    detail=error.stderr_tail or "The sandbox wrote nothing to stderr.",
                    confirm_label="Try again",
                    cancel_label="Close",
                ),
                self._retry_if_confirmed,
            )
            return None

    async def _greet_backend(self, account: AccountService) -> None:
        """Resume a remembered session, or fetch an anonymous token to learn the backend answers."""
        try:
            await account.connect()
        except TransportError as error:
            self.backend_state = "failed"
            self.notify(
                f"{describe(error, self.base_url)} {RECONNECT_ADVICE}",
                title="Not connected",
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        except ApiError as error:
            # The server answers but refuses us: most likely a wrong tenant or client id.
            self.notify(
                f"{describe(error)} Check the tenant ({self._environment.tenant}) and the "
                f"client id ({self._environment.client_id}).",
                title="The server refused the connection",
                severity="error",
                markup=False,
                timeout=10,
            )
        self.backend_state = "ready"

    @on(Worker.StateChanged)
    def _connect_crashed(self, event: Worker.StateChanged) -> None:
        # Expected failures are handled inside `connect`; anything else must not leave the
        # status line saying "connecting…" forever.
        worker = event.worker
        if worker.group == "connect" and event.state is WorkerState.ERROR:
            self.backend_state = "failed"
            self.notify(
                f"Could not connect: {describe(worker.error or RuntimeError())} {RECONNECT_ADVICE}",
                title="Not connected",
                severity="error",
                markup=False,
            )

    def _retry_if_confirmed(self, retry: bool | None) -> None:
        if retry:
            self.connect()

    def _record_api_call(self, event: TraceEvent) -> None:
        self._api_log.append(event)
        # The status line follows what the last request found out.
        if event.status is None and self.backend_state == "ready":
            self.backend_state = "failed"
        elif event.status is not None and self.backend_state == "failed":
            self.backend_state = "ready"
        for screen in self.screen_stack:
            for panel in screen.query(ApiLogPanel):
                panel.post_message(ApiCallLogged(event))

    # -- session events --------------------------------------------------------------------

    def _forward_session_event(self, event: SessionEvent) -> None:
        # Published from inside session calls; route it through the queue, not re-entrantly.
        self.post_message(SessionEventReceived(event))

    @on(SessionEventReceived)
    async def _route_session_event(self, message: SessionEventReceived) -> None:
        event = message.event
        if isinstance(event, LoggedIn):
            previous = self._reauthenticating if self._expired_pending else self.customer_email
            self._expired_pending = False
            self._reauthenticating = None
            self.customer_email = event.email
            if (
                self.current_mode == ACCOUNT_MODE
                and previous is not None
                and previous == event.email
            ):
                # The same customer again (the re-login screen dismisses itself): the user is
                # back on the screen with the unsaved input.
                self.refresh_bindings()
                return
            await self._show_fresh_mode(ACCOUNT_MODE)
        elif isinstance(event, EmailChanged):
            self.customer_email = event.email
        elif isinstance(event, LoggedOut):
            previous_email = self.customer_email
            self.customer_email = None
            if event.reason is LogoutReason.EXPIRED:
                self._session_expired(previous_email)
            else:
                await self._show_fresh_mode(AUTH_MODE)
                if event.reason is LogoutReason.DELETED:
                    self.forget_api_log_bodies()
                    self.notify("Your account was deleted.", title="Goodbye")
                else:
                    self.notify("You are logged out.")
        self.refresh_bindings()

    def _session_expired(self, email: str | None) -> None:
        if self.current_mode != ACCOUNT_MODE:
            self.notify(SESSION_EXPIRED_REASON, severity="warning")
            return
        if self._expired_pending:
            return
        self._expired_pending = True
        self._reauthenticating = email
        self.push_screen(
            LoginScreen(reason=SESSION_EXPIRED_REASON, resume_in_place=True, email=email),
            self._reauthentication_closed,
        )

    async def _reauthentication_closed(self, _result: object | None) -> None:
        if self._session is not None and self._session.state is SessionState.LOGGED_IN:
            return
        # Closed without logging in: the screens underneath belong to a session that is gone.
        self._expired_pending = False
        self._reauthenticating = None
        await self._show_fresh_mode(AUTH_MODE)

    async def _show_fresh_mode(self, mode: str) -> None:
        """Show a new stack for ``mode`` and drop the other one.

        Dropping the auth stack after login discards typed passwords; dropping the account
        stack discards the previous customer's data (also when another customer logs in
        while the account mode is shown, e.g. by activating an account from the mailbox).
        """
        in_transit = self.current_mode == mode
        if in_transit:
            # The shown stack cannot be removed: stand on a blank screen meanwhile (not the
            # other mode's root, whose widgets would be mounted only to be torn down at once).
            self.add_mode(_TRANSIT_MODE, Screen)
            await self.switch_mode(_TRANSIT_MODE)
        await self._reset_mode(mode)
        await self.switch_mode(mode)
        if in_transit:
            await self.remove_mode(_TRANSIT_MODE)
        for other in _MODE_ROOTS:
            if other != mode:
                await self._reset_mode(other)

    async def _reset_mode(self, mode: str) -> None:
        await self.remove_mode(mode)
        self.add_mode(mode, _MODE_ROOTS[mode])

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_mailbox":
            return self.is_sandbox
        if action == "logout":
            return self._session is not None and self._session.state is SessionState.LOGGED_IN
        if action == "clear_api_log":
            return self.show_api_log
        if action == "reconnect":
            return self.backend_state == "failed"
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
                "Log out?",
                detail="Your session ends on the server and is forgotten on this device.",
                confirm_label="Log out",
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
        self.connect()

    def watch_backend_state(self) -> None:
        self.refresh_bindings()

    def watch_sandbox_detected(self) -> None:
        self.refresh_bindings()


def known_themes() -> set[str]:
    """Names accepted by ``--theme`` and the ``theme`` setting."""
    from textual.theme import BUILTIN_THEMES

    return set(BUILTIN_THEMES)
