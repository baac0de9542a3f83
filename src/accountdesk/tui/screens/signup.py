"""Create an account: credentials, personal details and an optional first address."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from accountdesk.api import (
    AccountDeskError,
    CustomerSignup,
    EmailTakenError,
)
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.navigation import flow_screen
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.validation import email_problem, normalized_email
from accountdesk.tui.widgets.address_fields import AddressFields, AddressParts, address_field_paths
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.new_password import NewPasswordFields
from accountdesk.tui.widgets.personal_fields import (
    SIGNUP_PARTS,
    PersonalFields,
    personal_field_paths,
)

_DUPLICATE_EMAIL = N_(
    "An account with this email already exists. Log in instead, or use "
    "'Forgot password?' on the login screen if you don't remember the password."
)

# The first address is optional and short: company and phone are asked in "About you".
_ADDRESS_PARTS = AddressParts(company=False, appendix=False, phone=False)

# Server field paths (JSON paths of the signup body) -> the form field showing their errors.
# preferredLanguage / preferredCurrency come from fixed lists; a complaint about them goes to
# the form-level message.
_FIELD_FOR_PATH = {
    "email": "signup-email-field",
    "signup.email": "signup-email-field",
    "password": "signup-password-field",
    "signup.password": "signup-password-field",
    **personal_field_paths("signup", SIGNUP_PARTS, body_prefixes=("customerDetails.",)),
    "customerDetails.contactEmail": "signup-email-field",
    **address_field_paths("signup", "customerAddress.", _ADDRESS_PARTS),
}


class SignUpScreen(FormScreen):
    """The signup form; after the server accepts it, the activation screen takes over."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Create an account")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Create account"),
            tooltip=N_("Send the form and create the account."),
            id="signup-submit",
        ),
        Binding(
            "escape", "back", N_("Back"), tooltip=N_("Back to the login screen."), id="signup-back"
        ),
    ]
    SUBMIT_BUTTON = "signup-submit-button"
    STATUS = "signup-status"
    FIELD_PATHS = _FIELD_FOR_PATH

    def __init__(self, email: str = "") -> None:
        super().__init__()
        self.initial_email = email.strip()

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="signup-form", classes="form"):
            yield Static(_("Create an account"), classes="form-title")
            yield Static(_("Fields marked * are required."), classes="form-note")
            yield Static(_("Sign-in"), classes="form-section")
            yield FormField(
                _("Email"),
                Input(self.initial_email, placeholder=_("you@example.com"), id="signup-email"),
                check=email_problem,
                required=True,
                id="signup-email-field",
            )
            yield NewPasswordFields("signup", user_inputs=self._user_inputs)
            yield Static(_("About you"), classes="form-section")
            yield PersonalFields("signup", SIGNUP_PARTS)
            yield Static(_("First address (optional)"), classes="form-section")
            yield AddressFields(
                "signup",
                parts=_ADDRESS_PARTS,
                optional=True,
                contact_required=False,
                contact_placeholder=_("defaults to your name"),
            )
            yield FormStatus(id="signup-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Create account"), id="signup-submit-button", variant="primary")
                yield Button(_("Back to login"), id="signup-cancel")

    def first_focus(self) -> str:
        return "#signup-password" if self.initial_email else "#signup-email"

    # -- checks that depend on other fields ------------------------------------------------------

    def _field(self, field_id: str) -> FormField:
        return self.query_one(f"#{field_id}", FormField)

    def _user_inputs(self) -> tuple[str, ...]:
        return tuple(
            self._field(field_id).value.strip()
            for field_id in (
                "signup-email-field",
                "signup-first-name-field",
                "signup-last-name-field",
            )
        )

    @property
    def address(self) -> AddressFields:
        return self.query_one("#signup-address", AddressFields)

    # -- submitting ------------------------------------------------------------------------------

    @on(Button.Pressed, "#signup-cancel")
    def _cancel(self) -> None:
        self.action_back()  # asks before throwing typed input away, like escape

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.has_class("country-filter"):
            self.submit()  # the last field: enter sends the form
        else:
            self.focus_next()

    def send(self) -> None:
        # Once any address line is filled in, the country's rules say what else it needs.
        self.address.apply_rules()
        fields = list(self.query(FormField))
        invalid = [field for field in fields if not field.validate()]
        self.query_one(NewPasswordFields).assess()
        if invalid:
            self.report_invalid(invalid)
            return
        self.start_sending()
        self._sign_up(self._signup_body())

    def _signup_body(self) -> CustomerSignup:
        details = self.query_one(PersonalFields).details()
        first_name, last_name = details.first_name, details.last_name
        address = None
        if not self.address.is_blank():
            address = self.address.to_create(
                contact_name=" ".join(part for part in (first_name, last_name) if part)
            )
        return CustomerSignup(
            email=normalized_email(self._field("signup-email-field").value),
            password=self._field("signup-password-field").value,
            customer_details=details,
            customer_address=address,
        )

    @work(exclusive=True, group="submit", exit_on_error=False, description="Creating the account")
    async def _sign_up(self, signup: CustomerSignup) -> None:
        if await self.request(lambda account: account.sign_up(signup)):
            self.app.switch_screen(flow_screen("activation", email=signup.email))

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, EmailTakenError):
            self._field("signup-email-field").set_error(_(_DUPLICATE_EMAIL))
            self.form_status.show_error(_("This email is already registered."))
            self._field("signup-email-field").focus_control()
            return True
        return super().handle_failure(error)
