"""Activate a new account (double opt-in) with the code or link from the email."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from accountdesk.api import AccountDeskError, InvalidCodeError
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.validation import email_problem, extract_token, normalized_email, token_problem
from accountdesk.tui.widgets.form_field import FormField, FormStatus, RememberMe
from accountdesk.tui.widgets.token_input import TokenInput

_INVALID_CODE = N_(
    "This code is not valid: it may have expired or been used already. "
    "Send a new activation email below."
)


class ActivationScreen(FormScreen):
    """Paste the opt-in code (or the whole link); success logs the new customer in."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Activate your account")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Activate"),
            tooltip=N_("Activate the account with the code entered."),
            id="activation-submit",
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            tooltip=N_("Go back without activating."),
            id="activation-back",
        ),
    ]
    SUBMIT_BUTTON = "activation-submit-button"
    STATUS = "activation-status"

    def __init__(self, email: str | None = None, token: str | None = None) -> None:
        super().__init__()
        self.email = email
        self.token = token

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="activation-form", classes="form"):
            yield Static(_("Activate your account"), classes="form-title")
            yield Static(
                self._explanation(),
                id="activation-explanation",
                classes="form-explanation",
                markup=False,
            )
            yield FormField(
                _("Activation code"),
                TokenInput(self.token, id="activation-token"),
                hint=_("The code, or the whole link from the email: the code is taken from it."),
                check=token_problem,
                max_length=None,  # codes are opaque: only the server can judge one
                required=True,
                id="activation-token-field",
            )
            yield RememberMe(id="activation-remember")
            yield FormStatus(id="activation-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Activate"), id="activation-submit-button", variant="primary")
            yield Static(_("Didn't get the email?"), classes="form-section")
            yield FormField(
                _("Email"),
                Input(self.email, placeholder=_("you@example.com"), id="activation-email"),
                check=email_problem,
                required=True,
                id="activation-email-field",
            )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Resend activation email"), id="activation-resend")

    def _explanation(self) -> str:
        where = (
            _("to {email}").format(email=self.email) if self.email else _("to your sign-up address")
        )
        return _(
            "We've sent an email {where} with an activation code (or a link that carries "
            "it): it proves the address is yours. Paste the code or the whole link here to "
            "activate the account; you will then be logged in. Until then, logging in is not "
            "possible."
        ).format(where=where)

    def first_focus(self) -> str:
        return "#activation-token"

    @on(Input.Submitted, "#activation-token")
    def _token_entered(self) -> None:
        self.submit()

    def send(self) -> None:
        field = self.query_one("#activation-token-field", FormField)
        token = extract_token(field.value)
        if not field.validate() or token is None:
            field.focus_control()
            return
        self.start_sending()
        self._activate(token, self.query_one("#activation-remember", RememberMe).value)

    @work(exclusive=True, group="submit", exit_on_error=False, description="Activating the account")
    async def _activate(self, token: str, remember: bool) -> None:
        await self.request(lambda account: account.activate(token, remember=remember))
        # Logged in: the app now replaces the whole sign-in stack with the account screen.

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, InvalidCodeError):
            field = self.query_one("#activation-token-field", FormField)
            field.set_error(_(_INVALID_CODE))
            field.focus_control()
            return True
        return super().handle_failure(error)

    @on(Button.Pressed, "#activation-resend")
    @on(Input.Submitted, "#activation-email")
    def _resend_pressed(self) -> None:
        button = self.query_one("#activation-resend", Button)
        field = self.query_one("#activation-email-field", FormField)
        if button.loading:
            return
        if field.validate():
            self.start_sending(button)
            self._resend(normalized_email(field.value))
        else:
            field.focus_control()

    @work(
        exclusive=True,
        group="submit",
        exit_on_error=False,
        description="Resending the activation email",
    )
    async def _resend(self, email: str) -> None:
        button = self.query_one("#activation-resend", Button)
        if not await self.request(lambda account: account.resend_activation(email), button=button):
            return
        # The code's old complaint ("required", "not valid") is stale once a new code is coming.
        self.query_one("#activation-token-field", FormField).clear_error()
        self.form_status.show_success(
            _(
                "If {email} has an account waiting for activation, a new email is on its way."
            ).format(email=email)
        )
