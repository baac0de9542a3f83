"""Bad input in every form of the TUI, against the real sandbox (issue 8, reliability suite).

One table, `FORMS`: each row names a form's fields by `FormField` id, with the kind of value
each takes, how to reach the form and what the server says when it judges what the form let
through. Each input class (empty, whitespace only, 10,000 characters, control characters, ANSI
escape sequences, invisible characters, right-to-left text with emoji and combining marks,
an unknown country) is pasted into every field of a form at once, the form is sent by
keyboard, and then, whatever the class:

- the app is still up and still on the form (unless the input was legal and was accepted);
- every field shows exactly the message the TUI's own checks give for that value, next to
  it (nothing the form could catch is left to the server's words), and a refused form sent
  no request at all;
- every field still holds what was pasted;
- no control character reaches the screen (the screenshot and every message are clean);
- legal text (right-to-left, emoji, combining marks) is accepted and read back unchanged.

A new form is one more row.

Each form has one app, tenant and customer (one login), shared by its input classes in turn:
every class starts from a fresh stack of screens (the app's own "fresh" switch) with the form
newly opened, and still passes or fails as a test of its own. The classes that are accepted,
and so change the customer, come last in `CLASSES`. After a failure the form's next class
gets a new app.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pytest
import pytest_asyncio
from helpers import (
    CUSTOMER_PASSWORD,
    create_active_customer,
    environment_for,
    isolate_user_dirs,
    latest_mail,
    log_in,
    unique_email,
    wait_mode,
    wait_ready,
    wait_until,
)
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from accountdesk.api import AddressCreate, CustomerApiClient, UnauthorizedError
from accountdesk.session import MemoryTokenStore, Settings
from accountdesk.tui import address_rules, validation
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.navigation import ACCOUNT_MODE, AUTH_MODE, open_flow
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.activation import _INVALID_CODE as ACTIVATION_INVALID_CODE
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.address_form import AddressFormScreen
from accountdesk.tui.screens.address_tags import AddressTagsScreen
from accountdesk.tui.screens.addresses import AddressBookScreen
from accountdesk.tui.screens.assign_account import AssignAccountScreen
from accountdesk.tui.screens.change_email import INVALID_CODE as EMAIL_INVALID_CODE
from accountdesk.tui.screens.change_email import (
    ChangeEmailScreen,
    ConfirmEmailChangeScreen,
)
from accountdesk.tui.screens.change_password import (
    WRONG_CURRENT_PASSWORD,
    ChangePasswordScreen,
)
from accountdesk.tui.screens.delete_account import EMAIL_MISMATCH, DeleteAccountScreen
from accountdesk.tui.screens.delete_account import INVALID_CODE as DELETE_INVALID_CODE
from accountdesk.tui.screens.forgot_password import _INVALID_CODE as RESET_INVALID_CODE
from accountdesk.tui.screens.forgot_password import (
    ForgotPasswordScreen,
    ResetPasswordScreen,
)
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.profile import EditProfileScreen
from accountdesk.tui.screens.signup import SignUpScreen
from accountdesk.tui.screens.social_login import SocialLoginScreen
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.wording import describe

# One event loop for the module: a form's app runs across the tests of its input classes.
pytestmark = pytest.mark.asyncio(loop_scope="module")

SIZE = (120, 40)

UNICODE_TEXT = "مرحبا 👩‍👩‍👧 e\u0301"
"""Right-to-left text, an emoji joined by zero-width joiners, a combining accent: all legal."""
UNICODE_EMAIL = "مرحبا@example.com"
"""An internationalised address (RFC 6531): legal too."""
NEW_PASSWORD = "quietly-violet-harbour-telescope"


class Kind(Enum):
    """What a field holds, which decides the TUI check that judges it."""

    TEXT = "text"
    EMAIL = "email"
    PASSWORD = "password"
    NEW_PASSWORD = "new password"
    REPEAT = "repeat"
    TOKEN = "token"
    PHONE = "phone"
    ZIP = "zip"
    COUNTRY = "country"
    TAG = "tag"
    TYPED_LOGIN = "typed login email"


SECRET_KINDS = {Kind.PASSWORD, Kind.NEW_PASSWORD, Kind.REPEAT}


@dataclass(frozen=True)
class InputClass:
    name: str
    value: str
    """Pasted into every field of the kinds in ``targets``; the others get their valid value."""
    targets: frozenset[Kind] = frozenset(Kind)
    per_kind: Mapping[Kind, str] = field(default_factory=dict)

    def value_for(self, kind: Kind) -> str | None:
        """What this class pastes into a field of ``kind``; None: the field's valid value."""
        if kind not in self.targets:
            return None
        return self.per_kind.get(kind, self.value)


