"""Recover a forgotten password: ask for a reset code, then set a new password with it."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from accountdesk.api import AccountDeskError, InvalidCodeError, NotFoundError
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.navigation import return_to_login
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.validation import email_problem, extract_token, normalized_email, token_problem
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.new_password import NewPasswordFields
from accountdesk.tui.widgets.token_input import TokenInput

# The same words whether or not the address has an account (OWASP: no account enumeration).
RESET_REQUESTED = N_("If an account exists for that address, we've sent a reset code.")

RESET_DONE_MESSAGE = N_(
    "Your password has been changed and every other session was logged out. "
    "Log in with the new password."
)

_INVALID_CODE = N_(
    "This code is not valid: it may have expired or been used already. Request a new one."
)


class ForgotPasswordScreen(FormScreen):
    """Step 1: the email address to send the reset code to."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Forgot password")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Send reset code"),
            tooltip=N_("Email a password reset code to this address."),
            id="forgot-submit",
        ),
        Binding(
            "escape", "back", N_("Back"), tooltip=N_("Back to the login screen."), id="forgot-back"
        ),
    ]
    SUBMIT_BUTTON = "forgot-submit-button"
    STATUS = "forgot-status"

    def __init__(self, email: str = "") -> None:
        super().__init__()
        self.initial_email = email.strip()

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="forgot-form", classes="form"):
            yield Static(_("Forgot your password?"), classes="form-title")
            yield Static(
                _(
                    "Enter the email address of your account. We'll email you a code to set a "
                    "new password."
                ),
                classes="form-explanation",
                markup=False,
            )
            yield FormField(
                _("Email"),
                Input(self.initial_email, placeholder=_("you@example.com"), id="forgot-email"),
                check=email_problem,
                required=True,
                id="forgot-email-field",
            )
            yield FormStatus(id="forgot-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Send reset code"), id="forgot-submit-button", variant="primary")
                yield Button(_("I already have a code"), id="forgot-have-code")

    def first_focus(self) -> str:
        return "#forgot-email"

    @on(Input.Submitted, "#forgot-email")
    def _email_entered(self) -> None:
        self.submit()

    def send(self) -> None:
        field = self.query_one("#forgot-email-field", FormField)
        if not field.validate():
            field.focus_control()
            return
        self.start_sending()
        self._request_reset(normalized_email(field.value))

    @on(Button.Pressed, "#forgot-have-code")
    def _have_code(self) -> None:
        email = self.query_one("#forgot-email", Input).value.strip()
        self.app.switch_screen(ResetPasswordScreen(email=email or None))

    @work(
        exclusive=True, group="submit", exit_on_error=False, description="Requesting a reset code"
    )
    async def _request_reset(self, email: str) -> None:
        if await self.request(lambda account: account.request_password_reset(email)):
            self.app.switch_screen(ResetPasswordScreen(email=email, notice=_(RESET_REQUESTED)))

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, NotFoundError):
            # A server that reveals unknown addresses still gets the neutral answer.
            self.app.switch_screen(ResetPasswordScreen(email=self.email, notice=_(RESET_REQUESTED)))
            return True
        return super().handle_failure(error)

    @property
    def email(self) -> str:
        return normalized_email(self.query_one("#forgot-email", Input).value)


class ResetPasswordScreen(FormScreen):
    """Step 2: the code from the email and the new password, twice. Does not log in."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Set a new password")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Set password"),
            tooltip=N_("Set the new password with the code from the email."),
            id="reset-submit",
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            tooltip=N_("Back without changing the password."),
            id="reset-back",
        ),
    ]
    SUBMIT_BUTTON = "reset-submit-button"
    STATUS = "reset-status"
    FIELD_PATHS = {
        "token": "reset-token-field",
        "password": "reset-password-field",
        "newPassword": "reset-password-field",
    }

    def __init__(
        self, token: str | None = None, *, email: str | None = None, notice: str | None = None
    ) -> None:
        super().__init__()
        self.token = token
        self.email = email
        self.notice = notice

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="reset-form", classes="form"):
            yield Static(_("Set a new password"), classes="form-title")
            if self.notice:
                yield Static(self.notice, id="reset-notice", classes="form-reason", markup=False)
            yield FormField(
                _("Reset code"),
                TokenInput(self.token, id="reset-token"),
                hint=_("The code, or the whole link from the email."),
                check=token_problem,
                max_length=None,  # codes are opaque: only the server can judge one
                required=True,
                id="reset-token-field",
            )
            yield NewPasswordFields("reset", label=_("New password"), user_inputs=self._user_inputs)
            yield FormStatus(id="reset-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Set password"), id="reset-submit-button", variant="primary")

    def first_focus(self) -> str:
        return "#reset-password" if self.token else "#reset-token"

    def _field(self, field_id: str) -> FormField:
        return self.query_one(f"#{field_id}", FormField)

    def _user_inputs(self) -> tuple[str, ...]:
        return (self.email,) if self.email else ()

    @on(Input.Submitted, "#reset-token")
    @on(Input.Submitted, "#reset-password")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#reset-password-again")
    def _repeat_entered(self) -> None:
        self.submit()

    def send(self) -> None:
        fields = [
            self._field("reset-token-field"),
            self._field("reset-password-field"),
            self._field("reset-password-again-field"),
        ]
        invalid = [field for field in fields if not field.validate()]
        token = extract_token(fields[0].value)
        if invalid or token is None:
            (invalid or fields)[0].focus_control()
            return
        self.start_sending()
        self._reset(token, fields[1].value)

    @work(
        exclusive=True, group="submit", exit_on_error=False, description="Setting the new password"
    )
    async def _reset(self, token: str, new_password: str) -> None:
        if await self.request(lambda account: account.reset_password(token, new_password)):
            self._back_to_login()

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, InvalidCodeError):
            self._field("reset-token-field").set_error(_(_INVALID_CODE))
            self._field("reset-token-field").focus_control()
            return True
        return super().handle_failure(error)

    def _back_to_login(self) -> None:
        # Deliberately no automatic login (OWASP forgot-password cheat sheet).
        return_to_login(self, _(RESET_DONE_MESSAGE), email=self.email)
