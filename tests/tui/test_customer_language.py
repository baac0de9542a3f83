"""After login the UI speaks the customer's ``preferredLanguage`` (when we ship it); the
operator's switch (f10, the palette) overrides that for the session; the end of a session
brings back the terminal's language, so the next customer never meets the previous one's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    create_active_customer,
    kiosk_settings,
    log_in,
    record_notifications,
    settle,
    unique_email,
    wait_mode,
    wait_ready,
    wait_until,
)
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Static

from accountdesk.api import CustomerPatch
from accountdesk.session import Settings
from accountdesk.tui import i18n
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.language_choice import LanguageChoice, next_language
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.signup import SignUpScreen

MakeApp = Callable[..., AccountDeskApp]


def title_of(app: AccountDeskApp) -> str:
    """The words on the current screen that say which language it speaks."""
    screen = app.screen
    if isinstance(screen, AccountScreen):
        return str(screen.card.border_title)
    return str(screen.query_one(".form-title", Static).render())


async def account_in(pilot: Pilot[Any], app: AccountDeskApp, title: str) -> None:
    """Wait for the account overview titled ``title`` with the profile shown."""

    def shown() -> bool:
        screen = app.screen
        if not isinstance(screen, AccountScreen) or str(screen.card.border_title) != title:
            return False
        return str(screen.query_one("#account-name", Static).render()) != "…"

    await wait_until(pilot, shown, what=f"the account titled {title!r}")
    await settle(pilot)


async def german_customer(sandbox: Any) -> str:
    email = unique_email("greta")
    await create_active_customer(sandbox, email, "Greta", preferred_language="de")
    return email


# -- the rules -------------------------------------------------------------------------------


def test_the_rules_of_the_language_choice() -> None:
    choice = LanguageChoice("en", follow_customer=True)
    assert choice.for_customer("de_DE", current="en") == "de"
    assert choice.for_customer("de", current="de") is None  # already there
    assert choice.for_customer("fr", current="en") is None  # not shipped: stay
    assert choice.for_customer(None, current="en") is None
    choice.operator_chose("en", logged_in=True)
    assert choice.for_customer("de", current="en") is None  # the operator's word holds
    assert choice.session_ended() == "en"
    assert choice.for_customer("de", current="en") == "de"  # the next session follows again
    choice.operator_chose("de", logged_in=False)  # on the login screen: the terminal's
    assert choice.session_ended() == "de"
    assert choice.wiped() == "en"  # a kiosk's wipe: as configured
    assert LanguageChoice("en", follow_customer=False).for_customer("de", current="en") is None
    assert [next_language("en"), next_language("de")] == ["de", "en"]


# -- following the customer --------------------------------------------------------------------


async def test_the_account_follows_the_customers_language_and_the_operator_switches_back(
    make_app: MakeApp, sandbox: Any
) -> None:
    email = await german_customer(sandbox)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        await account_in(pilot, app, "Ihr Konto")
        assert i18n.language() == "de"
        assert app.screen.query_one("#account-name", Static).render().plain == "Greta Hopper"

        await pilot.press("f10")  # the operator: back to English
        await account_in(pilot, app, "Your account")
        await pilot.press("r")  # a reload sees the same preference, and the operator's word holds
        await settle(pilot)
        assert title_of(app) == "Your account"

        await app.account.log_out()
        await wait_mode(pilot, app, "auth")
        assert title_of(app) == "Log in to your account"

        await log_in(pilot, app, email, CUSTOMER_PASSWORD)  # a new session follows again
        await account_in(pilot, app, "Ihr Konto")


async def test_the_terminals_language_returns_when_the_session_ends(make_app: MakeApp) -> None:
    """Started in German; the demo customer prefers British English."""
    app = make_app(settings=Settings(language="de"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        assert title_of(app) == "Bei Ihrem Konto anmelden"
        await log_in(pilot, app, DEMO_EMAIL, DEMO_PASSWORD)
        await account_in(pilot, app, "Your account")

        await app.account.log_out()
        await wait_mode(pilot, app, "auth")
        await settle(pilot)
        assert title_of(app) == "Bei Ihrem Konto anmelden"
        assert i18n.language() == "de"


async def test_a_preference_changed_while_logged_in_is_followed_on_the_next_load(
    make_app: MakeApp, sandbox: Any
) -> None:
    email = unique_email("ada")
    await create_active_customer(sandbox, email, "Ada", preferred_language="en")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        await account_in(pilot, app, "Your account")
        await app.account.update_profile(CustomerPatch(preferred_language="de"))
        await pilot.press("r")
        await account_in(pilot, app, "Ihr Konto")
        language = app.screen.query_one("#account-language", Static).render()
        assert "(de)" in str(language)


async def test_following_can_be_switched_off(make_app: MakeApp, sandbox: Any) -> None:
    email = await german_customer(sandbox)
    app = make_app(settings=Settings(follow_customer_language=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        await account_in(pilot, app, "Your account")


# -- the operator's switch ---------------------------------------------------------------------


async def test_the_switch_on_the_login_screen_keeps_the_email_and_becomes_the_terminals(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press(*DEMO_EMAIL, "f10")
        await wait_until(pilot, lambda: title_of(app) == "Bei Ihrem Konto anmelden")
        await settle(pilot)
        assert app.screen.query_one("#login-email", Input).value == DEMO_EMAIL
        assert app.focused is app.screen.query_one("#login-password", Input)

        await pilot.press(*DEMO_PASSWORD, "enter")  # the demo customer prefers English
        await account_in(pilot, app, "Your account")
        await app.account.log_out()
        await wait_mode(pilot, app, "auth")
        await settle(pilot)
        assert title_of(app) == "Bei Ihrem Konto anmelden"  # the terminal's language now


async def test_the_switch_waits_for_a_covering_screen_and_loses_nothing(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        said = record_notifications(app, monkeypatch)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, SignUpScreen))
        await settle(pilot)
        await pilot.press(*"grace@example.com", "f10")
        await settle(pilot)
        assert isinstance(app.screen, SignUpScreen)
        assert app.screen.query_one("#signup-email", Input).value == "grace@example.com"
        assert i18n.language() == "en"
        assert said == [
            "Close this screen first (escape): the language is switched on the main one."
        ]


async def test_the_palette_finds_the_switch_and_speaks_german(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("ctrl+p", *"deutsch")
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: title_of(app) == "Bei Ihrem Konto anmelden")

        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await settle(pilot)
        palette = app.screen
        assert palette.query_one(Input).placeholder == "Befehle suchen…"
        await pilot.press(*"design")
        await settle(pilot)
        texts = [str(option.prompt) for option in palette.query_one(CommandList).options]
        assert any("Design" in text and "Das Design wechseln" in text for text in texts), texts


async def test_a_kiosk_wipe_returns_to_the_configured_language(make_app: MakeApp) -> None:
    app = make_app(settings=kiosk_settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f10")  # a visitor picks German on the welcome screen
        await wait_until(pilot, lambda: title_of(app) == "Bei Ihrem Konto anmelden")
        await pilot.press("ctrl+r")  # Start over: the next visitor starts as configured
        await wait_until(pilot, lambda: title_of(app) == "Log in to your account")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert i18n.language() == "en"