EVERY_KIND = frozenset(Kind)
# A form's classes share its customer (see `Desk`): the ones a form may accept come last.
CLASSES = (
    InputClass("empty", ""),
    InputClass("whitespace", "  \u00a0\u3000 "),
    InputClass("10000-chars", "Lovelace" * 1250),
    InputClass("control", "Ada\x00Love\x1blace\x7f"),
    InputClass("ansi", "\x1b[31mred\x1b[0m \x1b]0;title\x07"),
    InputClass("zero-width", "\u200b\u200c\u200d\u2060\ufeff"),
    InputClass(
        "unicode",
        UNICODE_TEXT,
        # Fields with a format of their own (phone, postal code, country) keep a valid value;
        # the current password stays right, so a new one can be set and used.
        targets=EVERY_KIND - {Kind.PHONE, Kind.ZIP, Kind.COUNTRY, Kind.PASSWORD, Kind.TYPED_LOGIN},
        per_kind={Kind.EMAIL: UNICODE_EMAIL},
    ),
    InputClass("unknown-country", "XX", targets=frozenset({Kind.COUNTRY})),
)


@dataclass(frozen=True)
class Field:
    id: str
    """The `FormField` id, without ``#``."""
    kind: Kind
    valid: str = ""
    """A value the form accepts, for the classes that leave this field alone."""
    when_blank: str | None = None
    """The form's own message for a blank value, where it has one."""


@dataclass
class Visit:
    """A form's app, sandbox tenant and customer."""

    app: AccountDeskApp
    pilot: Pilot[Any]
    target: Any
    email: str
    password: str = CUSTOMER_PASSWORD


Opener = Callable[[Visit], Awaitable[None]]
Check = Callable[[Visit, "Sent"], Awaitable[None]]


@dataclass(frozen=True)
class Sent:
    """What the form sent: the values pasted, by field id."""

    values: Mapping[str, str]


@dataclass(frozen=True)
class Form:
    name: str
    open: Opener
    """Opens the form from the fresh root screen of the mode `arrive` left the app in."""
    fields: tuple[Field, ...]
    refusal: tuple[Kind, str, str] | None = None
    """What the server judges and the form cannot (a code, a password, an unknown address):
    when the class pastes into a field of this kind, the words shown in that field (or on the
    status line, "status") after the server refused it."""
    accepted: Check | None = None
    """Reads back from the sandbox what a legal submission stored."""
    submit: tuple[str, ...] = ("ctrl+s",)
    submit_from: str | None = None
    """A field id to focus before the submit keys (a form sent by enter in that field)."""
    needs_customer: bool = True
    arrive: Opener | None = None
    """Once per app, before the first `open`: e.g. log in (None: wait for the backend)."""
    blank_sends_nothing: Callable[[Visit], Awaitable[None]] | None = None
    """A form where nothing typed means nothing to do (a tag dialog): what happens then."""


async def settle(pilot: Pilot[Any]) -> None:
    """`helpers.settle`, except that the social step's worker waits for the identity provider
    for minutes: only the others are waited for."""
    await pilot.pause()
    others = [worker for worker in pilot.app.workers if worker.group != "social-login"]
    if others:  # an empty list would mean every worker
        await pilot.app.workers.wait_for_complete(others)
    await pilot.pause()


