"""Kiosk dialogs: "Still there?" before an idle session ends, and the operator's PIN and menu."""

from __future__ import annotations

import math
from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Input, Label, Static

from accountdesk.tui.countdown import Countdown
from accountdesk.tui.i18n import _
from accountdesk.tui.pin_guard import PinGuard
from accountdesk.tui.screens.dialog import DialogScreen
from accountdesk.tui.wording import (
    OPERATOR_CLOSE,
    OPERATOR_MENU_TITLE,
    OPERATOR_PIN_LABEL,
    OPERATOR_PIN_TITLE,
    OPERATOR_PIN_WRONG,
    OPERATOR_QUIT,
    OPERATOR_RECONNECT,
    OPERATOR_UNLOCK,
    STILL_THERE_HINT,
    STILL_THERE_STAY,
    STILL_THERE_TITLE,
    ready_to_retry,
    session_ends_in,
    wait_to_retry,
)


class StillThereScreen(DialogScreen[None]):
    """The countdown of the last seconds of an idle kiosk session; any key or click stays.

    The key that answers is used up here: "enter" to stay must not also submit the form
    underneath.
    """

    seconds_left: reactive[int] = reactive(0)

    def __init__(self, seconds_left: int, *, still_needed: Callable[[], bool]) -> None:
        super().__init__()
        self.set_reactive(StillThereScreen.seconds_left, seconds_left)
        self.still_needed = still_needed
        self._staying = False

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="still-there-dialog", classes="kiosk-dialog"):
            yield Label(_(STILL_THERE_TITLE), id="still-there-title", classes="kiosk-dialog-title")
            yield Static(session_ends_in(self.seconds_left), id="still-there-countdown")
            yield Static(_(STILL_THERE_HINT), id="still-there-hint")
            with Horizontal(classes="kiosk-buttons"):
                yield Button(_(STILL_THERE_STAY), id="still-there-stay", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#still-there-stay", Button).focus()

    def watch_seconds_left(self, seconds: int) -> None:
        if self.is_mounted:
            self.query_one("#still-there-countdown", Static).update(session_ends_in(seconds))

    def action_stay(self) -> None:
        # Once: the app (its clock) and this screen (a key, its resume) may both end it. Only
        # from the top: dismiss pops whatever is on top (a palette opened over this one), and
        # `is_current` is also true under a modal screen; resuming calls this again.
        if self.app.screen is self and not self._staying:
            self._staying = True
            self.dismiss()

    @on(Button.Pressed, "#still-there-stay")
    def _stay_pressed(self) -> None:
        self.action_stay()

    def on_key(self, event: events.Key) -> None:
        # Any key stays (the app already counted it as input).
        event.stop()
        event.prevent_default()
        self.action_stay()

    def on_click(self) -> None:
        self.action_stay()

    def on_screen_resume(self) -> None:
        # Shown again after a screen opened over it closed: the countdown may be over.
        if not self.still_needed():
            self.action_stay()


class OperatorPinScreen(DialogScreen[bool]):
    """Asks for the operator PIN; dismisses with True once it matches, False on escape.

    After too many wrong PINs (``guard`` counts them) it refuses any PIN for a while, and
    counts that time down.
    """

    BINDINGS = [
        Binding("escape", "cancel", OPERATOR_CLOSE, id="operator-pin-cancel"),
    ]

    def __init__(self, guard: PinGuard) -> None:
        super().__init__()
        self._guard = guard
        self.lockout = Countdown(self, self._show_lockout, clock=guard.clock)

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="operator-pin-dialog", classes="kiosk-dialog"):
            yield Label(_(OPERATOR_PIN_TITLE), classes="kiosk-dialog-title")
            yield Input(placeholder=_(OPERATOR_PIN_LABEL), password=True, id="operator-pin")
            yield Static("", id="operator-pin-status")
            with Horizontal(classes="kiosk-buttons"):
                yield Button(_(OPERATOR_UNLOCK), id="operator-pin-unlock", variant="primary")
                yield Button(_(OPERATOR_CLOSE), id="operator-pin-close")

    def on_mount(self) -> None:
        self.query_one("#operator-pin", Input).focus()
        # Closing the prompt and opening it again does not end a lockout.
        self._count_down_any_lockout()

    @on(Input.Submitted, "#operator-pin")
    @on(Button.Pressed, "#operator-pin-unlock")
    def _unlock(self) -> None:
        field = self.query_one("#operator-pin", Input)
        entered, field.value = field.value, ""
        if self._guard.try_pin(entered):
            self.dismiss(True)
            return
        if not self._count_down_any_lockout():
            self.query_one("#operator-pin-status", Static).update(_(OPERATOR_PIN_WRONG))
        field.focus()

    def _count_down_any_lockout(self) -> bool:
        locked = self._guard.seconds_locked()
        if locked > 0:
            self.lockout.start(math.ceil(locked))
        return locked > 0

    def _show_lockout(self, remaining: int) -> None:
        self.query_one("#operator-pin-unlock", Button).disabled = remaining > 0
        status = wait_to_retry(remaining) if remaining > 0 else ready_to_retry()
        self.query_one("#operator-pin-status", Static).update(status)

    @on(Button.Pressed, "#operator-pin-close")
    def action_cancel(self) -> None:
        self.dismiss(False)


class OperatorMenuScreen(DialogScreen[str | None]):
    """What the operator may do that a customer may not: quit, reconnect."""

    BINDINGS = [
        Binding("escape", "close", OPERATOR_CLOSE, id="operator-menu-close"),
    ]

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="operator-menu-dialog", classes="kiosk-dialog"):
            yield Label(_(OPERATOR_MENU_TITLE), classes="kiosk-dialog-title")
            with Horizontal(classes="kiosk-buttons"):
                yield Button(_(OPERATOR_QUIT), id="operator-quit", variant="error")
                yield Button(_(OPERATOR_RECONNECT), id="operator-reconnect")
                yield Button(_(OPERATOR_CLOSE), id="operator-close")

    def on_mount(self) -> None:
        self.query_one("#operator-close", Button).focus()

    @on(Button.Pressed, "#operator-quit")
    def _quit(self) -> None:
        self.dismiss("quit")

    @on(Button.Pressed, "#operator-reconnect")
    def _reconnect(self) -> None:
        self.dismiss("reconnect")

    @on(Button.Pressed, "#operator-close")
    def action_close(self) -> None:
        self.dismiss(None)
