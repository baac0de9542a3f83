"""What the forms share: one submit button, its in-flight guard, the request ladder (busy
button, status cleared, server field errors next to their fields, other failures on the status
line, input kept), the field focused first, a lockout that counts down, and the way back
(which asks before throwing typed input away)."""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select

from accountdesk.api.errors import AccountDeskError, BadRequestError, RateLimitedError
from accountdesk.tui.context import account_of, services_of
from accountdesk.tui.countdown import Countdown
from accountdesk.tui.i18n import _
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.widgets.form_field import (
    FormField,
    FormStatus,
    place_field_errors,
    show_sending,
)
from accountdesk.tui.wording import describe, plural, ready_to_retry, wait_to_retry

if TYPE_CHECKING:
    from accountdesk.session.account import AccountService

# How long a form sent during startup waits for the connection before it says "still
# connecting" (starting the embedded sandbox takes about a second).
CONNECT_WAIT_SECONDS = 15.0

FormValue = object
"""What a control holds: text, a Select's choice, a checkbox's state."""


class FormScreen(AccountDeskScreen):
    """A form sent by its primary button, ctrl+s (``action_submit``) or enter in its last field.

    Subclasses name their widgets in ``SUBMIT_BUTTON`` and ``STATUS`` (ids without ``#``), map
    the request's JSON paths to their `FormField` ids in ``FIELD_PATHS``, say which control gets
    the focus first (`first_focus`), and implement `send`: validate, `start_sending`, then start
    a worker that awaits `request`. Special failures (a taken email, an invalid code) are
    handled by overriding `handle_failure`.

    The status line shows the newest state only: a new request clears it, editing a field
    clears an error on it, and any message on it hides the reason the screen was opened with
    (widgets with the ``form-reason`` class).
    """

    SUBMIT_BUTTON: ClassVar[str]
    STATUS: ClassVar[str]
    FIELD_PATHS: ClassVar[Mapping[str, str]] = {}
    # Fewer than 34 rows (e.g. 80x24): styles/compact.tcss draws the controls without boxes
    # so the submit button and the status line fit without scrolling.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]

    def __init__(self) -> None:
        super().__init__()
        self._opened_with: dict[Widget, FormValue] | None = None
        self._lockout_button: Button | None = None
        self._refocus: Button | None = None
        self.lockout = Countdown(self, self._show_lockout)

    @property
    def submit_button(self) -> Button:
        return self.query_one(f"#{self.SUBMIT_BUTTON}", Button)

    @property
    def form_status(self) -> FormStatus:
        return self.query_one(f"#{self.STATUS}", FormStatus)

    @abstractmethod
    def first_focus(self) -> str:
        """The selector of the control focused when the screen opens."""

    @abstractmethod
    def send(self) -> None:
        """Check the fields; if they are fine, `start_sending` and start the request worker."""

    @on(events.Mount)
    def _focus_first_field(self) -> None:
        self.query_one(self.first_focus()).focus()
        # Now, before any key reaches the form: the controls hold what it was opened with.
        self._opened_with = self.form_values()

    # -- going back ------------------------------------------------------------------------

    def form_values(self) -> dict[Widget, FormValue]:
        """Every control's value: what "the form as it is now" means."""
        controls: list[Input | Select[object] | Checkbox] = [
            *self.query(Input),
            *self.query(Select),
            *self.query(Checkbox),
        ]
        return {control: control.value for control in controls}

    @property
    def is_dirty(self) -> bool:
        """True when any control differs from how the screen was opened."""
        if self._opened_with is None:
            return False
        now = self.form_values()
        return any(now.get(control) != value for control, value in self._opened_with.items())

    def action_back(self) -> None:
        if not self.is_dirty:
            self.dismiss()
            return
        self.app.push_screen(
            ConfirmScreen(
                _("Discard what you typed?"),
                detail=_("Going back throws away what you entered on this screen."),
                confirm_label=_("Discard"),
                cancel_label=_("Keep editing"),
                destructive=True,
            ),
            self._discard_if_confirmed,
        )

    def _discard_if_confirmed(self, discard: bool | None) -> None:
        if discard and self.is_current:
            self.dismiss()

    # -- submitting ------------------------------------------------------------------------

    def action_submit(self) -> None:
        self.submit()

    def submit(self) -> None:
        if self.submit_button.loading or self.lockout.running:
            return  # a request on its way, or the server said to wait: not now
        self.send()

    @on(Button.Pressed)
    def _submit_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.SUBMIT_BUTTON:
            event.stop()
            self.submit()

    def start_sending(self, button: Button | None = None) -> None:
        """Mark the button busy, in the handler that starts the worker."""
        button = button or self.submit_button
        # A disabled button loses the focus; a keyboard user gets it back when it is done.
        self._refocus = button if button.has_focus else None
        show_sending(button, True)

    def report_invalid(self, invalid: Sequence[FormField]) -> None:
        """Name the fields that failed their checks on the status line; focus the first."""
        names = ", ".join(field.label for field in invalid)
        self.form_status.show_error(
            plural(
                len(invalid),
                "Check the highlighted field: {names}.",
                "Check the highlighted fields: {names}.",
            ).replace("{names}", names)
        )
        invalid[0].focus_control()
        invalid[0].scroll_visible()

    def show_failure(self, error: BaseException) -> None:
        """Say on the status line why a request failed (no single field explains it)."""
        self.form_status.show_error(describe(error, services_of(self).base_url))

    def handle_failure(self, error: AccountDeskError) -> bool:
        """Show a failure where it belongs; True when handled. The default puts a 400's field
        problems next to the fields in ``FIELD_PATHS``; overrides handle their special cases
        and fall back to this."""
        if isinstance(error, BadRequestError) and error.field_errors and self.FIELD_PATHS:
            fields = {
                path: self.query_one(f"#{field_id}", FormField)
                for path, field_id in self.FIELD_PATHS.items()
            }
            place_field_errors(error, fields, self.form_status, describe(error))
            return True
        return False

    async def _wait_while_connecting(self) -> None:
        """A form sent while the app is still connecting (a password manager submits the
        moment the screen shows) waits for the connection instead of failing at once."""
        services = services_of(self)
        waited = 0.0
        while services.backend_state == "connecting" and waited < CONNECT_WAIT_SECONDS:
            await asyncio.sleep(0.05)
            waited += 0.05

    async def request(
        self,
        call: Callable[[AccountService], Awaitable[object]],
        *,
        button: Button | None = None,
    ) -> bool:
        """Run ``call`` with the button busy; True if it worked. A failure goes to its fields
        (`handle_failure`) or the status line; what was typed stays. When the server says how
        long to wait (429), the button stays off and the status line counts down."""
        button = button or self.submit_button
        self.form_status.clear()
        failure: AccountDeskError | None = None
        try:
            await self._wait_while_connecting()
            await call(account_of(self))
        except AccountDeskError as error:
            failure = error
        finally:
            show_sending(button, False)
            if self._refocus is button and self.focused is None:
                button.focus()
        if failure is None:
            return True
        wait = failure.params.get("retry_after") if isinstance(failure, RateLimitedError) else None
        if wait is not None:
            self._lockout_button = button
            self.lockout.start(int(wait))
        elif not self.handle_failure(failure):
            self.show_failure(failure)
        return False

    def _show_lockout(self, remaining: int) -> None:
        button = self._lockout_button or self.submit_button
        if remaining > 0:
            button.disabled = True
            self.form_status.show_error(wait_to_retry(remaining))
        else:
            button.disabled = False
            self.form_status.show_success(ready_to_retry())

    # -- the newest message only -----------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    def _input_edited(self) -> None:
        # An error about what was sent is stale once the user changes it; a lockout is not
        # about the input, and its countdown keeps the line current.
        if self.form_status.kind == "-error" and not self.lockout.running:
            self.form_status.clear()

    @on(FormStatus.Shown)
    def _newer_message_shown(self) -> None:
        for reason in self.query(".form-reason"):
            reason.display = False
