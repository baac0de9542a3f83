"""The connection to the server: the embedded sandbox, the token store, the session, its health.

`Backend` starts the embedded sandbox when the environment has no URL, chooses the token
store, opens the account service (session + API client), says hello to the server, probes a
loopback URL for a separately started sandbox, and watches the embedded sandbox's process so a
crash is noticed at once, not at the next request. What it finds out lands in the app's
reactives (``backend_state``, ``base_url``, ``connection_problem``…), which the status line
and the screens watch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import platformdirs

from accountdesk.api.errors import ApiError, TransportError
from accountdesk.session.choice import StoreNotice, TokenStoreChoice, pick_token_store
from accountdesk.session.errors import BackendNotReadyError
from accountdesk.session.events import SessionState
from accountdesk.session.locations import APP_NAME
from accountdesk.tui.embedded_sandbox import EmbeddedSandbox, SandboxStartError
from accountdesk.tui.i18n import _
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.wording import (
    SANDBOX_RESTARTED_LOG_IN,
    SANDBOX_STOPPED,
    describe,
    sentences,
    with_reconnect_advice,
)

if TYPE_CHECKING:
    from accountdesk.api.tracing import TraceEvent
    from accountdesk.session.account import AccountService
    from accountdesk.session.config import Environment, Settings
    from accountdesk.session.manager import SessionManager
    from accountdesk.session.stores import TokenStore
    from accountdesk.tui.app import AccountDeskApp

ChooseStore = Callable[["Settings"], TokenStoreChoice]
ProbeSandbox = Callable[[str], Awaitable[bool]]


class Backend:
    """One per app. `connect` runs in the app's "connect" worker; `close` when the app
    unmounts."""

    def __init__(
        self,
        app: AccountDeskApp,
        settings: Settings,
        environment: Environment,
        *,
        token_store: TokenStore | None,
        store_notice: StoreNotice | None,
        choose_store: ChooseStore,
        probe_sandbox: ProbeSandbox,
    ) -> None:
        """``choose_store`` picks the token store (it may block: run in a thread) and
        ``probe_sandbox`` tells whether a URL is a separately started sandbox; the app hands
        both in, so they can be replaced where the outside world is not wanted."""
        self._app = app
        self._settings = settings
        self._environment = environment
        self._token_store = token_store
        self._store_notice = store_notice
        self._choose_store = choose_store
        self._probe_sandbox = probe_sandbox
        self._account: AccountService | None = None
        self._sandbox: EmbeddedSandbox | None = None
        # A plain task, not a Textual worker: it lasts as long as the sandbox, and a worker
        # would keep "wait until all workers are done" (tests, settle points) waiting.
        self._sandbox_watch: asyncio.Task[None] | None = None
        self._first_frame = asyncio.Event()

    def first_frame_shown(self) -> None:
        """The login screen is on screen: the connect worker may import the client now."""
        self._first_frame.set()

    # -- what the app hands to screens -------------------------------------------------------

    @property
    def account(self) -> AccountService:
        if self._account is None:
            raise BackendNotReadyError(failed=self._app.backend_state == "failed")
        return self._account

    @property
    def session(self) -> SessionManager:
        return self.account.session

    @property
    def logged_in(self) -> bool:
        return self._account is not None and self._account.session.state is SessionState.LOGGED_IN

    @property
    def sandbox_pid(self) -> int | None:
        """The embedded sandbox's process id while it runs."""
        return self._sandbox.pid if self._sandbox is not None else None

    async def forget_visitor(self) -> None:
        """End whatever session the last person had, logged in or a guest (kiosk mode). Not
        connected yet, there is none: connecting starts a new one."""
        if self._account is not None:
            await self._account.forget_visitor()

    # -- connecting --------------------------------------------------------------------------

    async def connect(self) -> None:
        """Start the sandbox if needed, choose the token store, then say hello to the backend.

        Reconnecting to a restarted embedded sandbox (a new port) opens a new session: a
        remembered one resumes; one kept in memory only is gone, and the user is taken to the
        login screen with one message saying so (not left on account screens that can do
        nothing any more).
        """
        app = self._app
        app.backend_state = "connecting"
        # "Not connected, press F5" must not outlive the reconnect it asked for.
        app.clear_notifications()
        base_url = self._environment.base_url
        if base_url is None and self._sandbox is not None and self._sandbox.running:
            # Reconnecting to a sandbox that still runs: keep it (and the session on it).
            base_url = app.base_url
        if base_url is None:
            base_url = await self._start_sandbox()
            if base_url is None:
                return
        lost_email: str | None = None
        if self._account is not None and app.base_url != base_url:
            # A restarted sandbox listens on a new port: the old client points nowhere.
            session = self._account.session
            lost_email = session.customer_email if self.logged_in else None
            self._account = None
            await session.aclose()
        if self._account is None:
            self._account = await self._open_account(base_url)
        app.base_url = base_url
        if self._environment.base_url is not None:
            app.sandbox_detected = await self._probe_sandbox(base_url)
        await self._greet(self._account)
        if lost_email is not None and not self.logged_in:
            app.navigation.session_lost(SANDBOX_RESTARTED_LOG_IN, email=lost_email)

    async def _open_account(self, base_url: str) -> AccountService:
        # The worker starts when the app mounts (a sandbox to start is spawned at once, to
        # boot beside the first paint); what follows would hold the event loop, so it waits
        # for the first frame (tests/tui/test_workers_and_imports.py).
        await self._first_frame.wait()
        store, notice = self._token_store, self._store_notice
        if store is None:
            # Probing the OS keyring can block (D-Bus, unlock prompts): off the loop, in bounded
            # time (a locked keyring costs "remember me", never the connection).
            choice = await pick_token_store(self._settings, choose=self._choose_store)
            store, notice = choice.store, choice.notice
            # Chosen once: a reconnect must find the sessions remembered in the same store.
            self._token_store, self._store_notice = store, notice
        # Here, not at the top: the session manager brings the API client, httpx and the
        # pydantic models (~200 ms of imports), which the login screen does not need to paint.
        from accountdesk.session.account import open_account

        account = open_account(
            base_url,
            self._environment.tenant,
            self._environment.client_id,
            store,
            environment_key=self._environment.key,
            trace=self._record_api_call,
        )
        account.session.subscribe(self._app.forward_session_event)
        self._app.store_remembers = store.remembers
        # The login screen shows the notice beside its "Remember me" box.
        self._app.store_notice = notice
        return account

    async def _greet(self, account: AccountService) -> None:
        """Resume a remembered session, or fetch an anonymous token to learn the backend answers."""
        app = self._app
        try:
            await account.connect()
        except TransportError as error:
            app.backend_state = "failed"
            app.notify(
                with_reconnect_advice(describe(error, app.base_url)),
                title=_("Not connected"),
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        except ApiError as error:
            # The server answers but refuses us: most likely a wrong tenant or client id.
            app.notify(
                sentences(
                    describe(error),
                    _("Check the tenant ({tenant}) and the client id ({client_id})").format(
                        tenant=self._environment.tenant, client_id=self._environment.client_id
                    ),
                ),
                title=_("The server refused the connection"),
                severity="error",
                markup=False,
                timeout=10,
            )
        app.backend_state = "ready"

    def _record_api_call(self, event: TraceEvent) -> None:
        app = self._app
        # The status line follows what the last request found out.
        if event.status is None and app.backend_state == "ready":
            app.backend_state = "failed"
        elif event.status is not None and app.backend_state == "failed":
            app.backend_state = "ready"
        app.log_api_call(event)

    # -- the embedded sandbox ----------------------------------------------------------------

    async def _start_sandbox(self) -> str | None:
        await self._stop_sandbox()
        # A kiosk's customers (sign-ups, addresses, mail) must not stay on its disk.
        sandbox = EmbeddedSandbox(
            platformdirs.user_data_path(APP_NAME), in_memory=self._settings.kiosk
        )
        try:
            base_url = await sandbox.start()
        except SandboxStartError as error:
            self._app.backend_state = "failed"
            self._app.push_screen(
                ConfirmScreen(
                    error.message,
                    detail=error.stderr_tail or _("The sandbox wrote nothing to stderr."),
                    confirm_label=_("Try again"),
                    cancel_label=_("Close"),
                ),
                self._retry_if_confirmed,
            )
            return None
        self._sandbox = sandbox
        self._sandbox_watch = asyncio.create_task(
            self._watch_sandbox(sandbox), name="watch the embedded sandbox"
        )
        return base_url

    def _retry_if_confirmed(self, retry: bool | None) -> None:
        if retry:
            self._app.connect()

    async def _watch_sandbox(self, sandbox: EmbeddedSandbox) -> None:
        """Wait for the embedded sandbox to end; unless that was on purpose, say it stopped."""
        await sandbox.wait()
        if sandbox is not self._sandbox:
            return  # stopped on purpose: a restart or the app quitting
        await self._stop_sandbox()  # reaps it and closes its pipe
        app = self._app
        app.connection_problem = SANDBOX_STOPPED
        app.backend_state = "failed"
        app.notify(
            with_reconnect_advice(SANDBOX_STOPPED),
            title=_("Not connected"),
            severity="error",
            markup=False,
            timeout=10,
        )

    async def _stop_sandbox(self) -> None:
        # Forgotten first, so its watcher knows the end was on purpose.
        sandbox, self._sandbox = self._sandbox, None
        watch, self._sandbox_watch = self._sandbox_watch, None
        if watch is not None and watch is not asyncio.current_task():
            watch.cancel()
        if sandbox is not None:
            await sandbox.stop()

    async def close(self) -> None:
        """Close the API client and stop the embedded sandbox."""
        account, self._account = self._account, None
        if account is not None:
            await account.session.aclose()
        await self._stop_sandbox()
