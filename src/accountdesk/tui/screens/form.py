"""What the forms share: one submit button, its in-flight guard, the request ladder (busy
button, status cleared, server field errors next to their fields, other failures on the status
line, input kept), the field focused first, and the way back."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar

from textual import events, on
from textual.widgets import Button

from accountdesk.api import AccountDeskError, BadRequestError
from accountdesk.session import AccountService
from accountdesk.tui.context import account_of, services_of
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.widgets.form_field import (
    FormField,
    FormStatus,
    place_field_errors,
    show_sending,
)
from accountdesk.tui.wording import describe


class FormScreen(AccountDeskScreen):
    """A form sent by its primary button, ctrl+s (``action_submit``) or enter in its last field.

    Subclasses name their widgets in ``SUBMIT_BUTTON`` and ``STATUS`` (ids without ``#``), map
    the request's JSON paths to their `FormField` ids in ``FIELD_PATHS``, say which control gets
    the focus first (`first_focus`), and implement `send`: validate, `start_sending`, then start
    a worker that awaits `request`. Special failures (a taken email, an invalid code) are
    handled by overriding `handle_failure`.
    """

    SUBMIT_BUTTON: ClassVar[str]
    STATUS: ClassVar[str]
    FIELD_PATHS: ClassVar[Mapping[str, str]] = {}

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

    def action_back(self) -> None:
        self.dismiss()

    def action_submit(self) -> None:
        self.submit()

    def submit(self) -> None:
        if self.submit_button.loading:
            return  # enter/ctrl+s while the request is on its way: one request is enough
        self.send()

    @on(Button.Pressed)
    def _submit_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.SUBMIT_BUTTON:
            event.stop()
            self.submit()

    def start_sending(self, button: Button | None = None) -> None:
        """Mark the button busy, in the handler that starts the worker."""
        show_sending(button or self.submit_button, True)

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

    async def request(
        self,
        call: Callable[[AccountService], Awaitable[object]],
        *,
        button: Button | None = None,
    ) -> bool:
        """Run ``call`` with the button busy; True if it worked. A failure goes to its fields
        (`handle_failure`) or the status line; what was typed stays."""
        self.form_status.clear()
        try:
            await call(account_of(self))
        except AccountDeskError as error:
            if not self.handle_failure(error):
                self.show_failure(error)
            return False
        finally:
            show_sending(button or self.submit_button, False)
        return True
