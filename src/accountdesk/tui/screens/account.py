"""The logged-in customer's overview: who they are and where they live (the "account" mode root)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from accountdesk.api import AccountDeskError, Address, Customer
from accountdesk.session import SessionExpiredError
from accountdesk.tui.address_rules import postal_text
from accountdesk.tui.context import account_of, services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.navigation import open_flow
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.widgets.personal_fields import display_value
from accountdesk.tui.wording import describe, plural


def full_name(customer: Customer) -> str:
    """Title, first, middle and last name as the customer entered them."""
    # Emporix stores titles as codes ("MRS", "DR"); show them the way a letter would.
    title = customer.title.capitalize() if customer.title and customer.title.isupper() else None
    parts = (title or customer.title, customer.first_name, customer.middle_name, customer.last_name)
    return " ".join(part for part in parts if part) or _("(no name on file)")


def default_address_of(customer: Customer) -> Address | None:
    """The default address: the expanded ``defaultAddress`` or the one flagged ``isDefault``."""
    if customer.default_address is not None:
        return customer.default_address
    return next((address for address in customer.addresses if address.is_default), None)


def format_address(address: Address) -> str:
    """The postal address on lines, in its country's own order ("10117 BERLIN" in Germany,
    "WASHINGTON, DC 20374" in the US), as the address book shows it."""
    return postal_text(address)


def has_password_login(customer: Customer) -> bool | None:
    """Whether the profile can log in with email and password: one of its ``accounts`` has
    no ``providerId`` (the others are identity-provider logins). None when the server listed
    no accounts at all, so nothing is offered on a guess."""
    if not customer.accounts:
        return None
    return any(login.provider_id is None for login in customer.accounts)


class AccountScreen(AccountDeskScreen):
    """The hub: the whole profile, the B2B block, every address (default and tags marked) and
    where each action is; from GET /me?expand=addresses, reloaded when a flow returns here."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Your account")
    BINDINGS = [
        Binding(
            "e",
            "open_flow('edit-profile')",
            N_("Edit profile"),
            tooltip=N_("Change your name, contact details and preferences."),
            id="account-edit-profile",
        ),
        Binding(
            "a",
            "open_flow('addresses')",
            N_("Addresses"),
            tooltip=N_("Your address book: add, edit, delete, tag and pick the default address."),
            id="account-addresses",
        ),
        Binding(
            "p",
            "open_flow('change-password')",
            N_("Change password"),
            tooltip=N_("Set a new password (other sessions are signed out)."),
            id="account-change-password",
        ),
        Binding(
            "m",
            "open_flow('change-email')",
            N_("Change email"),
            tooltip=N_("Change the email address you log in with."),
            id="account-change-email",
        ),
        Binding(
            "d",
            "open_flow('delete-account')",
            N_("Delete account"),
            tooltip=N_("Delete your account, your addresses and your sign-in for good."),
            id="account-delete",
        ),
        Binding(
            "l",
            "open_flow('assign-account')",
            N_("Add password login"),
            tooltip=N_("Log in with an email and password too, not only through Auth0."),
            id="account-assign-password",
        ),
        Binding(
            "r",
            "refresh_profile",
            N_("Refresh"),
            tooltip=N_("Load your account details from the server again."),
            id="account-refresh",
        ),
    ]

    card = getters.query_one("#account-card", Vertical)
    # From the last profile loaded: the "Add password login" key is offered only without one.
    password_login: bool | None = None

    def __init__(self, customer: Customer | None = None) -> None:
        """``customer``: the profile just loaded (the screen rebuilt in another language),
        shown at once instead of loading it again."""
        super().__init__()
        # Set when another screen covers this one; a resume then reloads. Textual resumes a
        # new mode's first screen twice (creating the mode, then switching to it): counting
        # resumes would load twice, the second load cancelling the first.
        self._covered = False
        self._customer = customer

    def arguments_to_rebuild(self) -> dict[str, Any]:
        return {"customer": self._customer} if self._customer is not None else {}

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="account-body"), Vertical(id="account-card") as card:
            card.border_title = _("Your account")
            yield Static(_("Profile"), classes="account-section")
            for widget_id, label in _PROFILE_ROWS:
                with Horizontal(classes="account-row"):
                    yield Label(_(label), classes="field-label")
                    yield Static("…", id=widget_id, classes="field-value", markup=False)
            with Vertical(id="account-b2b") as b2b:
                b2b.display = False  # shown for B2B customers once the profile is loaded
                yield Static(_("Business (B2B)"), classes="account-section -later")
                with Horizontal(classes="account-row"):
                    yield Label(_("Registration id"), classes="field-label")
                    yield Static("", id="account-registration", classes="field-value")
                with Horizontal(classes="account-row"):
                    yield Label(_("Legal entities"), classes="field-label")
                    yield Static("", id="account-legal-entities", classes="field-value")
            yield Static(
                _("Addresses"), id="account-addresses-title", classes="account-section -later"
            )
            yield Static("…", id="account-address", classes="account-address")
            yield Static("", id="account-other-addresses", classes="account-address")
            yield Static(_(_ACTIONS), id="account-actions", markup=False)
            yield Static("", id="account-error", markup=False)

    def on_mount(self) -> None:
        # A confirmed email change (maybe from the mailbox) changes the login email shown.
        self.watch(self.app, "customer_email", self._show_email, init=False)
        if self._customer is None:
            self.load_profile()
        else:
            self._show_loaded(self._customer)

    def action_refresh_profile(self) -> None:
        self.load_profile()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a key (None would grey it out): each of these makes sense for one kind of
        # customer only, and password_login is None until the profile has loaded.
        if action == "open_flow" and parameters == ("assign-account",):
            return self.password_login is False
        if action == "open_flow" and parameters in (("change-password",), ("change-email",)):
            # Both need the current password: a customer who signs in only through Auth0 has none.
            return self.password_login is not False
        return True

    def action_open_flow(self, name: str) -> None:
        open_flow(self.app, name)

    def on_screen_suspend(self) -> None:
        self._covered = True

    def on_screen_resume(self) -> None:
        # Back from a flow that may have changed the profile: show the true state. (The
        # resumes that come with the mount find nothing to catch up with: mounting loads.)
        if self._covered:
            self._covered = False
            self.load_profile()

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
        self._show_loaded(customer)
        services_of(self).navigation.follow_customer_language(self, customer)

    def _show_loaded(self, customer: Customer) -> None:
        self.password_login = has_password_login(customer)
        self.refresh_bindings()
        self.show_customer(customer)

    def show_customer(self, customer: Customer) -> None:
        self._customer = customer
        shown = {
            "account-name": full_name(customer),
            "account-contact-email": customer.contact_email,
            "account-phone": customer.contact_phone,
            "account-company": customer.company,
            "account-number": customer.customer_number,
            "account-language": _labelled("preferred_language", customer.preferred_language),
            "account-currency": _labelled("preferred_currency", customer.preferred_currency),
            "account-site": customer.preferred_site,
        }
        for widget_id, value in shown.items():
            self.query_one(f"#{widget_id}", Static).update(value or "—")
        self._show_email()
        self._show_b2b(customer)
        self._show_addresses(customer)

    def _show_email(self, _changed: object = None) -> None:
        """The login email: the session's (it follows a confirmed email change)."""
        if self._customer is None:
            return
        login = services_of(self).customer_email or next(
            (login.id for login in self._customer.accounts if login.id), None
        )
        self.query_one("#account-email", Static).update(login or _("(no login email)"))

    def _show_b2b(self, customer: Customer) -> None:
        b2b = customer.b2b
        block = self.query_one("#account-b2b")
        block.display = b2b is not None and bool(b2b.company_registration_id or b2b.legal_entities)
        if b2b is None:
            return
        entities = [entity.name or entity.id or "?" for entity in b2b.legal_entities]
        self.query_one("#account-registration", Static).update(b2b.company_registration_id or "—")
        self.query_one("#account-legal-entities", Static).update(
            ", ".join(entities) or _("none assigned")
        )

    def _show_addresses(self, customer: Customer) -> None:
        default = default_address_of(customer)
        addresses = all_addresses_of(customer)
        self.query_one("#account-addresses-title", Static).update(
            _("Addresses: {count}").format(
                count=plural(len(addresses), "{n} address", "{n} addresses")
            )
        )
        others = [address for address in addresses if not is_default(address, default)]
        first: Text | str
        if default is not None:
            first = address_entry(default, default=True)
        elif addresses:
            first = _("No default address yet.")
        else:
            first = _("No addresses yet. Press a to add one.")
        self.query_one("#account-address", Static).update(first)
        other_list = self.query_one("#account-other-addresses", Static)
        other_list.update(
            Text("\n\n").join(address_entry(address, default=False) for address in others)
        )
        other_list.display = bool(others)