# -- reaching each form ------------------------------------------------------------------------


async def on_screen(visit: Visit, screen_type: type[Screen[Any]]) -> None:
    await wait_until(
        visit.pilot, lambda: isinstance(visit.app.screen, screen_type), what=screen_type.__name__
    )
    await settle(visit.pilot)


async def pressed(visit: Visit, key: str, screen_type: type[Screen[Any]]) -> None:
    await visit.pilot.press(key)
    await on_screen(visit, screen_type)


async def logged_in(visit: Visit) -> None:
    await log_in(visit.pilot, visit.app, visit.email, visit.password)


async def with_address(visit: Visit) -> None:
    await logged_in(visit)
    await visit.app.account.add_address(
        AddressCreate(
            contact_name="Grace Hopper",
            street="Rue de Rivoli",
            zip_code="75001",
            city="Paris",
            country="FR",
        )
    )


async def open_login(visit: Visit) -> None:
    # The form is the root: nothing the previous input class left on it is wanted.
    await fresh_stack(visit, AUTH_MODE)


async def open_auth_flow(visit: Visit, name: str, screen_type: type[Screen[Any]]) -> None:
    open_flow(visit.app, name)
    await on_screen(visit, screen_type)


async def open_signup(visit: Visit) -> None:
    await open_auth_flow(visit, "sign-up", SignUpScreen)


async def open_activation(visit: Visit) -> None:
    await open_auth_flow(visit, "activation", ActivationScreen)


async def open_forgot(visit: Visit) -> None:
    await open_auth_flow(visit, "forgot-password", ForgotPasswordScreen)


async def open_reset(visit: Visit) -> None:
    visit.app.push_screen(ResetPasswordScreen(email=visit.email))
    await on_screen(visit, ResetPasswordScreen)


async def open_profile(visit: Visit) -> None:
    await pressed(visit, "e", EditProfileScreen)
    await wait_until(
        visit.pilot,
        lambda: not visit.app.screen.query_one("#profile-form").loading,
        what="the profile",
    )


async def open_address_form(visit: Visit) -> None:
    await pressed(visit, "a", AddressBookScreen)
    await pressed(visit, "n", AddressFormScreen)


async def open_tags(visit: Visit) -> None:
    await pressed(visit, "a", AddressBookScreen)
    await pressed(visit, "t", AddressTagsScreen)


async def open_change_password(visit: Visit) -> None:
    await pressed(visit, "p", ChangePasswordScreen)


async def open_change_email(visit: Visit) -> None:
    await pressed(visit, "m", ChangeEmailScreen)


async def open_confirm_email(visit: Visit) -> None:
    new_email = unique_email("new")
    await visit.app.account.request_email_change(new_email, visit.password)
    visit.app.push_screen(ConfirmEmailChangeScreen(new_email))
    await on_screen(visit, ConfirmEmailChangeScreen)


async def open_delete(visit: Visit) -> None:
    await pressed(visit, "d", DeleteAccountScreen)


async def open_delete_code(visit: Visit) -> None:
    await open_delete(visit)
    await visit.pilot.press(*visit.email, "enter")
    await wait_until(
        visit.pilot,
        lambda: visit.app.screen.query_one("#delete-code").has_focus,
        what="the code step",
    )
    await settle(visit.pilot)


async def open_social(visit: Visit) -> None:
    await visit.pilot.press("ctrl+f")
    await on_screen(visit, SocialLoginScreen)
    screen = visit.app.screen
    assert isinstance(screen, SocialLoginScreen)
    await wait_until(visit.pilot, lambda: screen._attempt is not None, what="the listener")


async def socially_logged_in(visit: Visit) -> None:
    await wait_ready(visit.pilot, visit.app)
    await on_screen(visit, LoginScreen)
    await open_social(visit)
    await visit.pilot.press(*visit.email, "enter")
    await wait_mode(visit.pilot, visit.app, "account")


