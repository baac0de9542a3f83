"""The Account Desk app: composes the backend, the navigation and the app-wide keys.

`tui/backend.py` owns the connection (embedded sandbox, token store, session, health);
`tui/navigation.py` owns where the user is (the "auth" and "account" screen stacks, the
re-login overlay, the way back to the login screen). This module wires them to Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from accountdesk import __version__
from accountdesk.api.har import as_curl, har_text
from accountdesk.session.choice import StoreNotice, choose_token_store
from accountdesk.session.config import KioskOptions
from accountdesk.session.errors import BackendNotReadyError, SessionExpiredError
from accountdesk.session.events import LoggedOut, LogoutReason
from accountdesk.session.secret_scan import secrets_in
from accountdesk.tui import collector, i18n, preferences, preload, themes
from accountdesk.tui.backend import Backend
from accountdesk.tui.commands import BoundActionsProvider, localized
from accountdesk.tui.context import BackendState
from accountdesk.tui.exports import ExportKind, default_folder, file_name, typed_secrets
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.key_order import KeysInOrderApp
from accountdesk.tui.kiosk import Kiosk, kiosk_keymap
from accountdesk.tui.language_choice import LanguageChoice, next_language
from accountdesk.tui.messages import ApiCallLogged, SessionEventReceived, WorkerFailed
from accountdesk.tui.navigation import (
    ACCOUNT_MODE,
    AUTH_MODE,
    SESSION_EXPIRED_REASON,
    Navigator,
    mode_roots,
)
from accountdesk.tui.paths import stylesheets
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.screens.confirm import ConfirmScreen, QuitQuestion
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.themes import known_themes
from accountdesk.tui.widgets.api_log import ApiLogPanel
from accountdesk.tui.wording import (
    API_LOG_EMPTY,
    COPY_CURL_KEY,
    COPY_CURL_TOOLTIP,
    CURL_NOTE,
    CURL_TITLE,
    HIGH_CONTRAST_KEY,
    HIGH_CONTRAST_TOOLTIP,
    NO_REQUEST_SELECTED,
    NOT_SAVED_TITLE,
    OPERATOR_HELP,
    SAVE_HAR_KEY,
    SAVE_HAR_TITLE,
    SAVE_HAR_TOOLTIP,
    SAVE_SCREENSHOT_TITLE,
    SAVED_TITLE,
    SCREENSHOT_KEY,
    SCREENSHOT_REFUSED,
    SCREENSHOT_TOOLTIP,
    START_OVER,
    START_OVER_HELP,
    UNEXPECTED_FAILURE_TITLE,
    describe,
    save_failed,
    saved_to,
    with_reconnect_advice,
)

if TYPE_CHECKING:
    # Types only: what they bring (pydantic, httpx, the session manager) is imported by the
    # connect worker, after the login screen painted (tests/tui/test_workers_and_imports.py).
    from accountdesk.api.tracing import TraceEvent
    from accountdesk.session.account import AccountService
    from accountdesk.session.config import Environment, Settings
    from accountdesk.session.events import SessionEvent
    from accountdesk.session.manager import SessionManager
    from accountdesk.session.stores import TokenStore

__all__ = ["ACCOUNT_MODE", "AUTH_MODE", "SESSION_EXPIRED_REASON", "AccountDeskApp", "known_themes"]

_log = logging.getLogger(__name__)


async def is_loopback_sandbox(base_url: str) -> bool:
    """Whether ``base_url`` is a separately started sandbox (asked once connected)."""
    # Imported on first use: the probe brings httpx, which the first paint does without.
    from accountdesk.api.sandbox_extras import is_loopback_sandbox as probe

    return await probe(base_url)


# How long closing waits for a mode switch in flight (mounting takes milliseconds).
SWITCH_FINISH_SECONDS = 5.0

# The names under which the demo keys' files are handed to Textual's delivery (a download in
# a browser): Textual's own "screenshot" delivery would bypass the secret scan.
_DELIVERIES: dict[str, ExportKind] = {
    "accountdesk-screenshot": "screenshot",
    "accountdesk-har": "har",
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
            "f6",
            "copy_curl",
            COPY_CURL_KEY,
            tooltip=COPY_CURL_TOOLTIP,
            id="api-log-copy-curl",
            priority=True,
        ),
        Binding(
            "f7",
            "save_har",
            SAVE_HAR_KEY,
            tooltip=SAVE_HAR_TOOLTIP,
            id="api-log-save-har",
            priority=True,
        ),
        Binding(
            "f8",
            "save_screenshot",
            SCREENSHOT_KEY,
            tooltip=SCREENSHOT_TOOLTIP,
            id="screenshot",
            priority=True,
            # In the palette; the footer has no room for a key used once per demo.
            show=False,
        ),
        Binding(
            "f9",
            "toggle_contrast",
            HIGH_CONTRAST_KEY,
            tooltip=HIGH_CONTRAST_TOOLTIP,
            id="toggle-contrast",
            priority=True,
            show=False,
        ),
        Binding(
            "f10",
            "switch_language",
            N_("Language"),
            tooltip=N_(
                "Show the screens in the next language (English, Deutsch). After login they "
                "follow the customer's preferred language until switched here."
            ),
            id="switch-language",
            priority=True,
            # In the palette ("language", "deutsch"); the footer has no room on most screens.
            show=False,
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
        # Kiosk mode only (see check_action).
        Binding(
            "ctrl+r",
            "start_over",
            START_OVER,
            tooltip=START_OVER_HELP,
            id="start-over",
            priority=True,
        ),
        # No description: neither the footer nor the palette shows a customer the way in.
        Binding(
            "f12", "kiosk_operator", "", tooltip=OPERATOR_HELP, id="kiosk-operator", priority=True
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
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``clock`` times a kiosk's idle sessions (tests pass a fake one)."""
        # Before anything is composed: every widget built from now on speaks it.
        language = i18n.choose_language(settings.language)
        i18n.use_language(language)
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
        self._navigation = Navigator(
            self,
            LanguageChoice(language, follow_customer=settings.follow_customer_language),
        )
        self.kiosk = Kiosk(self, settings.kiosk_options, clock) if settings.kiosk else None
        self._last_export_folder: Path | None = None
        for theme in themes.THEMES:
            self.register_theme(theme)
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
    def kiosk_options(self) -> KioskOptions | None:
        return self.kiosk.options if self.kiosk is not None else None

    @property
    def api_log(self) -> list[TraceEvent]:
        return self._api_log

    @property
    def sandbox_pid(self) -> int | None:
        """The embedded sandbox's process id while it runs."""
        return self.backend.sandbox_pid

    # -- lifecycle -------------------------------------------------------------------------

    async def on_mount(self) -> None:
        keymap = self.settings.keymap
        self.set_keymap(kiosk_keymap(keymap) if self.kiosk is not None else keymap)
        self._follow_colour_needs()
        await self._navigation.start()
        if self.kiosk is not None:
            # A kiosk writes nothing to the disk, not even the look a customer chose.
            self.kiosk.start()
        else:
            # Saved from now on: the theme chosen (ctrl+t or the palette) is the next start's.
            self.watch(self, "theme", preferences.remember_theme, init=False)
        self.connect()

    async def on_event(self, event: events.Event) -> None:
        if self.kiosk is not None and isinstance(event, events.InputEvent):
            self.kiosk.input_seen()
        await super().on_event(event)

    @on(events.Ready)
    def _first_frame_shown(self) -> None:
        self.backend.first_frame_shown()
        collector.resume()
        preload.start(self)

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
            text = with_reconnect_advice(_("Could not connect. {reason}").format(reason=text))
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
        kiosk = self.kiosk
        if action == "start_over":
            return kiosk is not None
        if action == "kiosk_operator":
            return kiosk is not None and kiosk.options.operator_pin is not None
        if kiosk is not None and not kiosk.allows_action(action):
            return False
        if action == "open_mailbox":
            return self.is_sandbox
        if action == "logout":
            return self.logged_in
        if action in ("clear_api_log", "copy_curl", "save_har"):
            return self.show_api_log
        return True

    def action_help_quit(self) -> None:
        # Textual answers ctrl+c with "press ctrl+q to quit": not advice for a kiosk customer.
        if self.kiosk is None or self.kiosk.allows_action("quit"):
            super().action_help_quit()

    async def action_quit(self) -> None:
        """Quit, but ask first while a flow holds typed input (the login form does not count:
        it is the way in, not work); ``ctrl+q`` again in the question quits."""
        unsaved = [
            screen
            for screen in self.screen_stack[1:]
            if isinstance(screen, FormScreen) and screen.is_dirty
        ]
        if not unsaved or isinstance(self.screen, QuitQuestion):
            self.exit()
            return
        self.push_screen(
            QuitQuestion(
                _("Quit and lose what you typed?"),
                detail=_("A form on this screen holds input that has not been sent."),
                confirm_label=_("Quit"),
                cancel_label=_("Keep editing"),
                destructive=True,
            ),
            self._quit_if_confirmed,
        )

    def _quit_if_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self.exit()

    def action_start_over(self) -> None:
        self.start_over()

    @work(exclusive=True, group="start-over", exit_on_error=False, description="Starting over")
    async def start_over(self) -> None:
        if self.kiosk is not None:
            await self.kiosk.start_over()

    def action_kiosk_operator(self) -> None:
        if self.kiosk is not None:
            self.kiosk.ask_for_pin()

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

    def action_switch_language(self) -> None:
        screen = self.screen
        rebuild = screen.arguments_to_rebuild() if isinstance(screen, AccountDeskScreen) else {}
        if not self._navigation.switch_language(next_language(i18n.language()), **rebuild):
            self.notify(
                _("Close this screen first (escape): the language is switched on the main one."),
                severity="warning",
            )

    def action_toggle_dark(self) -> None:
        self.theme = themes.light_dark_partner(self.theme, dark=self.current_theme.dark)

    def action_toggle_contrast(self) -> None:
        self.theme = themes.contrast_partner(self.theme, dark=self.current_theme.dark)

    def watch_theme(self) -> None:
        self._follow_colour_needs()

    def _follow_colour_needs(self) -> None:
        # Shapes for focus (styles/accessible.tcss) where colour can't be relied on.
        self.set_class(self.no_color or themes.is_high_contrast(self.theme), "-shapes")

    # -- demo exports: curl, HAR, screenshots ----------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual offers its own "Screenshot" (routed through ours below); ours is listed once,
        # as a bound action. A kiosk then drops what its config does not allow.
        commands = (
            command
            for command in super().get_system_commands(screen)
            if command.title != "Screenshot"
        )
        allowed = commands if self.kiosk is None else self.kiosk.system_commands(commands)
        yield from map(localized, allowed)

    def action_command_palette(self) -> None:
        # Textual's own, with its prompt in the UI's language.
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            )

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        # Textual's screenshot action and command land here: no picture skips the secret scan.
        self.action_save_screenshot()
        return None

    def action_copy_curl(self) -> None:
        selected = next((panel.selected for panel in self.screen.query(ApiLogPanel)), None)
        if selected is None:
            self.notify(_(NO_REQUEST_SELECTED), severity="warning", markup=False)
            return
        text = as_curl(selected)
        self.copy_to_clipboard(text)
        # Screens beyond the login screen load on first use (the first frame waits for none).
        from accountdesk.tui.screens.export import CopiedTextScreen

        self.push_screen(CopiedTextScreen(_(CURL_TITLE), _(CURL_NOTE), text))

    def action_save_har(self) -> None:
        if not self._api_log:
            self.notify(_(API_LOG_EMPTY), severity="warning", markup=False)
            return
        text = har_text(self._api_log, creator=self.TITLE, version=__version__)
        self._ask_folder_then_save("har", _(SAVE_HAR_TITLE), text)

    def action_save_screenshot(self) -> None:
        # Taken now: the folder prompt must not be in the picture.
        svg = self.export_screenshot()
        secrets = [*typed_secrets(self.screen_stack), *self._session_secrets()]
        if secrets_in(svg, secrets):
            self.notify(
                _(SCREENSHOT_REFUSED), title=_(NOT_SAVED_TITLE), severity="error", markup=False
            )
            return
        self._ask_folder_then_save("screenshot", _(SAVE_SCREENSHOT_TITLE), svg)

    def _session_secrets(self) -> list[str]:
        try:
            return self.session.live_secrets()
        except BackendNotReadyError:
            return []  # no session yet, so no token either

    def _ask_folder_then_save(self, kind: ExportKind, title: str, text: str) -> None:
        name = file_name(kind, datetime.now())
        folder = default_folder(self.settings, kind, self._last_export_folder)

        def save(chosen: Path | None) -> None:
            if chosen is None:
                return
            self._last_export_folder = chosen
            delivery = next(key for key, value in _DELIVERIES.items() if value == kind)
            self.deliver_text(
                io.StringIO(text),
                save_directory=chosen,
                save_filename=name,
                mime_type="image/svg+xml" if kind == "screenshot" else "application/json",
                name=delivery,
            )

        from accountdesk.tui.screens.export import SaveFolderScreen

        self.push_screen(SaveFolderScreen(title, folder, name), save)

    @on(events.DeliveryComplete)
    def _export_saved(self, event: events.DeliveryComplete) -> None:
        if event.name in _DELIVERIES:
            where = event.path if event.path is not None else event.name
            self.notify(saved_to(where), title=_(SAVED_TITLE), markup=False)

    @on(events.DeliveryFailed)
    def _export_failed(self, event: events.DeliveryFailed) -> None:
        if event.name in _DELIVERIES:
            self.notify(
                save_failed(event.exception),
                title=_(NOT_SAVED_TITLE),
                severity="error",
                markup=False,
            )

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
