"""Kiosk mode: a shared terminal left unattended between customers.

`IdleWatch` decides when an idle session is warned about and when it ends; `Kiosk` is the
app's side of it: the "Still there?" countdown, "Start over" (the session ends on the server
and every trace of the customer is wiped), the gates on the ways out of the app, and the
operator menu behind a PIN (`PinGuard`). What a kiosk offers is configured in `KioskOptions`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from accountdesk.session.config import KioskFeature, KioskOptions
from accountdesk.tui.pin_guard import PinGuard

if TYPE_CHECKING:
    from textual.app import SystemCommand

    from accountdesk.tui.app import AccountDeskApp
    from accountdesk.tui.screens.kiosk import StillThereScreen

# App actions a kiosk turns off unless `allow` lists their feature.
GATED_ACTIONS: dict[str, KioskFeature] = {
    "quit": "quit",
    "toggle_dark": "theme",
    "change_theme": "theme",
    "toggle_api_log": "api_log",
    "clear_api_log": "api_log",
    "copy_curl": "api_log",
    "save_har": "api_log",
    "save_screenshot": "screenshot",
    "toggle_contrast": "theme",
    "open_mailbox": "mailbox",
    "reconnect": "reconnect",
}

# Textual's own palette commands (by title: Textual gives them no other name) and what they
# belong to. "Screenshot" writes an SVG of the screen, customer and all, to the disk.
GATED_SYSTEM_COMMANDS: dict[str, KioskFeature] = {
    "Quit": "quit",
    "Theme": "theme",
    "Screenshot": "screenshot",
}

# Keys the terminal would turn into SIGINT and SIGTSTP: in a kiosk they never leave the app,
# whatever the keymap says.
NEVER_BOUND_KEYS = frozenset({"ctrl+c", "ctrl+z"})


class IdleWatch:
    """Counts the time since the last input, once somebody is there.

    Nobody is there at the start and after a wipe: the watch is armed by the first input, so
    an untouched welcome screen is not counted down. `tick` (every second, or a test with a
    fake ``clock``) calls ``warn(seconds_left)`` during the last ``warning_seconds`` and
    ``expire()`` when ``idle_seconds`` have passed.
    """

    def __init__(
        self,
        options: KioskOptions,
        *,
        clock: Callable[[], float],
        warn: Callable[[int], None],
        expire: Callable[[], None],
    ) -> None:
        self.options = options
        self.clock = clock
        self.warn = warn
        self.expire = expire
        self._last_input: float | None = None

    @property
    def armed(self) -> bool:
        return self._last_input is not None

    @property
    def warning(self) -> bool:
        """True while the countdown is due (the last ``warning_seconds``)."""
        left = self.seconds_left()
        return left is not None and left <= self.options.warning_seconds

    def seconds_left(self) -> float | None:
        if self._last_input is None:
            return None
        return self.options.idle_seconds - (self.clock() - self._last_input)

    def input_seen(self) -> None:
        self._last_input = self.clock()

    def reset(self) -> None:
        """Nobody is here (after a wipe) until the next input."""
        self._last_input = None

    def tick(self) -> None:
        left = self.seconds_left()
        if left is None or left > self.options.warning_seconds:
            return
        if left <= 0:
            self.reset()
            self.expire()
        else:
            self.warn(math.ceil(left))


def kiosk_keymap(keymap: dict[str, str]) -> dict[str, str]:
    """``keymap`` without the keys that must never act in a kiosk (ctrl+c, ctrl+z)."""
    kept: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        remaining = [key for key in keys.split(",") if key.strip() not in NEVER_BOUND_KEYS]
        if remaining:
            kept[binding_id] = ",".join(remaining)
    return kept


class Kiosk:
    """The app's kiosk behaviour (one per app in kiosk mode)."""

    def __init__(self, app: AccountDeskApp, options: KioskOptions, clock: Callable[[], float]):
        self._app = app
        self.options = options
        self.idle = IdleWatch(options, clock=clock, warn=self._warn, expire=self._expire)
        # One per app: its count of wrong PINs outlives the prompt and every "Start over".
        self.pin_guard = PinGuard(options.operator_pin, clock)
        self._still_there: StillThereScreen | None = None

    def start(self) -> None:
        self._app.set_interval(1, self.tick, name="kiosk idle watch")

    # -- what a kiosk offers -------------------------------------------------------------------

    def allows_action(self, action: str) -> bool:
        feature = GATED_ACTIONS.get(action)
        return feature is None or self.options.allows(feature)

    def system_commands(self, commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
        for command in commands:
            feature = GATED_SYSTEM_COMMANDS.get(command.title)
            if feature is None or self.options.allows(feature):
                yield command

    # -- the idle countdown --------------------------------------------------------------------

    def input_seen(self) -> None:
        self.idle.input_seen()

    def _warn(self, seconds_left: int) -> None:
        from accountdesk.tui.screens.kiosk import StillThereScreen

        screen = self._still_there
        if screen is None or screen not in self._app.screen_stack:
            # Not shown yet, or carried away by a change of screens: (again) on top.
            screen = StillThereScreen(seconds_left, still_needed=lambda: self.idle.warning)
            self._still_there = screen
            self._app.push_screen(screen)
        else:
            screen.seconds_left = seconds_left

    def tick(self) -> None:
        """Follow the clock now (the app does every second)."""
        self.idle.tick()
        screen = self._still_there
        # Input that never reached the countdown (a priority key, the mouse) still counts.
        if screen is not None and not self.idle.warning:
            self._still_there = None
            screen.action_stay()

    def _expire(self) -> None:
        self._app.start_over()

    # -- start over ----------------------------------------------------------------------------

    async def start_over(self) -> None:
        """End the session on the server and wipe every trace of the customer: the tokens
        (the anonymous one too: it carries the guest session), screens and their forms (both
        stacks are rebuilt), the API log, the mailbox, the clipboard, notifications. The
        welcome screen looks as it did when the kiosk started."""
        app = self._app
        self.idle.reset()
        self._still_there = None
        navigation = app.navigation
        navigation.start_over()
        try:
            await app.backend.forget_visitor()
            if app.is_sandbox and self.options.allows("mailbox"):
                await self._empty_mailbox()
        finally:
            # Queued behind the logout's LoggedOut event, which the navigator expects.
            app.call_later(self._wipe_traces)

    async def _empty_mailbox(self) -> None:
        # The next customer must not read the previous one's codes (a reset code is a
        # password). Imported here: the mailbox helpers are a sandbox-only extra.
        from accountdesk.api.sandbox_extras import OutboxError, empty_outbox

        base_url = self._app.base_url
        if base_url is not None:
            with contextlib.suppress(OutboxError):
                await empty_outbox(base_url, self._app.environment.tenant)

    def _wipe_traces(self) -> None:
        app = self._app
        app.navigation.started_over()
        app.show_api_log = False
        app.action_clear_api_log()
        # Textual keeps what it copied (and the terminal may): neither may outlive the customer.
        app.copy_to_clipboard("")
        app.clear_notifications()

    # -- the operator ------------------------------------------------------------------------

    def ask_for_pin(self) -> None:
        from accountdesk.tui.screens.kiosk import OperatorPinScreen

        if self.options.operator_pin is None:
            return
        self._app.push_screen(OperatorPinScreen(self.pin_guard), self._pin_checked)

    def _pin_checked(self, unlocked: bool | None) -> None:
        from accountdesk.tui.screens.kiosk import OperatorMenuScreen

        if unlocked:
            self._app.push_screen(OperatorMenuScreen(), self._operator_chose)

    def _operator_chose(self, choice: str | None) -> None:
        if choice == "quit":
            self._app.exit()
        elif choice == "reconnect":
            self._app.connect()