async def open_assign(visit: Visit) -> None:
    await pressed(visit, "l", AssignAccountScreen)


# -- reading back what was accepted --------------------------------------------------------------


async def logs_in(visit: Visit, email: str, password: str) -> Any:
    target = visit.target
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        anonymous = (await client.anonymous_login()).access_token
        token = await client.login(anonymous, email, password)
        return await client.get_profile(token.access_token), await client.list_addresses(
            token.access_token
        )


async def signed_up(visit: Visit, sent: Sent) -> None:
    await on_screen(visit, ActivationScreen)
    email = sent.values["signup-email-field"]
    target = visit.target
    token = (await latest_mail(target, email, "customer.opt-in"))["token"]
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        await client.confirm_opt_in((await client.anonymous_login()).access_token, token)
    profile, addresses = await logs_in(visit, email, sent.values["signup-password-field"])
    assert (profile.first_name, profile.last_name, profile.company) == (UNICODE_TEXT,) * 3
    assert [(a.street, a.city) for a in addresses] == [(UNICODE_TEXT, UNICODE_TEXT)]


async def profile_saved(visit: Visit, _sent: Sent) -> None:
    status = visit.app.screen.query_one("#profile-status", FormStatus)
    await wait_until(visit.pilot, lambda: status.message == "Profile saved.", what="the save")
    profile, _ = await logs_in(visit, visit.email, visit.password)
    names = (profile.first_name, profile.middle_name, profile.last_name, profile.company)
    assert names == (UNICODE_TEXT,) * 4
    assert profile.preferred_site == UNICODE_TEXT
    assert profile.b2b is not None
    assert profile.b2b.company_registration_id == UNICODE_TEXT


async def address_saved(visit: Visit, _sent: Sent) -> None:
    await on_screen(visit, AddressBookScreen)
    _, addresses = await logs_in(visit, visit.email, visit.password)
    [address] = addresses
    assert address.contact_name == address.street == address.city == UNICODE_TEXT
    assert address.company_name == address.street_appendix == address.state == UNICODE_TEXT
    assert address.street_number == UNICODE_TEXT


async def tag_saved(visit: Visit, _sent: Sent) -> None:
    await on_screen(visit, AddressBookScreen)
    _, [address] = await logs_in(visit, visit.email, visit.password)
    assert UNICODE_TEXT in address.tags


async def tags_unchanged(visit: Visit) -> None:
    await on_screen(visit, AddressBookScreen)
    _, [address] = await logs_in(visit, visit.email, visit.password)
    assert address.tags == []


async def password_changed(visit: Visit, sent: Sent) -> None:
    await on_screen(visit, AccountScreen)
    await logs_in(visit, visit.email, sent.values["change-password-field"])


async def email_change_requested(visit: Visit, _sent: Sent) -> None:
    await on_screen(visit, ConfirmEmailChangeScreen)
    assert (await latest_mail(visit.target, UNICODE_EMAIL, "customer.email-change-request"))[
        "token"
    ]


async def reset_requested(visit: Visit, _sent: Sent) -> None:
    await on_screen(visit, ResetPasswordScreen)


async def resend_answered(visit: Visit, _sent: Sent) -> None:
    status = visit.app.screen.query_one("#activation-status", FormStatus)
    await wait_until(visit.pilot, lambda: status.kind == "-success", what="the answer")


async def code_step(visit: Visit, _sent: Sent) -> None:
    screen = visit.app.screen
    assert isinstance(screen, DeleteAccountScreen)
    await wait_until(visit.pilot, lambda: screen.awaiting_code, what="the code step")


async def social_logged_in(visit: Visit, _sent: Sent) -> None:
    await wait_mode(visit.pilot, visit.app, "account")
    assert visit.app.session.customer_email == UNICODE_EMAIL


async def login_assigned(visit: Visit, sent: Sent) -> None:
    await on_screen(visit, AccountScreen)
    await logs_in(visit, UNICODE_EMAIL, sent.values["assign-password-field"])