_PROFILE_ROWS = (
    ("account-name", N_("Name")),
    ("account-email", N_("Login email")),
    ("account-contact-email", N_("Contact email")),
    ("account-phone", N_("Phone")),
    ("account-company", N_("Company")),
    ("account-number", N_("Customer number")),
    ("account-language", N_("Language")),
    ("account-currency", N_("Currency")),
    ("account-site", N_("Site")),
)

_ACTIONS = N_(
    "e edits the profile, a opens the address book, p changes the password, m the login "
    "email, d deletes the account (keys also in the footer)."
)


def _labelled(attribute: str, code: str | None) -> str | None:
    """A language or currency code with its name: "Pound Sterling (GBP)"."""
    return display_value(attribute, code) if code else None


def all_addresses_of(customer: Customer) -> list[Address]:
    """Every address, the default first; the expanded ``defaultAddress`` if the list lacks it."""
    default = default_address_of(customer)
    addresses = list(customer.addresses)
    if default is not None and all(address.id != default.id for address in addresses):
        addresses.insert(0, default)
    return sorted(addresses, key=lambda address: not is_default(address, default))


def is_default(address: Address, default: Address | None) -> bool:
    return address.is_default or (
        default is not None and default.id is not None and address.id == default.id
    )


def address_entry(address: Address, *, default: bool) -> Text:
    """A line of marks (DEFAULT, then the tags) over the address on one line."""
    text = Text()
    marks = [(_("DEFAULT"), "bold reverse")] if default else []
    marks.extend((tag, "bold") for tag in address.tags)
    for label, style in marks:
        text.append(f" {label} ", style=style)
        text.append(" ")
    if not marks:
        text.append(_("no tags"), style="dim")
    text.append("\n")
    text.append(", ".join(line for line in format_address(address).splitlines() if line))
    return text
