"""Create an account: credentials, personal details and an optional first address."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from accountdesk.api import (
    AccountDeskError,
    AddressCreate,
    CustomerSignup,
    EmailTakenError,
)
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.validation import email_problem, normalized_email
from accountdesk.tui.widgets.country_select import CountrySelect, match_countries
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.new_password import NewPasswordFields
from accountdesk.tui.widgets.personal_fields import (
    SIGNUP_PARTS,
    PersonalFields,
    personal_field_paths,
)
from accountdesk.tui.wording import plural

_DUPLICATE_EMAIL = (
    "An account with this email already exists. Log in instead, or use "
    "'Forgot password?' on the login screen if you don't remember the password."
)

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
    "customerAddress.contactName": "signup-contact-name-field",
    "customerAddress.street": "signup-street-field",
    "customerAddress.streetNumber": "signup-street-number-field",
    "customerAddress.zipCode": "signup-zip-field",
    "customerAddress.city": "signup-city-field",
    "customerAddress.country": "signup-country-field",
}

# Once any address line is filled in, these make the address usable for delivery.
_ADDRESS_REQUIRED = (
    "signup-street-field",
    "signup-zip-field",
    "signup-city-field",
    "signup-country-field",
)
_ADDRESS_FIELDS = (
    "signup-contact-name-field",
    "signup-street-field",
    "signup-street-number-field",
    "signup-zip-field",
    "signup-city-field",
    "signup-country-field",
)


class SignUpScreen(FormScreen):
    """The signup form; after the server accepts it, the activation screen takes over."""

    TITLE = "Account Desk"
    SUB_TITLE = "Create an account"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            "Create account",
            tooltip="Send the form and create the account.",
            id="signup-submit",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the login screen.", id="signup-back"),
    ]
    SUBMIT_BUTTON = "signup-submit-button"
    STATUS = "signup-status"
    FIELD_PATHS = _FIELD_FOR_PATH

    def __init__(self, email: str = "") -> None:
        super().__init__()
        self.initial_email = email.strip()

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="signup-form", classes="form"):
            yield Static("Create an account", classes="form-title")
            yield Static("Fields marked * are required.", classes="form-note")
            yield Static("Sign-in", classes="form-section")
            yield FormField(
                "Email",
                Input(self.initial_email, placeholder="you@example.com", id="signup-email"),
                check=email_problem,
                required=True,
                id="signup-email-field",
            )
            yield NewPasswordFields("signup", user_inputs=self._user_inputs)
            yield Static("About you", classes="form-section")
            yield PersonalFields("signup", SIGNUP_PARTS)
            yield Static("First address (optional)", classes="form-section")
            yield FormField(
                "Contact name",
                Input(placeholder="defaults to your name", id="signup-contact-name"),
                id="signup-contact-name-field",
            )
            with Horizontal(classes="form-row"):
                yield FormField("Street", Input(id="signup-street"), id="signup-street-field")
                yield FormField(
                    "Number", Input(id="signup-street-number"), id="signup-street-number-field"
                )
            with Horizontal(classes="form-row"):
                yield FormField("ZIP code", Input(id="signup-zip"), id="signup-zip-field")
                yield FormField("City", Input(id="signup-city"), id="signup-city-field")
            yield FormField(
                "Country",
                CountrySelect(id="signup-country"),
                check=self._country_problem,
                id="signup-country-field",
            )
            yield FormStatus(id="signup-status")
            with Horizontal(classes="form-buttons"):
                yield Button("Create account", id="signup-submit-button", variant="primary")
                yield Button("Back to login", id="signup-cancel")

    def first_focus(self) -> str:
        return "#signup-password" if self.initial_email else "#signup-email"

    # -- checks that depend on other fields ------------------------------------------------------

    def _field(self, field_id: str) -> FormField:
        return self.query_one(f"#{field_id}", FormField)

    def _country_problem(self, _code: str) -> str | None:
        country = self.query_one("#signup-country", CountrySelect)
        if country.value:
            return None
        if not match_countries(country.text):
            return f"No country matches {country.text.strip()!r}; try its name or two-letter code."
        return "Pick a country from the list (type to filter, enter to choose)."

    def _user_inputs(self) -> tuple[str, ...]:
        return tuple(
            self._field(field_id).value.strip()
            for field_id in (
                "signup-email-field",
                "signup-first-name-field",
                "signup-last-name-field",
            )
        )

    def _address_given(self) -> bool:
        return any(self._field(field_id).value.strip() for field_id in _ADDRESS_FIELDS)

    # -- submitting ------------------------------------------------------------------------------

    @on(Button.Pressed, "#signup-cancel")
    def _cancel(self) -> None:
        self.dismiss()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.has_class("country-filter"):
            self.submit()  # the last field: enter sends the form
        else:
            self.focus_next()

    def send(self) -> None:
        address_given = self._address_given()
        for field_id in _ADDRESS_REQUIRED:
            self._field(field_id).required = address_given
        fields = list(self.query(FormField))
        invalid = [field for field in fields if not field.validate()]
        self.query_one(NewPasswordFields).assess()
        status = self.form_status
        if invalid:
            names = ", ".join(field.label for field in invalid)
            status.show_error(
                plural(
                    len(invalid),
                    "Check the highlighted field: {names}.",
                    "Check the highlighted fields: {names}.",
                ).replace("{names}", names)
            )
            invalid[0].focus_control()
            invalid[0].scroll_visible()
            return
        self.start_sending()
        self._sign_up(self._signup_body(address_given))

    def _signup_body(self, address_given: bool) -> CustomerSignup:
        def text(field_id: str) -> str | None:
            return self._field(field_id).value.strip() or None

        details = self.query_one(PersonalFields).details()
        first_name, last_name = details.first_name, details.last_name
        address = None
        if address_given:
            address = AddressCreate(
                contact_name=text("signup-contact-name-field")
                or " ".join(part for part in (first_name, last_name) if part),
                street=text("signup-street-field"),
                street_number=text("signup-street-number-field"),
                zip_code=text("signup-zip-field"),
                city=text("signup-city-field"),
                country=self.query_one("#signup-country", CountrySelect).value,
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
            self.app.switch_screen(ActivationScreen(email=signup.email))

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, EmailTakenError):
            self._field("signup-email-field").set_error(_DUPLICATE_EMAIL)
            self.form_status.show_error("This email is already registered.")
            self._field("signup-email-field").focus_control()
            return True
        return super().handle_failure(error)