# -- the table -----------------------------------------------------------------------------------

_PHONE = "+44 20 7946 0018"
_ADDRESS = (
    Field("address-contact-name-field", Kind.TEXT),
    Field("address-company-field", Kind.TEXT),
    Field("address-street-field", Kind.TEXT),
    Field("address-street-number-field", Kind.TEXT),
    Field("address-street-appendix-field", Kind.TEXT),
    Field("address-zip-field", Kind.ZIP, "75001"),
    Field("address-city-field", Kind.TEXT),
    Field("address-country-field", Kind.COUNTRY, "France"),
    Field("address-state-field", Kind.TEXT),
    Field("address-phone-field", Kind.PHONE, "+33 1 42 68 53 00"),
)

FORMS = (
    Form(
        "login",
        open_login,
        (
            Field("login-email-field", Kind.EMAIL),
            Field("login-password-field", Kind.PASSWORD, CUSTOMER_PASSWORD),
        ),
        refusal=(Kind.EMAIL, "status", describe(UnauthorizedError("refused", status=401))),
    ),
    Form(
        "signup",
        open_signup,
        (
            Field("signup-email-field", Kind.EMAIL),
            Field("signup-password-field", Kind.NEW_PASSWORD),
            Field("signup-password-again-field", Kind.REPEAT),
            Field("signup-first-name-field", Kind.TEXT),
            Field("signup-last-name-field", Kind.TEXT),
            Field("signup-phone-field", Kind.PHONE, _PHONE),
            Field("signup-company-field", Kind.TEXT),
            Field("signup-street-field", Kind.TEXT),
            Field("signup-zip-field", Kind.ZIP, "10117"),
            Field("signup-city-field", Kind.TEXT),
            Field("signup-country-field", Kind.COUNTRY, "Germany"),
        ),
        accepted=signed_up,
        needs_customer=False,
    ),
    Form(
        "activation",
        open_activation,
        (Field("activation-token-field", Kind.TOKEN),),
        refusal=(Kind.TOKEN, "activation-token-field", ACTIVATION_INVALID_CODE),
        needs_customer=False,
    ),
    Form(
        "resend-activation",
        open_activation,
        (Field("activation-email-field", Kind.EMAIL),),
        accepted=resend_answered,
        submit=("enter",),
        submit_from="activation-email-field",
        needs_customer=False,
    ),
    Form(
        "forgot-password",
        open_forgot,
        (Field("forgot-email-field", Kind.EMAIL),),
        accepted=reset_requested,
        needs_customer=False,
    ),
    Form(
        "reset-password",
        open_reset,
        (
            Field("reset-token-field", Kind.TOKEN),
            Field("reset-password-field", Kind.NEW_PASSWORD),
            Field("reset-password-again-field", Kind.REPEAT),
        ),
        refusal=(Kind.TOKEN, "reset-token-field", RESET_INVALID_CODE),
        needs_customer=False,
    ),
    Form(
        "edit-profile",
        open_profile,
        (
            Field("profile-first-name-field", Kind.TEXT),
            Field("profile-middle-name-field", Kind.TEXT),
            Field("profile-last-name-field", Kind.TEXT),
            Field(
                "profile-contact-email-field",
                Kind.EMAIL,
                when_blank="The contact email can't be removed; enter the address to use instead.",
            ),
            Field("profile-phone-field", Kind.PHONE, _PHONE),
            Field("profile-company-field", Kind.TEXT),
            Field("profile-site-field", Kind.TEXT),
            Field("profile-registration-field", Kind.TEXT),
        ),
        accepted=profile_saved,
        arrive=logged_in,
    ),
    Form("address", open_address_form, _ADDRESS, accepted=address_saved, arrive=logged_in),
    Form(
        "address-tags",
        open_tags,
        (Field("address-tags-new-field", Kind.TAG),),
        accepted=tag_saved,
        arrive=with_address,
        blank_sends_nothing=tags_unchanged,
    ),
    Form(
        "change-password",
        open_change_password,
        (
            Field("change-current-password-field", Kind.PASSWORD, CUSTOMER_PASSWORD),
            Field("change-password-field", Kind.NEW_PASSWORD),
            Field("change-password-again-field", Kind.REPEAT),
        ),
        refusal=(Kind.PASSWORD, "change-current-password-field", WRONG_CURRENT_PASSWORD),
        accepted=password_changed,
        arrive=logged_in,
    ),
    Form(
        "change-email",
        open_change_email,
        (
            Field("change-email-new-field", Kind.EMAIL),
            Field("change-email-password-field", Kind.PASSWORD, CUSTOMER_PASSWORD),
        ),
        accepted=email_change_requested,
        arrive=logged_in,
    ),
    Form(
        "confirm-email",
        open_confirm_email,
        (Field("confirm-email-token-field", Kind.TOKEN),),
        refusal=(Kind.TOKEN, "confirm-email-token-field", EMAIL_INVALID_CODE),
        arrive=logged_in,
    ),
    Form(
        "delete-account",
        open_delete,
        (Field("delete-email-field", Kind.TYPED_LOGIN),),
        accepted=code_step,
        arrive=logged_in,
    ),
    Form(
        "delete-code",
        open_delete_code,
        (Field("delete-code-field", Kind.TOKEN),),
        refusal=(Kind.TOKEN, "delete-code-field", DELETE_INVALID_CODE),
        arrive=logged_in,
    ),
    Form(
        "social-login",
        open_social,
        (Field("social-email-field", Kind.EMAIL),),
        accepted=social_logged_in,
        needs_customer=False,
    ),
    Form(
        "assign-account",
        open_assign,
        (
            Field("assign-email-field", Kind.EMAIL),
            Field("assign-password-field", Kind.NEW_PASSWORD),
            Field("assign-password-again-field", Kind.REPEAT),
        ),
        accepted=login_assigned,
        needs_customer=False,
        arrive=socially_logged_in,
    ),
)


