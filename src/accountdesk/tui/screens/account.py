"""The logged-in customer's overview: who they are and where they live (the "account" mode root)."""

from __future__ import annotations

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from accountdesk.api import AccountDeskError, Address, Customer
from accountdesk.session import SessionExpiredError
from accountdesk.tui.address_rules import postal_text
from accountdesk.tui.context import account_of, services_of
from accountdesk.tui.navigation import open_flow
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.wording import describe


def full_name(customer: Customer) -> str:
    """Title, first, middle and last name as the customer entered them."""
    # Emporix stores titles as codes ("MRS", "DR"); show them the way a letter would.
    title = customer.title.capitalize() if customer.title and customer.title.isupper() else None
    parts = (title or customer.title, customer.first_name, customer.middle_name, customer.last_name)
    return " ".join(part for part in parts if part) or "(no name on file)"


def default_address_of(customer: Customer) -> Address | None:
    """The default address: the expanded ``defaultAddress`` or the one flagged ``isDefault``."""
    if customer.default_address is not None:
        return customer.default_address
    return next((address for address in customer.addresses if address.is_default), None)


def format_address(address: Address) -> str:
    """The postal address on lines, in its country's own order ("10117 BERLIN" in Germany,
    "WASHINGTON, DC 20374" in the US), as the address book shows it."""
    return postal_text(address)


def email_text(login_email: str | None, contact_email: str | None) -> str:
    """The address the customer logs in with, and where mail goes when that differs."""
    if login_email is None or contact_email is None:
        return login_email or contact_email or "(no email on file)"
    if login_email.casefold() == contact_email.casefold():
        return login_email
    return f"{login_email} (contact email: {contact_email})"


def has_password_login(customer: Customer) -> bool | None:
    """Whether the profile can log in with email and password: one of its ``accounts`` has
    no ``providerId`` (the others are identity-provider logins). None when the server listed
    no accounts at all, so nothing is offered on a guess."""
    if not customer.accounts:
        return None
    return any(login.provider_id is None for login in customer.accounts)


class AccountScreen(AccountDeskScreen):
    """Name, email, customer number and default address from GET /me?expand=addresses."""

    TITLE = "Account Desk"
    SUB_TITLE = "Your account"
    BINDINGS = [
        Binding(
            "e",
            "open_flow('edit-profile')",
            "Edit profile",
            tooltip="Change your name, contact details and preferences.",
            id="account-edit-profile",
        ),
        Binding(
            "a",
            "open_flow('addresses')",
            "Addresses",
            tooltip="Your address book: add, edit, delete, tag and pick the default address.",
            id="account-addresses",
        ),
        Binding(
            "p",
            "open_flow('change-password')",
            "Change password",
            tooltip="Set a new password (other sessions are signed out).",
            id="account-change-password",
        ),
        Binding(
            "m",
            "open_flow('change-email')",
            "Change email",
            tooltip="Change the email address you log in with.",
            id="account-change-email",
        ),
        Binding(
            "d",
            "open_flow('delete-account')",
            "Delete account",
            tooltip="Delete your account, your addresses and your sign-in for good.",
            id="account-delete",
        ),
        Binding(
            "l",
            "open_flow('assign-account')",
            "Add password login",
            tooltip="Log in with an email and password too, not only through Auth0.",
            id="account-assign-password",
        ),
        Binding(
            "r",
            "refresh_profile",
            "Refresh",
            tooltip="Load your account details from the server again.",
            id="account-refresh",
        ),
    ]

    card = getters.query_one("#account-card", Vertical)
    # From the last profile loaded: the "Add password login" key is offered only without one.
    password_login: bool | None = None

    def __init__(self) -> None:
        super().__init__()
        self._shown_once = False
        self._customer: Customer | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="account-body"), Vertical(id="account-card") as card:
            card.border_title = "Your account"
            yield Label("Name", classes="field-label")
            yield Static("…", id="account-name", classes="field-value", markup=False)
            yield Label("Email", classes="field-label")
            yield Static("…", id="account-email", classes="field-value", markup=False)
            yield Label("Customer number", classes="field-label")
            yield Static("…", id="account-number", classes="field-value", markup=False)
            yield Label("Default address", classes="field-label")
            yield Static("…", id="account-address", classes="field-value", markup=False)
            yield Static("", id="account-error", markup=False)

    def on_mount(self) -> None:
        # A confirmed email change (maybe from the mailbox) changes the login email shown.
        self.watch(self.app, "customer_email", self._show_email, init=False)
        self.load_profile()

    def action_refresh_profile(self) -> None:
        self.load_profile()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_flow" and parameters == ("assign-account",):
            # False hides it (None would grey it out): most customers have a password already.
            return self.password_login is False
        return True

    def action_open_flow(self, name: str) -> None:
        open_flow(self.app, name)

    def on_screen_resume(self) -> None:
        # Back from a flow that may have changed the profile: show the true state. (The first
        # resume comes with the mount, which loads already.)
        if self._shown_once:
            self.load_profile()
        self._shown_once = True

    @work(
        exclusive=True,
        group="account-profile",
        exit_on_error=False,
        description="Loading the account",
    )
    async def load_profile(self) -> None:
        error = self.query_one("#account-error", Static)
        self.card.loading = True
        try:
            customer = await account_of(self).load_profile()
        except SessionExpiredError:
            # The app shows the login screen; the old details stay visible underneath.
            return
        except AccountDeskError as problem:
            error.update(describe(problem, services_of(self).base_url))
            return
        finally:
            self.card.loading = False
        error.update("")
        self.password_login = has_password_login(customer)
        self.refresh_bindings()
        self.show_customer(customer)

    def show_customer(self, customer: Customer) -> None:
        self._customer = customer
        address = default_address_of(customer)
        self.query_one("#account-name", Static).update(full_name(customer))
        self._show_email()
        self.query_one("#account-number", Static).update(customer.customer_number or "—")
        self.query_one("#account-address", Static).update(
            format_address(address) if address is not None else "No default address yet."
        )

    def _show_email(self, _changed: object = None) -> None:
        if self._customer is not None:
            self.query_one("#account-email", Static).update(
                email_text(services_of(self).customer_email, self._customer.contact_email)
            )
