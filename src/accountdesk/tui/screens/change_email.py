"""Change the login email: the new address and the password, then the code mailed there.

The login email only changes once the code is confirmed, which proves the new address is the
customer's. In the sandbox the mailbox (F3) can confirm it too: the confirm step notices and
closes itself when the customer comes back.
"""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Static

from accountdesk.api import AccountDeskError, BadRequestError, EmailTakenError, InvalidCodeError
from accountdesk.tui.context import services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.validation import email_problem, extract_token, normalized_email, token_problem
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.password_strength import PasswordInput
from accountdesk.tui.widgets.token_input import TokenInput
from accountdesk.tui.wording import describe

WRONG_PASSWORD = N_("This is not your current password.")
SAME_EMAIL = N_("This is already the email address you log in with.")
INVALID_CODE = N_(
    "This code is not valid: it may have expired or been used already. Press Escape and "
    "start the change again for a new code."
)


def email_changed_message(new_email: str) -> str:
    return _("Your login email is now {email}.").format(email=new_email)


def _same_address(first: str | None, second: str | None) -> bool:
    # The server compares addresses case-insensitively.
    return first is not None and second is not None and first.casefold() == second.casefold()


class ChangeEmailScreen(FormScreen):
    """Step 1: the new address, the current password, and whether contact mail follows."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Change email")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Send code"),
            tooltip=N_("Email a confirmation code to the new address."),
            id="change-email-submit",
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            tooltip=N_("Back to your account without changing the email."),
            id="change-email-back",
        ),
    ]
    SUBMIT_BUTTON = "change-email-submit-button"
    STATUS = "change-email-status"
    FIELD_PATHS = {
        "newEmail": "change-email-new-field",
        "password": "change-email-password-field",
    }

    def __init__(self, new_email: str = "") -> None:
        super().__init__()
        self.initial_email = new_email

    def compose_body(self) -> ComposeResult:
        current = services_of(self).customer_email
        where = _("You log in with {email}. ").format(email=current) if current else ""
        with VerticalScroll(id="change-email-form", classes="form"):
            yield Static(_("Change your login email"), classes="form-title")
            yield Static(
                where
                + _(
                    "We'll email a code to the new address; the change takes effect when you "
                    "confirm it."
                ),
                classes="form-explanation",
                markup=False,
            )
            # Side by side, so the whole form and its button fit 80x24.
            with Horizontal(classes="form-row"):
                yield FormField(
                    _("New email"),
                    Input(
                        self.initial_email, placeholder=_("you@example.com"), id="change-email-new"
                    ),
                    check=self._new_email_problem,
                    required=True,
                    id="change-email-new-field",
                )
                yield FormField(
                    _("Current password"),
                    PasswordInput(id="change-email-password"),
                    hint=_("To make sure it's you."),
                    required=True,
                    id="change-email-password-field",
                )
            yield Checkbox(
                _("Also use as contact email"), id="change-email-contact", classes="form-extra"
            )
            yield FormStatus(id="change-email-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Send code"), id="change-email-submit-button", variant="primary")

    def first_focus(self) -> str:
        return "#change-email-new"

    def _field(self, field_id: str) -> FormField:
        return self.query_one(f"#{field_id}", FormField)

    def _new_email_problem(self, value: str) -> str | None:
        if _same_address(normalized_email(value), services_of(self).customer_email):
            return _(SAME_EMAIL)
        return email_problem(value)

    @on(Input.Submitted, "#change-email-new")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#change-email-password")
    def _password_entered(self) -> None:
        self.submit()

    def send(self) -> None:
        fields = [self._field("change-email-new-field"), self._field("change-email-password-field")]
        invalid = [field for field in fields if not field.validate()]
        if invalid:
            invalid[0].focus_control()
            return
        self.start_sending()
        self._request_change(
            normalized_email(fields[0].value),
            fields[1].value,
            self.query_one("#change-email-contact", Checkbox).value,
        )

    @work(
        exclusive=True,
        group="submit",
        exit_on_error=False,
        description="Requesting the email change",
    )
    async def _request_change(self, new_email: str, password: str, use_as_contact: bool) -> None:
        if await self.request(
            lambda account: account.request_email_change(
                new_email, password, use_as_contact_email=use_as_contact
            )
        ):
            self.query_one("#change-email-password", PasswordInput).value = ""
            self.app.switch_screen(ConfirmEmailChangeScreen(new_email))

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, EmailTakenError):
            field = self._field("change-email-new-field")
            field.set_error(describe(error))
            field.focus_control()
            return True
        if isinstance(error, BadRequestError) and set(error.field_errors) == {"password"}:
            field = self._field("change-email-password-field")
            field.set_error(_(WRONG_PASSWORD))
            field.focus_control()
            return True
        return super().handle_failure(error)


class ConfirmEmailChangeScreen(FormScreen):
    """Step 2: the code (or the link) from the email sent to the new address."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Confirm new email")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Confirm"),
            tooltip=N_("Switch the login email with the code from the email."),
            id="confirm-email-submit",
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            tooltip=N_("Back to your account; the email stays as it is."),
            id="confirm-email-back",
        ),
    ]
    SUBMIT_BUTTON = "confirm-email-submit-button"
    STATUS = "confirm-email-status"
    FIELD_PATHS = {"token": "confirm-email-token-field"}

    def __init__(self, new_email: str) -> None:
        super().__init__()
        self.new_email = new_email
        self._confirmed = False

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="confirm-email-form", classes="form"):
            yield Static(_("Confirm your new email"), classes="form-title")
            yield Static(
                self._explanation(),
                id="confirm-email-explanation",
                classes="form-explanation",
                markup=False,
            )
            yield FormField(
                _("Confirmation code"),
                TokenInput(id="confirm-email-token"),
                hint=_("The code, or the whole link from the email."),
                check=token_problem,
                max_length=None,  # codes are opaque: only the server can judge one
                required=True,
                id="confirm-email-token-field",
            )
            yield FormStatus(id="confirm-email-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Confirm"), id="confirm-email-submit-button", variant="primary")

    def _explanation(self) -> str:
        text = _(
            "We've sent a code to {email}. Paste the code or the whole link from "
            "that email; you log in with the new address from then on."
        ).format(email=self.new_email)
        if services_of(self).is_sandbox:
            text += " " + _("In the sandbox, F3 opens the mailbox, where Continue confirms it too.")
        return text

    def first_focus(self) -> str:
        return "#confirm-email-token"

    @on(Input.Submitted, "#confirm-email-token")
    def _token_entered(self) -> None:
        self.submit()

    def send(self) -> None:
        field = self.query_one("#confirm-email-token-field", FormField)
        token = extract_token(field.value)
        if not field.validate() or token is None:
            field.focus_control()
            return
        self.start_sending()
        self._confirm(token)

    @work(
        exclusive=True, group="submit", exit_on_error=False, description="Confirming the new email"
    )
    async def _confirm(self, token: str) -> None:
        if await self.request(lambda account: account.confirm_email_change(token)):
            self._confirmed = True
            self.app.notify(
                email_changed_message(self.new_email), title=_("Email changed"), markup=False
            )
            self.dismiss()

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, InvalidCodeError):
            field = self.query_one("#confirm-email-token-field", FormField)
            field.set_error(_(INVALID_CODE))
            field.focus_control()
            return True
        return super().handle_failure(error)

    @on(events.ScreenResume)
    def _confirmed_elsewhere(self) -> None:
        # Back from the mailbox, whose Continue confirmed the change (and said so): this step
        # has nothing left to do.
        if not self._confirmed and _same_address(services_of(self).customer_email, self.new_email):
            self._confirmed = True
            self.dismiss()