def cases() -> list[Any]:
    """One case per form and input class that touches at least one of its fields."""
    return [
        pytest.param(form, input_class, id=f"{form.name}-{input_class.name}")
        for form in FORMS
        for input_class in CLASSES
        if any(input_class.value_for(f.kind) is not None for f in form.fields)
    ]


# -- what the TUI's own checks say -----------------------------------------------------------------


def is_blank(value: str) -> bool:
    return not value.strip()


def expected_message(
    form_field: FormField, spec: Field, value: str, login_email: str
) -> str | None:
    """The message the field must show for ``value``, from the TUI's checks (None: fine)."""
    kind = spec.kind
    label = form_field.label
    if kind is Kind.TYPED_LOGIN:
        return None if value == login_email else EMAIL_MISMATCH
    if kind in SECRET_KINDS:
        if is_blank(value):
            return validation.required_problem("", label)
        if kind is Kind.NEW_PASSWORD:
            return validation.new_password_problem(value)
        return None
    if is_blank(value):
        if spec.when_blank is not None:
            return spec.when_blank
        return validation.required_problem("", label) if form_field.required else None
    if validation.control_characters_problem(value):
        return validation.control_characters_problem(value)
    if validation.invisible_problem(value):
        if form_field.required:
            return validation.required_problem("", label)
        return validation.invisible_problem(value)
    if kind not in (Kind.TOKEN, Kind.TAG) and len(value) > validation.TEXT_MAX_LENGTH:
        return validation.length_problem(value)
    if kind is Kind.EMAIL:
        return validation.email_problem(value)
    if kind is Kind.TOKEN:
        return validation.token_problem(value)
    if kind is Kind.TAG:
        return address_rules.tag_problem(value)
    if kind is Kind.COUNTRY:
        return f"No country matches {value.strip()!r}; try its name or two-letter code."
    if kind is Kind.PHONE:
        return validation.phone_problem(value)
    return None


# -- the sweep ----------------------------------------------------------------------------------

