"""Change the password of the logged-in customer: the current one, then the new one twice."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from accountdesk.api import AccountDeskError, BadRequestError, TokenError, UnauthorizedError
from accountdesk.tui.context import services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.new_password import NewPasswordFields
from accountdesk.tui.widgets.password_strength import PasswordInput

PASSWORD_CHANGED = N_(
    "Your password has been changed. Every other session was signed out; this one stays."
)
WRONG_CURRENT_PASSWORD = N_("This is not your current password.")

# The server names the re-entered password `currentPassword` (400) or answers 401.
_CURRENT_FIELD_PATH = "currentPassword"


def is_wrong_current_password(error: AccountDeskError) -> bool:
    """The server refused the current password (not the session, not the new password)."""
    if isinstance(error, UnauthorizedError) and not isinstance(error, TokenError):
        return True
    return isinstance(error, BadRequestError) and set(error.field_errors) == {_CURRENT_FIELD_PATH}


class ChangePasswordScreen(FormScreen):
    """Current password, then `NewPasswordFields`; enter moves on, enter in the last submits."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Change password")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Change password"),
            tooltip=N_("Set the new password (other sessions are signed out)."),
            id="change-password-submit",
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            tooltip=N_("Back to your account without changing the password."),
            id="change-password-back",
        ),
    ]
    SUBMIT_BUTTON = "change-password-submit-button"
    STATUS = "change-password-status"
    FIELD_PATHS = {
        _CURRENT_FIELD_PATH: "change-current-password-field",
        "newPassword": "change-password-field",
    }

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="change-password-form", classes="form"):
            yield Static(_("Change your password"), classes="form-title")
            yield Static(
                _(
                    "Every other session (other devices, other windows) is signed out; "
                    "this one stays logged in."
                ),
                classes="form-explanation",
                markup=False,
            )
            yield FormField(
                _("Current password"),
                PasswordInput(id="change-current-password"),
                required=True,
                id="change-current-password-field",
            )
            yield NewPasswordFields(
                "change", label=_("New password"), user_inputs=self._user_inputs
            )
            yield FormStatus(id="change-password-status")
            with Horizontal(classes="form-buttons"):
                yield Button(
                    _("Change password"), id="change-password-submit-button", variant="primary"
                )

    def first_focus(self) -> str:
        return "#change-current-password"

    def _field(self, field_id: str) -> FormField:
        return self.query_one(f"#{field_id}", FormField)

    def _user_inputs(self) -> tuple[str, ...]:
        # zxcvbn marks down a new password built from the customer's own address.
        email = services_of(self).customer_email
        return (email,) if email else ()

    @on(Input.Submitted, "#change-current-password")
    @on(Input.Submitted, "#change-password")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#change-password-again")
    def _repeat_entered(self) -> None:
        self.submit()

    def send(self) -> None:
        fields = [
            self._field("change-current-password-field"),
            self._field("change-password-field"),
            self._field("change-password-again-field"),
        ]
        invalid = [field for field in fields if not field.validate()]
        if invalid:
            invalid[0].focus_control()
            return
        self.start_sending()
        self._change(fields[0].value, fields[1].value)

    @work(exclusive=True, group="submit", exit_on_error=False, description="Changing the password")
    async def _change(self, current_password: str, new_password: str) -> None:
        if not await self.request(
            lambda account: account.change_password(current_password, new_password)
        ):
            return
        # The screen goes away, but the typed passwords must not outlive the request.
        for input_widget in self.query(PasswordInput):
            input_widget.value = ""
        self.app.notify(_(PASSWORD_CHANGED), title=_("Password changed"), markup=False)
        self.dismiss()

    def show_failure(self, error: BaseException) -> None:
        super().show_failure(error)
        # On a short terminal the status line sits below the fold, under the focused field.
        self.form_status.scroll_visible()

    def handle_failure(self, error: AccountDeskError) -> bool:
        if is_wrong_current_password(error):
            field = self._field("change-current-password-field")
            field.set_error(_(WRONG_CURRENT_PASSWORD))
            field.focus_control()
            return True
        return super().handle_failure(error)
