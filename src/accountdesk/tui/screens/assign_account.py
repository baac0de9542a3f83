"""Add an email and password login to a profile that only logs in through an identity provider."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from accountdesk.api import AccountDeskError, ConflictError, EmailTakenError
from accountdesk.tui.context import services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.validation import email_problem, normalized_email
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.new_password import NewPasswordFields

EMAIL_TAKEN = N_(
    "This email already belongs to another account. Use another address, or log in to that "
    "account with its password."
)
ALREADY_HAS_LOGIN = N_("Your account has an email and password login already.")


def login_added(email: str) -> str:
    return _("Done: you can now also log in with {email} and your new password.").format(
        email=email
    )


class AssignAccountScreen(FormScreen):
    """Email and a new password; on success the account can log in with them as well."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Add a password login")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Add login"),
            tooltip=N_("Add this email and password as a way to log in."),
            id="assign-submit",
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            tooltip=N_("Back without adding a login."),
            id="assign-back",
        ),
    ]
    SUBMIT_BUTTON = "assign-submit-button"
    STATUS = "assign-status"
    FIELD_PATHS = {"email": "assign-email-field", "password": "assign-password-field"}

    def compose_body(self) -> ComposeResult:
        # The identity provider's address is the likely choice (validateauthtoken names it).
        email = services_of(self).customer_email or ""
        with VerticalScroll(id="assign-form", classes="form"):
            yield Static(_("Add a password login"), classes="form-title")
            yield Static(
                _(
                    "You log in through an identity provider. Add an email address and a "
                    "password to log in with them too."
                ),
                classes="form-explanation",
                markup=False,
            )
            yield FormField(
                _("Email"),
                Input(email, placeholder=_("you@example.com"), id="assign-email"),
                check=email_problem,
                required=True,
                id="assign-email-field",
            )
            yield NewPasswordFields("assign", user_inputs=self._user_inputs)
            yield FormStatus(id="assign-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Add password login"), id="assign-submit-button", variant="primary")

    def first_focus(self) -> str:
        return "#assign-password" if services_of(self).customer_email else "#assign-email"

    def _field(self, field_id: str) -> FormField:
        return self.query_one(f"#{field_id}", FormField)

    def _user_inputs(self) -> tuple[str, ...]:
        return (self.query_one("#assign-email", Input).value,)

    @on(Input.Submitted, "#assign-email")
    @on(Input.Submitted, "#assign-password")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#assign-password-again")
    def _repeat_entered(self) -> None:
        self.submit()

    def send(self) -> None:
        fields = [
            self._field("assign-email-field"),
            self._field("assign-password-field"),
            self._field("assign-password-again-field"),
        ]
        invalid = [field for field in fields if not field.validate()]
        if invalid:
            invalid[0].focus_control()
            return
        self.start_sending()
        self._assign(normalized_email(fields[0].value), fields[1].value)

    @work(
        exclusive=True,
        group="submit",
        exit_on_error=False,
        description="Adding the password login",
    )
    async def _assign(self, email: str, password: str) -> None:
        if await self.request(lambda account: account.assign_password_login(email, password)):
            self.app.notify(login_added(email), title=_("Password login added"), markup=False)
            if self.is_current:
                self.dismiss()

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, EmailTakenError):
            self._field("assign-email-field").set_error(_(EMAIL_TAKEN))
            self.form_status.show_error(_("This email is already registered."))
            self._field("assign-email-field").focus_control()
            return True
        if isinstance(error, ConflictError):
            self.form_status.show_error(_(ALREADY_HAS_LOGIN))
            return True
        return super().handle_failure(error)
