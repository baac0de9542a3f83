"""Sign-up end to end against the real sandbox: inline checks, server errors, then activation."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from helpers import environment_for, settle
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Select

from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.signup import SignUpScreen
from accountdesk.tui.validation import TOO_COMMON
from accountdesk.tui.widgets.country_select import CountrySelect
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.password_strength import PasswordStrength

MakeApp = Callable[..., AccountDeskApp]
GOOD_PASSWORD = "violet-harbour-telescope-7"


def field(pilot: Pilot[Any], field_id: str) -> FormField:
    return pilot.app.screen.query_one(f"#{field_id}", FormField)


async def type_into(pilot: Pilot[Any], input_id: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#{input_id}", Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


async def open_signup(pilot: Pilot[Any]) -> SignUpScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, LoginScreen)
    pilot.app.screen.query_one("#login-sign-up", Button).focus()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SignUpScreen)
    return screen


def fill_valid_form(screen: SignUpScreen, email: str) -> None:
    for input_id, value in (
        ("signup-email", email),
        ("signup-password", GOOD_PASSWORD),
        ("signup-password-again", GOOD_PASSWORD),
        ("signup-first-name", "Ada"),
        ("signup-last-name", "Lovelace"),
    ):
        screen.query_one(f"#{input_id}", Input).value = value


async def test_fields_are_checked_as_the_user_types(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        await open_signup(pilot)

        await type_into(pilot, "signup-email", "ada")
        assert field(pilot, "signup-email-field").error == "An email address must have an @-sign."
        await pilot.press(*"@example.com")
        assert field(pilot, "signup-email-field").error is None

        await type_into(pilot, "signup-password", "short")
        assert field(pilot, "signup-password-field").error == (
            "Use at least 8 characters (5 so far)."
        )
        strength = app.screen.query_one("#signup-strength", PasswordStrength)
        assert not strength.assessment.acceptable
        await pilot.press(*"-but-now-long")
        assert field(pilot, "signup-password-field").error is None
        assert strength.assessment.acceptable
        assert "15+ characters are recommended" not in strength.assessment.hint

        await type_into(pilot, "signup-password-again", "short-but-now-lonG")
        assert field(pilot, "signup-password-again-field").error == "The passwords don't match."
        await pilot.press("backspace", "g")
        assert field(pilot, "signup-password-again-field").error is None

        # A required field complains once the user has been there and left it empty.
        app.screen.query_one("#signup-first-name", Input).focus()
        assert field(pilot, "signup-first-name-field").error is None
        await pilot.press("tab")
        assert field(pilot, "signup-first-name-field").error == "First name is required."


async def test_submit_with_a_missing_field_sends_nothing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_signup(pilot)
        fill_valid_form(screen, "ada@example.com")
        screen.query_one("#signup-last-name", Input).value = ""
        calls_before = len(app.api_log)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field(pilot, "signup-last-name-field").error == "Last name is required."
        assert screen.query_one("#signup-status", FormStatus).message == (
            "Check the highlighted field: Last name."
        )
        assert app.focused is screen.query_one("#signup-last-name", Input)
        assert len(app.api_log) == calls_before


async def test_country_is_picked_from_the_iso_list(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_signup(pilot)
        country = screen.query_one("#signup-country", CountrySelect)
        options = country.query_one(OptionList)

        country.focus()
        await pilot.press(*"germ")
        assert country.has_class("-open")
        assert options.option_count == 1
        assert country.value == ""  # typed text alone is no country
        await pilot.press("enter")
        assert country.value == "DE"
        assert country.text == "DE — Germany"
        assert not country.has_class("-open")
        assert field(pilot, "signup-country-field").error is None

        # Typing again drops the choice; up/down move through the matches.
        await pilot.press("ctrl+a", "ctrl+k", *"united")
        assert country.value == ""
        assert options.option_count > 3
        await pilot.press("down", "enter")
        assert country.value == options.get_option_at_index(1).id

        # While matches are listed the user is still choosing: no error yet.
        await pilot.press("ctrl+a", "ctrl+k", *"united")
        assert country.is_open
        assert field(pilot, "signup-country-field").error is None
        # Leaving with several matches and none chosen is refused.
        await pilot.press("shift+tab")
        assert country.value == ""
        assert field(pilot, "signup-country-field").error == (
            "Pick a country from the list (type to filter, enter to choose)."
        )

        # Free text that names no country is refused as soon as nothing matches.
        country.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"Atlantis")
        assert options.option_count == 0
        assert not country.is_open
        assert field(pilot, "signup-country-field").error == (
            "No country matches 'Atlantis'; try its name or two-letter code."
        )
        await pilot.press("shift+tab")
        assert country.value == ""

        # An exact code is accepted on leaving the field.
        country.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"fr")
        await pilot.press("shift+tab")
        assert country.value == "FR"

        # Escape first closes the list, and only then leaves the screen.
        country.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"nor")
        assert country.is_open
        await pilot.press("escape")
        assert not country.is_open
        assert isinstance(app.screen, SignUpScreen)
        await pilot.press("escape")
        await pilot.pause()
        # Something was typed: going back asks first (Discard is focused).
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


async def test_an_address_line_makes_the_address_fields_required(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_signup(pilot)
        fill_valid_form(screen, "ada@example.com")
        screen.query_one("#signup-street", Input).value = "Main Street"
        calls_before = len(app.api_log)
        await pilot.press("ctrl+s")
        await settle(pilot)
        for field_id, message in (
            ("signup-zip-field", "ZIP code is required."),
            ("signup-city-field", "City is required."),
            ("signup-country-field", "Country is required."),
        ):
            assert field(pilot, field_id).error == message
        assert field(pilot, "signup-street-field").error is None
        assert len(app.api_log) == calls_before


async def test_duplicate_email_is_shown_on_the_email_field(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_signup(pilot)
        fill_valid_form(screen, "demo@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignUpScreen)
        email_error = field(pilot, "signup-email-field").error
        assert email_error is not None
        assert email_error.startswith("An account with this email already exists.")
        # The failed submit kept everything the user typed.
        assert screen.query_one("#signup-first-name", Input).value == "Ada"
        assert screen.query_one("#signup-password", Input).value == GOOD_PASSWORD
        assert not screen.query_one("#signup-submit-button", Button).disabled


async def test_server_field_errors_land_next_to_their_fields(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_signup(pilot)
        fill_valid_form(screen, f"ada-{uuid.uuid4().hex[:8]}@example.com")
        # Longer than the server's 255-character limit for free text, with the form's own check
        # off: a server stricter than the form, whose 400 has to land next to the field.
        field(pilot, "signup-company-field").max_length = None
        screen.query_one("#signup-company", Input).value = "C" * 300
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignUpScreen)
        assert field(pilot, "signup-company-field").error == "At most 255 characters are allowed."
        assert screen.query_one("#signup-status", FormStatus).message
        assert app.focused is screen.query_one("#signup-company", Input)
        # Editing the field clears the server's complaint.
        screen.query_one("#signup-company", Input).value = "Analytical Engines Ltd"
        await pilot.pause()
        assert field(pilot, "signup-company-field").error is None


@pytest.mark.parametrize("pasted_as", ["bare token", "full link"])
async def test_signup_then_activation_logs_in(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any, pasted_as: str
) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_signup(pilot)
        fill_valid_form(screen, email)
        screen.query_one("#signup-title", Select).value = "MS"
        screen.query_one("#signup-language", Select).value = "en"
        screen.query_one("#signup-currency", Select).value = "GBP"
        screen.query_one("#signup-phone", Input).value = "+44 20 7946 0000"
        screen.query_one("#signup-street", Input).value = "St James's Square"
        screen.query_one("#signup-street-number", Input).value = "12"
        screen.query_one("#signup-zip", Input).value = "SW1Y 4JH"
        screen.query_one("#signup-city", Input).value = "London"
        screen.query_one("#signup-country", CountrySelect).select_code("GB")
        # Enter in the last field (the country) sends the form.
        screen.query_one("#signup-country", CountrySelect).focus()
        await pilot.press("enter")
        await settle(pilot)

        activation = app.screen
        assert isinstance(activation, ActivationScreen)
        explanation = activation.query_one("#activation-explanation").render()
        assert f"to {email}" in str(explanation)
        assert activation.query_one("#activation-email", Input).value == email

        mail = await outbox.latest(email, "customer.opt-in")
        token = mail["token"]
        token_input = activation.query_one("#activation-token", Input)
        token_input.focus()
        if pasted_as == "bare token":
            await pilot.press(*token)
        else:
            token_input.post_message(
                events.Paste(f"https://shop.example.com/signup/optin/{token}?lang=en")
            )
            await pilot.pause()
            assert token_input.value == token  # the link was reduced to its code
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "account"
        me = await app.account.load_profile()
        assert me.contact_email == email
        assert me.first_name == "Ada"
        assert me.title == "MS"
        assert me.preferred_language == "en"
        assert me.preferred_currency == "GBP"
        addresses = await app.account.list_addresses()
        assert [(a.contact_name, a.city, a.country) for a in addresses] == [
            ("Ada Lovelace", "London", "GB")
        ]


async def test_an_overlong_password_is_not_truncated(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_signup(pilot)
        password = screen.query_one("#signup-password", Input)
        password.focus()
        password.post_message(events.Paste("p" * 200))
        await pilot.pause()
        assert len(password.value) == 200
        assert field(pilot, "signup-password-field").error == (
            "Use at most 128 characters (200 now)."
        )


async def test_the_whole_form_by_keyboard_alone(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any
) -> None:
    email = f"kb-{uuid.uuid4().hex[:8]}@example.com"
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        # email -> password -> (remember me is disabled here) -> Log in -> Log in with Auth0
        # -> Create an account
        await pilot.press("tab", "tab", "tab", "tab")
        assert app.focused is app.screen.query_one("#login-sign-up", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SignUpScreen)
        # Enter moves from field to field; tab skips the optional ones.
        await pilot.press(*email, "enter")
        await pilot.press(*GOOD_PASSWORD, "enter")
        await pilot.press(*GOOD_PASSWORD, "enter")
        assert app.focused is app.screen.query_one("#signup-title", Select)
        await pilot.press("tab")
        await pilot.press(*"Ada", "enter", *"Lovelace", "enter")
        assert app.focused is app.screen.query_one("#signup-phone", Input)
        await pilot.press("tab", "tab", "tab")  # phone, company, language -> currency
        await pilot.press("tab")  # -> contact name
        await pilot.press("tab", *"Main Street", "enter", *"1", "enter")
        await pilot.press(*"10115", "enter", *"Berlin", "enter")
        assert app.focused is app.screen.query_one("#signup-country .country-filter", Input)
        await pilot.press(*"germ", "enter")  # enter picks the match...
        await pilot.press("enter")  # ...and enter again sends the form
        await settle(pilot)
        assert isinstance(app.screen, ActivationScreen)
        assert (await outbox.latest(email, "customer.opt-in"))["token"]


async def test_a_well_known_password_is_refused_before_sending(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_signup(pilot)
        fill_valid_form(screen, "ada@example.com")
        await type_into(pilot, "signup-password", "iloveyou")
        assert field(pilot, "signup-password-field").error == TOO_COMMON
        screen.query_one("#signup-password-again", Input).value = "iloveyou"
        calls_before = len(app.api_log)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignUpScreen)
        assert len(app.api_log) == calls_before
