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
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    create_active_customer,
    environment_for,
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
from accountdesk.tui import address_rules, validation
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.navigation import open_flow
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

MakeApp = Callable[..., AccountDeskApp]
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
    """One test's app, sandbox tenant and customer."""

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


async def logged_in(visit: Visit, key: str, screen_type: type[Screen[Any]]) -> None:
    await log_in(visit.pilot, visit.app, visit.email, visit.password)
    await visit.pilot.press(key)
    await on_screen(visit, screen_type)


async def open_login(visit: Visit) -> None:
    await wait_ready(visit.pilot, visit.app)
    await on_screen(visit, LoginScreen)


async def open_auth_flow(visit: Visit, name: str, screen_type: type[Screen[Any]]) -> None:
    await open_login(visit)
    open_flow(visit.app, name)
    await on_screen(visit, screen_type)


async def open_signup(visit: Visit) -> None:
    await open_auth_flow(visit, "sign-up", SignUpScreen)


async def open_activation(visit: Visit) -> None:
    await open_auth_flow(visit, "activation", ActivationScreen)


async def open_forgot(visit: Visit) -> None:
    await open_auth_flow(visit, "forgot-password", ForgotPasswordScreen)


async def open_reset(visit: Visit) -> None:
    await open_login(visit)
    visit.app.push_screen(ResetPasswordScreen(email=visit.email))
    await on_screen(visit, ResetPasswordScreen)


async def open_profile(visit: Visit) -> None:
    await logged_in(visit, "e", EditProfileScreen)
    await wait_until(
        visit.pilot,
        lambda: not visit.app.screen.query_one("#profile-form").loading,
        what="the profile",
    )


async def open_address_form(visit: Visit) -> None:
    await logged_in(visit, "a", AddressBookScreen)
    await visit.pilot.press("n")
    await on_screen(visit, AddressFormScreen)


async def open_tags(visit: Visit) -> None:
    await log_in(visit.pilot, visit.app, visit.email, visit.password)
    await visit.app.account.add_address(
        AddressCreate(
            contact_name="Grace Hopper",
            street="Rue de Rivoli",
            zip_code="75001",
            city="Paris",
            country="FR",
        )
    )
    await visit.pilot.press("a")
    await on_screen(visit, AddressBookScreen)
    await visit.pilot.press("t")
    await on_screen(visit, AddressTagsScreen)


async def open_change_password(visit: Visit) -> None:
    await logged_in(visit, "p", ChangePasswordScreen)


async def open_change_email(visit: Visit) -> None:
    await logged_in(visit, "m", ChangeEmailScreen)


async def open_confirm_email(visit: Visit) -> None:
    await log_in(visit.pilot, visit.app, visit.email, visit.password)
    new_email = unique_email("new")
    await visit.app.account.request_email_change(new_email, visit.password)
    visit.app.push_screen(ConfirmEmailChangeScreen(new_email))
    await on_screen(visit, ConfirmEmailChangeScreen)


async def open_delete(visit: Visit) -> None:
    await logged_in(visit, "d", DeleteAccountScreen)


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
    await open_login(visit)
    await visit.pilot.press("ctrl+f")
    await on_screen(visit, SocialLoginScreen)
    screen = visit.app.screen
    assert isinstance(screen, SocialLoginScreen)
    await wait_until(visit.pilot, lambda: screen._attempt is not None, what="the listener")


async def open_assign(visit: Visit) -> None:
    await open_social(visit)
    await visit.pilot.press(*visit.email, "enter")
    await wait_mode(visit.pilot, visit.app, "account")
    await visit.pilot.press("l")
    await on_screen(visit, AssignAccountScreen)


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
    ),
    Form("address", open_address_form, _ADDRESS, accepted=address_saved),
    Form(
        "address-tags",
        open_tags,
        (Field("address-tags-new-field", Kind.TAG),),
        accepted=tag_saved,
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
    ),
    Form(
        "change-email",
        open_change_email,
        (
            Field("change-email-new-field", Kind.EMAIL),
            Field("change-email-password-field", Kind.PASSWORD, CUSTOMER_PASSWORD),
        ),
        accepted=email_change_requested,
    ),
    Form(
        "confirm-email",
        open_confirm_email,
        (Field("confirm-email-token-field", Kind.TOKEN),),
        refusal=(Kind.TOKEN, "confirm-email-token-field", EMAIL_INVALID_CODE),
    ),
    Form(
        "delete-account",
        open_delete,
        (Field("delete-email-field", Kind.TYPED_LOGIN),),
        accepted=code_step,
    ),
    Form(
        "delete-code",
        open_delete_code,
        (Field("delete-code-field", Kind.TOKEN),),
        refusal=(Kind.TOKEN, "delete-code-field", DELETE_INVALID_CODE),
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


@pytest.mark.parametrize(("form", "input_class"), cases())
async def test_bad_input(
    make_app: MakeApp, fresh_tenant: Any, form: Form, input_class: InputClass
) -> None:
    app = make_app(environment_for(fresh_tenant))
    email = unique_email("sweep")
    if form.needs_customer:
        await create_active_customer(fresh_tenant, email)
    async with app.run_test(size=SIZE) as pilot:
        visit = Visit(app, pilot, fresh_tenant, email)
        await form.open(visit)
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