CONTROL = {chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))}
# An SVG has its own line breaks; anything else from the C0/C1 ranges is a leak.
LEAKED = CONTROL - {"\n", "\r", "\t"}


def text_box(form_field: FormField) -> Input:
    """The text box of a field (a country picker's filter box, a state's free text)."""
    return next(iter(form_field.query(Input).results(Input)))


async def paste(visit: Visit, form_field: FormField, value: str) -> None:
    """Replace the field's text with ``value`` as a terminal's bracketed paste delivers it."""
    box = text_box(form_field)
    box.value = ""
    box.focus()
    await visit.pilot.pause()
    if value:
        driver = visit.app._driver
        assert driver is not None
        driver.process_message(events.Paste(value))
        await visit.pilot.pause()


def value_for(
    spec: Field, input_class: InputClass, login_email: str, pasted: Mapping[str, str]
) -> str:
    if spec.kind is Kind.REPEAT:
        return pasted[spec.id.replace("-again", "")]
    value = input_class.value_for(spec.kind)
    if value is not None:
        return value
    if spec.kind is Kind.NEW_PASSWORD:
        return NEW_PASSWORD
    if spec.kind in (Kind.EMAIL, Kind.TYPED_LOGIN):
        return spec.valid or login_email
    return spec.valid


def kept(spec: Field, value: str) -> str:
    """What the field shows after the paste: a code field keeps the code of a pasted link,
    without the line breaks and spaces a mail client wraps it with."""
    if spec.kind is Kind.TOKEN:
        return validation.extract_token(value) or value
    return value


def messages_on_screen(screen: Screen[Any]) -> list[str]:
    shown = [form_field.error or "" for form_field in screen.query(FormField)]
    return shown + [status.message for status in screen.query(FormStatus)]


# -- one app per form --------------------------------------------------------------------------


async def fresh_stack(visit: Visit, mode: str) -> None:
    """A new stack of ``mode``'s screens, as the app shows after a login or logout."""
    app = visit.app
    before = app.screen
    app.navigation.show_fresh(mode)
    root = LoginScreen if mode == AUTH_MODE else AccountScreen
    await wait_until(
        visit.pilot,
        lambda: (
            app.current_mode == mode and isinstance(app.screen, root) and app.screen is not before
        ),
        what=f"a fresh {mode} stack",
    )
    await settle(visit.pilot)


async def back_to_root(visit: Visit, mode: str) -> None:
    """Close every screen the previous input class left above ``mode``'s root."""
    app = visit.app
    if mode == AUTH_MODE and app.logged_in:  # a social login was accepted
        await app.session.logout()
        await wait_mode(visit.pilot, app, AUTH_MODE)
    while len(app.screen_stack) > 1:
        await app.pop_screen()
    await settle(visit.pilot)


