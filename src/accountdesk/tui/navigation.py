"""Where the user is: named flows, the two screen stacks, and every move between them.

Screens open one another by name (`open_flow`), never by importing a sibling module; a flow's
module is imported when the flow is first opened, so the login screen paints without paying
for the account screens.

The app has two modes, each with its own screen stack: "auth" (login and the flows around it)
and "account" (the logged-in customer's screens). `Navigator` owns them. Every change of mode
runs in one queue, one at a time, in a worker (not on the app's message loop), and stops as
soon as the app is shutting down:

- two switches never interleave (a logout arriving while the login's switch still mounts the
  account screens);
- the app's message loop stays free while a switch awaits mounts and removals, so callbacks
  that new screens queue on it (Textual's header title) run before those screens can go away;
- Textual closes the app by iterating over its mode stacks; a switch half-way through must
  not add or remove a stack meanwhile ("dictionary changed size during iteration").
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from accountdesk.session.events import EmailChanged, LoggedIn, LoggedOut, LogoutReason
from accountdesk.tui import i18n
from accountdesk.tui.context import services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.language_choice import LanguageChoice

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from accountdesk.api import Customer
    from accountdesk.session.events import SessionEvent

AUTH_MODE = "auth"
ACCOUNT_MODE = "account"
_TRANSIT_MODE = "transit"

SESSION_EXPIRED_REASON = N_("Your session expired. Log in again to continue.")

# name -> "module:ScreenClass"
FLOWS: dict[str, str] = {
    "login": "accountdesk.tui.screens.login:LoginScreen",
    "sign-up": "accountdesk.tui.screens.signup:SignUpScreen",
    "forgot-password": "accountdesk.tui.screens.forgot_password:ForgotPasswordScreen",
    "reset-password": "accountdesk.tui.screens.forgot_password:ResetPasswordScreen",
    "activation": "accountdesk.tui.screens.activation:ActivationScreen",
    "account": "accountdesk.tui.screens.account:AccountScreen",
    "edit-profile": "accountdesk.tui.screens.profile:EditProfileScreen",
    "addresses": "accountdesk.tui.screens.addresses:AddressBookScreen",
    "change-password": "accountdesk.tui.screens.change_password:ChangePasswordScreen",
    "change-email": "accountdesk.tui.screens.change_email:ChangeEmailScreen",
    "delete-account": "accountdesk.tui.screens.delete_account:DeleteAccountScreen",
    "social-login": "accountdesk.tui.screens.social_login:SocialLoginScreen",
    "assign-account": "accountdesk.tui.screens.assign_account:AssignAccountScreen",
}

# The flow at the bottom of each mode's stack.
MODE_ROOTS: dict[str, str] = {AUTH_MODE: "login", ACCOUNT_MODE: "account"}


def flow_screen(name: str, **arguments: Any) -> Screen[Any]:
    """A new screen of the flow ``name``, built with ``arguments``."""
    module_name, _, class_name = FLOWS[name].partition(":")
    screen_class = getattr(importlib.import_module(module_name), class_name)
    screen: Screen[Any] = screen_class(**arguments)
    return screen


def open_flow(app: App[Any], name: str, **arguments: Any) -> None:
    """Push the flow ``name`` over the current screen."""
    app.push_screen(flow_screen(name, **arguments))


def return_to_login(node: DOMNode, message: str, *, email: str | None = None) -> None:
    """Leave ``node``'s flow for the login screen, which shows ``message`` (and only that)
    with ``email`` filled in and the password focused. Logged in, the message is a notice."""
    services_of(node).navigation.return_to_login(node, message, email=email)


def _mode_root(mode: str, **arguments: Any) -> Callable[[], Screen[Any]]:
    return lambda: flow_screen(MODE_ROOTS[mode], **arguments)


def mode_roots() -> dict[str, Callable[[], Screen[Any]]]:
    """The app's MODES: each mode's root screen, built when the mode is first shown."""
    return {mode: _mode_root(mode) for mode in MODE_ROOTS}


class Navigator:
    """The two mode stacks, the re-login overlay after an expiry, and the way back to login."""

    def __init__(self, app: App[Any], languages: LanguageChoice) -> None:
        self._app = app
        self.languages = languages
        self._lock = asyncio.Lock()
        # Where the last queued switch leads: decisions taken while a switch is still queued
        # must see where the user is going, not where the user still is.
        self._target_mode: str | None = None
        self._pending_switches = 0
        # The customer whose session expired, while the re-login overlay is up.
        self._reauthenticating: str | None = None
        self._overlay_open = False
        self._in_flight: set[asyncio.Task[None]] = set()
        # A kiosk's "Start over" is under way: the logout it causes is expected, not news.
        self._starting_over = False

    @property
    def mode(self) -> str:
        """The mode the user is in, or is being taken to."""
        return self._target_mode or self._app.current_mode

    async def start(self) -> None:
        """Show the login screen (the first paint: nothing else can be queued yet)."""
        await self._app.switch_mode(AUTH_MODE)

    # -- the queue ---------------------------------------------------------------------------

    def _queue(self, step: Callable[[], Coroutine[Any, Any, None]], description: str) -> None:
        async def run_in_turn() -> None:
            async with self._lock:
                if self._alive():
                    await step()

        # The worker reports failures and lets "wait for all workers" include the switch;
        # the task inside is shielded, so cancelling workers at exit does not stop a switch
        # half-way (between "this screen is mounting" and "its stack is gone").
        task = asyncio.create_task(run_in_turn(), name=description)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

        async def follow() -> None:
            await asyncio.shield(task)

        self._app.run_worker(
            follow(), group="navigation", exit_on_error=False, description=description
        )

    async def wait_idle(self) -> None:
        """Wait until no switch is in flight (before closing), including switches queued
        while waiting (a logout arriving during the login's switch)."""
        while self._in_flight:
            await asyncio.wait(set(self._in_flight))

    def _alive(self) -> bool:
        # False from the moment Textual starts closing the app (it then walks the stacks).
        return self._app.is_running

    # -- switching modes ---------------------------------------------------------------------

    def show_fresh(self, mode: str, *, language: str | None = None, **root_arguments: Any) -> None:
        """Show a new stack for ``mode`` (its root built with ``root_arguments``) and drop
        the other one; both are built in ``language`` when given (else the current one).

        Dropping the auth stack after login discards typed passwords; dropping the account
        stack discards the previous customer's data (also when another customer logs in
        while the account mode is shown, e.g. by activating an account from the mailbox).
        """
        self._target_mode = mode
        self._pending_switches += 1

        async def switch() -> None:
            try:
                await self._show_fresh(mode, _mode_root(mode, **root_arguments), language)
            finally:
                self._pending_switches -= 1
                if not self._pending_switches:
                    self._target_mode = None
                if self._alive():
                    self._app.refresh_bindings()

        self._queue(switch, "Switching screens")

    async def _show_fresh(
        self, mode: str, root: Callable[[], Screen[Any]], language: str | None
    ) -> None:
        # Every step checks that the app still runs right before it touches the stacks (no
        # await in between): once closing started, Textual owns them.
        app = self._app
        in_transit = app.current_mode == mode
        if in_transit:
            # The shown stack cannot be removed: stand on a blank screen meanwhile (not the
            # other mode's root, whose widgets would be mounted only to be torn down at once).
            app.add_mode(_TRANSIT_MODE, Screen)
            await app.switch_mode(_TRANSIT_MODE)
        if not self._alive():
            return
        if language is not None and language != i18n.language():
            # Off the old screens (or about to leave them): whatever is built from here on,
            # both stacks included, speaks the new language.
            i18n.use_language(language)
        await self._reset_mode(mode, root)
        if not self._alive():
            return
        await app.switch_mode(mode)
        if in_transit:
            if not self._alive():
                return
            await app.remove_mode(_TRANSIT_MODE)
        for other in MODE_ROOTS:
            if other == mode:
                continue
            if not self._alive():
                return
            await self._reset_mode(other, _mode_root(other))

    async def _reset_mode(self, mode: str, root: Callable[[], Screen[Any]]) -> None:
        await self._app.remove_mode(mode)
        if self._alive():
            self._app.add_mode(mode, root)

    # -- session events ----------------------------------------------------------------------

    def follow_session(self, event: SessionEvent) -> None:
        """Take the user where a login, logout or expiry leads."""
        services = services_of(self._app)
        if isinstance(event, LoggedIn):
            previous = self._reauthenticating if self._overlay_open else services.customer_email
            self._overlay_open = False
            self._reauthenticating = None
            services.customer_email = event.email
            if self.mode == ACCOUNT_MODE and previous is not None and previous == event.email:
                # The same customer again (the re-login overlay dismisses itself): the user is
                # back on the screen with the unsaved input.
                self._app.refresh_bindings()
                return
            # A new session: the account screen follows this customer's language once loaded.
            self.show_fresh(ACCOUNT_MODE, language=self.languages.session_ended())
        elif isinstance(event, EmailChanged):
            services.customer_email = event.email
        elif isinstance(event, LoggedOut) and self._starting_over:
            services.customer_email = None
        elif isinstance(event, LoggedOut):
            previous_email = services.customer_email
            services.customer_email = None
            if event.reason is LogoutReason.EXPIRED:
                self._session_expired(previous_email)
            else:
                self.show_fresh(AUTH_MODE, language=self.languages.session_ended())
                if event.reason is LogoutReason.DELETED:
                    self._app.notify(_("Your account was deleted."), title=_("Goodbye"))
                else:
                    self._app.notify(_("You are logged out."))
        self._app.refresh_bindings()

    def session_lost(self, message: str, *, email: str | None) -> None:
        """The session ended without a logout (the server restarted): log in again."""
        services_of(self._app).customer_email = None
        self._overlay_open = False
        self._reauthenticating = None
        if self.mode == AUTH_MODE:
            self._app.notify(message, severity="warning", markup=False)
        else:
            self.show_fresh(
                AUTH_MODE, language=self.languages.session_ended(), reason=message, email=email
            )
        self._app.refresh_bindings()

    def _session_expired(self, email: str | None) -> None:
        if self.mode != ACCOUNT_MODE:
            self._app.notify(_(SESSION_EXPIRED_REASON), severity="warning")
            return
        if self._overlay_open:
            return
        self._overlay_open = True
        self._reauthenticating = email

        async def open_overlay() -> None:
            # Pushed in the queue: a switch in flight would otherwise carry it away.
            if self._app.current_mode != ACCOUNT_MODE:
                self._overlay_open = False
                return
            overlay = flow_screen(
                "login", reason=_(SESSION_EXPIRED_REASON), resume_in_place=True, email=email
            )
            self._app.push_screen(overlay, self._reauthentication_closed)

        self._queue(open_overlay, "Asking to log in again")

    def _reauthentication_closed(self, _result: object | None) -> None:
        if services_of(self._app).logged_in:
            return
        # Closed without logging in: the screens underneath belong to a session that is gone.
        self._overlay_open = False
        self._reauthenticating = None
        self.show_fresh(AUTH_MODE, language=self.languages.session_ended())

    # -- starting over (kiosk) ---------------------------------------------------------------

    def start_over(self) -> None:
        """A fresh login screen and nothing else: both stacks (every form, dialog, overlay
        and the mailbox) are dropped. Until `started_over`, a logout that follows it is
        expected: no second switch, no "You are logged out." for the next customer to read."""
        self._starting_over = True
        services_of(self._app).customer_email = None
        self._overlay_open = False
        self._reauthenticating = None
        self.show_fresh(AUTH_MODE, language=self.languages.wiped())

    def started_over(self) -> None:
        self._starting_over = False

    # -- back to login -----------------------------------------------------------------------

    def return_to_login(self, node: DOMNode, message: str, *, email: str | None) -> None:
        """See `return_to_login` (the module function screens call)."""
        if self.mode == AUTH_MODE:
            # A fresh login screen: no earlier error or notice next to this one.
            self.show_fresh(AUTH_MODE, notice=message, email=email)
            return
        # Logged in (e.g. a reset opened from the mailbox): close the flow, say how it went.
        if isinstance(node, Screen) and node.is_current:
            node.dismiss()
        self._app.notify(message, markup=False)

    # -- the UI's language -------------------------------------------------------------------

    def follow_customer_language(self, screen: Screen[Any], customer: Customer) -> None:
        """Rebuild the account screens in ``customer``'s preferred language when the UI should
        follow it (see `LanguageChoice`); ``screen`` is the overview that loaded ``customer``.

        Queued: the overview loads while the login's switch may still be under way."""

        async def follow() -> None:
            # Only from the overview on top: a flow opened meanwhile would lose what was typed.
            if self._app.current_mode != ACCOUNT_MODE or not screen.is_current:
                return
            language = self.languages.for_customer(customer.preferred_language, i18n.language())
            if language is None:
                return
            root = _mode_root(ACCOUNT_MODE, customer=customer)
            await self._show_fresh(ACCOUNT_MODE, root, language)
            if self._alive():
                self._app.refresh_bindings()

        self._queue(follow, "Following the customer's language")

    def switch_language(self, language: str, **root_arguments: Any) -> bool:
        """The operator's switch: rebuild the current mode's root screen (built with
        ``root_arguments``) in ``language``. False, and nothing done, while another screen
        covers the root: rebuilding would drop it with whatever was typed into it."""
        app = self._app
        if self._pending_switches or self.mode not in MODE_ROOTS or len(app.screen_stack) > 1:
            return False
        logged_in = self.mode == ACCOUNT_MODE and services_of(app).logged_in
        self.languages.operator_chose(language, logged_in=logged_in)
        self.show_fresh(self.mode, language=language, **root_arguments)
        return True