class Desk:
    """A form's tenant and customer, and the app its input classes share, one after another.

    The app runs in a task of its own: Textual's ``run_test`` resets on the way out the context
    variables it set on the way in, and each test runs in a context of its own."""

    def __init__(self, form: Form, target: Any, email: str) -> None:
        self.form = form
        self.target = target
        self.email = email
        self._visit: Visit | None = None
        self._mode = AUTH_MODE
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _start(self) -> Visit:
        app = AccountDeskApp(
            Settings(), environment_for(self.target), token_store=MemoryTokenStore()
        )
        started: asyncio.Future[Pilot[Any]] = asyncio.get_running_loop().create_future()
        self._stop = asyncio.Event()

        async def run() -> None:
            async with app.run_test(size=SIZE) as pilot:
                started.set_result(pilot)
                await self._stop.wait()

        self._task = asyncio.create_task(run(), name=f"the {self.form.name} app")
        await asyncio.wait({started, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if self._task.done():
            self._task.result()  # why the app could not start
        visit = Visit(app, started.result(), self.target, self.email)
        with app._context():
            await wait_ready(visit.pilot, app)
            if self.form.arrive is not None:
                await self.form.arrive(visit)
        self._mode = ACCOUNT_MODE if app.logged_in else AUTH_MODE
        return visit

    async def close(self) -> None:
        """Stop the app; raises what made it fail, as ``run_test`` does."""
        task, self._task, self._visit = self._task, None, None
        if task is not None:
            self._stop.set()
            await task

    @asynccontextmanager
    async def visit(self) -> AsyncIterator[Visit]:
        """The app with the form freshly opened, for one input class."""
        try:
            if self._visit is None:
                self._visit = await self._start()
            visit = self._visit
            with visit.app._context():
                await back_to_root(visit, self._mode)
                await self.form.open(visit)
                yield visit
        except BaseException:
            # Whatever state the failure left behind is no start for the next class.
            await self.close()
            raise


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def desk(
    request: pytest.FixtureRequest,
    new_tenant: Callable[[], Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Desk]:
    """The desk of the form in ``request.param``. The app starts before any test's autouse
    fixtures run, so it is isolated here as they isolate a test's app."""
    form: Form = request.param
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate_user_dirs(tmp_path_factory.mktemp("home"), monkeypatch)
        monkeypatch.setenv("LANGUAGE", "en")
        monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)
        target = new_tenant()
        email = unique_email("sweep")
        if form.needs_customer:
            await create_active_customer(target, email)
        desk = Desk(form, target, email)
        try:
            yield desk
        finally:
            await desk.close()


@pytest.mark.parametrize(("desk", "input_class"), cases(), indirect=["desk"], scope="module")
async def test_bad_input(desk: Desk, input_class: InputClass) -> None:
    form = desk.form
    async with desk.visit() as visit:
        app, pilot, email = visit.app, visit.pilot, visit.email
        screen = app.screen

        def field_of(field_id: str) -> FormField:
            return screen.query_one(f"#{field_id}", FormField)

        pasted: dict[str, str] = {}
        for spec in form.fields:
            pasted[spec.id] = value_for(spec, input_class, email, pasted)
            await paste(visit, field_of(spec.id), pasted[spec.id])
        # Leave the last field (a country picker takes its only match then), as a user would.
        text_box(field_of(form.submit_from or form.fields[0].id)).focus()
        await settle(pilot)
        requests_before = len(app.api_log)

        await pilot.press(*form.submit)
        await settle(pilot)

        assert app.is_running
        if app.screen is not screen:  # it moved on: nothing to do, or everything accepted
            if form.blank_sends_nothing and all(is_blank(value) for value in pasted.values()):
                assert len(app.api_log) == requests_before
                await form.blank_sends_nothing(visit)
                return
            assert form.accepted is not None, f"{form.name} let {input_class.name} through"
            await form.accepted(visit, Sent(pasted))
            return
        # Now, not before: sending applies rules that depend on other fields (an address
        # filled in at sign-up needs a street).
        expected = {
            spec.id: expected_message(field_of(spec.id), spec, pasted[spec.id], email)
            for spec in form.fields
        }
        refusal = form.refusal
        if any(message is not None for message in expected.values()):
            assert app.screen is screen, "a refused form stays open"
            assert {spec.id: field_of(spec.id).error for spec in form.fields} == expected
            assert len(app.api_log) == requests_before, "the form sent what it could have caught"
        elif refusal is not None and input_class.value_for(refusal[0]) is not None:
            _, where, words = refusal
            await wait_until(pilot, lambda: len(app.api_log) > requests_before, what="a request")
            await settle(pilot)
            assert app.screen is screen
            shown = (
                screen.query_one(FormStatus).message if where == "status" else field_of(where).error
            )
            assert shown == words
        else:
            assert form.accepted is not None, f"{form.name} let {input_class.name} through"
            await form.accepted(visit, Sent(pasted))
            return
        for spec in form.fields:
            assert text_box(field_of(spec.id)).value == kept(spec, pasted[spec.id]), "input kept"
        assert not [message for message in messages_on_screen(screen) if CONTROL & set(message)]
        assert not LEAKED & set(app.export_screenshot())
