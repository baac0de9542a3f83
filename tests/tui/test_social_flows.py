"""Log in with Auth0 and add a password login, end to end against the sandbox.

The sandbox's fake identity provider stands in for Auth0: the app signs in there as the email
typed on the social step and follows the redirect to its own loopback listener. The "real
tenant" tests make the loopback sandbox look like a real one (no sandbox probe) and play the
browser themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    advance_sandbox_clock,
    create_active_customer,
    environment_for,
    settle,
    unique_email,
    wait_mode,
    wait_ready,
    wait_until,
)
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from accountdesk.api import CustomerApiClient, UnauthorizedError
from accountdesk.session import Environment
from accountdesk.session.config import SocialLoginSettings
from accountdesk.session.social import SocialLoginError
from accountdesk.tui import app as app_module
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.navigation import open_flow
from accountdesk.tui.screens import social_login
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.assign_account import (
    ALREADY_HAS_LOGIN,
    EMAIL_TAKEN,
    AssignAccountScreen,
)
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.social_login import NO_BROWSER, SocialLoginScreen, progress_text
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.wording import describe

MakeApp = Callable[..., AccountDeskApp]
NEW_PASSWORD = "Social-Then-Password-93"


def social_screen(app: AccountDeskApp) -> SocialLoginScreen:
    screen = app.screen
    assert isinstance(screen, SocialLoginScreen)
    return screen


def status_of(app: AccountDeskApp, status_id: str) -> str:
    return app.screen.query_one(f"#{status_id}", FormStatus).message


def bindings_shown(app: AccountDeskApp) -> set[str]:
    return {
        binding.id
        for (_node, binding, enabled, _tooltip) in app.active_bindings.values()
        if enabled and binding.id
    }


async def open_social_step(pilot: Pilot[Any], app: AccountDeskApp) -> SocialLoginScreen:
    await wait_ready(pilot, app)
    await pilot.press("ctrl+f")
    await wait_until(
        pilot, lambda: isinstance(app.screen, SocialLoginScreen), what="the social step"
    )
    screen = social_screen(app)
    await wait_until(pilot, lambda: screen._attempt is not None, what="the loopback listener")
    return screen


async def log_in_at_the_fake_idp(pilot: Pilot[Any], app: AccountDeskApp, email: str) -> None:
    screen = await open_social_step(pilot, app)
    assert app.focused is screen.query_one("#social-email", Input)
    await pilot.press(*email, "enter")
    await wait_mode(pilot, app, "account")


async def test_log_in_with_the_fake_idp_then_add_a_password_login(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = unique_email("social")
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await log_in_at_the_fake_idp(pilot, app, email)
        assert isinstance(app.screen, AccountScreen)
        assert app.customer_email == email
        account = app.screen
        await wait_until(pilot, lambda: account.password_login is False, what="the profile")
        assert "account-assign-password" in bindings_shown(app)
        # Both need a current password, which this customer does not have yet.
        assert "account-change-password" not in bindings_shown(app)
        assert "account-change-email" not in bindings_shown(app)

        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignAccountScreen))
        await settle(pilot)
        screen = app.screen
        # The identity provider's address is offered; the cursor waits in the password.
        assert screen.query_one("#assign-email", Input).value == email
        assert app.focused is screen.query_one("#assign-password", Input)
        await pilot.press(*NEW_PASSWORD, "enter", *NEW_PASSWORD, "enter")
        await wait_until(pilot, lambda: app.screen is account, what="back on the account")
        await settle(pilot)
        assert account.password_login is True
        assert "account-assign-password" not in bindings_shown(app)
        assert {"account-change-password", "account-change-email"} <= bindings_shown(app)

    # The new login works for anyone, not only inside this app.
    async with CustomerApiClient(
        fresh_tenant.base_url, fresh_tenant.tenant, fresh_tenant.client_id
    ) as client:
        anonymous = await client.anonymous_login()
        token = await client.login(anonymous.access_token, email, NEW_PASSWORD)
        profile = await client.get_profile(token.access_token)
        assert {login.id for login in profile.accounts} == {email}
        assert len(profile.accounts) == 2
        with pytest.raises(UnauthorizedError):
            await client.login(anonymous.access_token, email, "Not-The-Password-1")


async def test_a_taken_email_is_refused_next_to_the_field(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    taken = unique_email("taken")
    await create_active_customer(fresh_tenant, taken)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await log_in_at_the_fake_idp(pilot, app, unique_email("social"))
        account = app.screen
        await wait_until(pilot, lambda: getattr(account, "password_login", None) is False)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignAccountScreen))
        await settle(pilot)
        screen = app.screen
        screen.query_one("#assign-email", Input).value = taken
        screen.query_one("#assign-password", Input).value = NEW_PASSWORD
        screen.query_one("#assign-password-again", Input).value = NEW_PASSWORD
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#assign-email-field", FormField).error == EMAIL_TAKEN
        assert status_of(app, "assign-status") == "This email is already registered."
        assert app.focused is screen.query_one("#assign-email", Input)
        # What was typed stays.
        assert screen.query_one("#assign-password", Input).value == NEW_PASSWORD
        await pilot.press("escape")
        await settle(pilot)
        # What was typed is still there: going back asks first (Discard is focused).
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is account


async def test_a_password_customer_is_not_offered_a_second_login(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = unique_email()
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(email, CUSTOMER_PASSWORD)
        await wait_mode(pilot, app, "account")
        account = app.screen
        assert isinstance(account, AccountScreen)
        await wait_until(pilot, lambda: account.password_login is True, what="the profile")
        assert "account-assign-password" not in bindings_shown(app)
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is account
        # Opened anyway, by its flow name: the server refuses a second password login, and
        # the screen says so.
        open_flow(app, "assign-account")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignAccountScreen))
        await settle(pilot)
        screen = app.screen
        screen.query_one("#assign-email", Input).value = unique_email("second")
        screen.query_one("#assign-password", Input).value = NEW_PASSWORD
        screen.query_one("#assign-password-again", Input).value = NEW_PASSWORD
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert status_of(app, "assign-status") == ALREADY_HAS_LOGIN
        assert app.screen is screen


async def test_a_forged_redirect_is_refused_and_a_new_attempt_works(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = unique_email("social")
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_social_step(pilot, app)
        attempt = screen._attempt
        assert attempt is not None
        async with httpx.AsyncClient(timeout=5) as client:
            forged = await client.get(
                attempt.redirect_uri, params={"code": "stolen", "state": "guessed"}
            )
        assert forged.status_code == 400
        await wait_until(pilot, lambda: screen._attempt is None, what="the refusal")
        await settle(pilot)
        assert "does not belong to this sign-in" in status_of(app, "social-status")
        assert app.current_mode == "auth"
        # Enter starts a fresh attempt (new state and verifier) and signs in.
        screen.query_one("#social-email", Input).focus()
        await pilot.press(*email, "enter")
        await wait_mode(pilot, app, "account")
        assert app.customer_email == email


async def test_an_unfinished_sign_in_gives_up_and_can_start_again(
    make_app: MakeApp, fresh_tenant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(social_login, "SIGN_IN_TIMEOUT", 1.0)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_social_step(pilot, app)
        await wait_until(pilot, lambda: screen._attempt is None, what="the deadline")
        await settle(pilot)
        assert status_of(app, "social-status") == (
            "The sign-in did not finish within 1 second. Start it again."
        )
        monkeypatch.setattr(social_login, "SIGN_IN_TIMEOUT", 60.0)
        email = unique_email("late")
        await pilot.press(*email, "enter")
        await wait_mode(pilot, app, "account")
        assert app.customer_email == email


async def test_an_expired_social_session_logs_in_again_in_place(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = unique_email("again")
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await log_in_at_the_fake_idp(pilot, app, email)
        account = app.screen
        assert isinstance(account, AccountScreen)
        # Beyond the access token (30 days) and its refresh token (1 day).
        await advance_sandbox_clock(fresh_tenant.base_url, 2_592_000 + 86_400 + 60)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), what="re-login")
        await settle(pilot)
        screen = await open_social_step(pilot, app)
        # The re-login screen knows who it was: the social step offers that address.
        assert screen.query_one("#social-email", Input).value == email
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is account, what="back on the account")
        assert app.current_mode == "account"
        assert app.customer_email == email


@pytest.mark.parametrize(
    ("code", "params", "sentence"),
    [
        ("social_timeout", {"seconds": "300"}, "did not finish within 5 minutes"),
        ("social_timeout", {"seconds": "45"}, "did not finish within 45 seconds"),
        ("social_state_mismatch", {}, "does not belong to this sign-in"),
        ("social_refused", {"reason": "access_denied"}, "cancelled at the identity provider"),
        ("social_bad_redirect", {}, "without a sign-in code"),
        ("social_listener_failed", {"port": "8765"}, "port 8765 on this computer is taken"),
        ("social_not_configured", {"environment": "prod"}, "[environments.prod.social_login]"),
    ],
)
def test_every_social_failure_has_its_words(
    code: str, params: dict[str, str], sentence: str
) -> None:
    words = describe(SocialLoginError("English for logs.", code=code, params=params))
    assert sentence in words
    assert "English for logs" not in words


async def test_escape_cancels_and_stops_listening(make_app: MakeApp, fresh_tenant: Any) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_social_step(pilot, app)
        attempt = screen._attempt
        assert attempt is not None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        async with httpx.AsyncClient(timeout=5) as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(attempt.redirect_uri, params={"code": "x", "state": "y"})


# -- a "real" tenant ---------------------------------------------------------------------------


def as_real_tenant(target: Any, social: SocialLoginSettings | None) -> Environment:
    return Environment(
        name="shop",
        base_url=target.base_url,
        tenant=target.tenant,
        client_id=target.client_id,
        social_login=social,
    )


@pytest.fixture
def no_sandbox_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loopback test sandbox is not recognised: the app treats it as a real tenant."""

    async def never(_base_url: str) -> bool:
        return False

    monkeypatch.setattr(app_module, "is_loopback_sandbox", never)


@pytest.mark.usefixtures("no_sandbox_probe")
async def test_a_real_tenant_without_settings_explains_what_to_configure(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(as_real_tenant(fresh_tenant, None))
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        await settle(pilot)
        assert not app.is_sandbox
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        message = status_of(app, "login-status")
        assert "[environments.shop.social_login]" in message
        assert "auth0_domain and client_id" in message


@pytest.mark.usefixtures("no_sandbox_probe")
async def test_a_real_tenant_signs_in_in_the_browser(
    make_app: MakeApp, fresh_tenant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def no_graphical_browser(url: str) -> bool:
        opened.append(url)
        return False

    monkeypatch.setattr(social_login, "open_in_browser", no_graphical_browser)
    settings = SocialLoginSettings(
        authorize_url="https://shop.example/authorize", client_id="spa", connection="github"
    )
    email = unique_email("browser")
    app = make_app(as_real_tenant(fresh_tenant, settings))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_social_step(pilot, app)
        attempt = screen._attempt
        assert attempt is not None
        progress = screen.query_one("#social-progress", Static)
        # No settle() while the sign-in waits: it would wait for the browser too.
        await wait_until(
            pilot, lambda: str(progress.content) == progress_text(NO_BROWSER), what="the advice"
        )
        url = str(screen.query_one("#social-url", Static).content)
        assert opened == [attempt.authorize_url]
        assert url == attempt.authorize_url
        query = {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
        assert urlsplit(url).netloc == "shop.example"
        assert query["client_id"] == "spa"
        assert query["connection"] == "github"
        assert query["code_challenge_method"] == "S256"

        # The test is the browser: sign in (here the sandbox's IdP issues the code that the
        # sandbox's socialLogin redeems), then follow the redirect with code and state.
        async with httpx.AsyncClient(base_url=fresh_tenant.base_url, timeout=5) as client:
            issued = await client.get(
                "/_sandbox/social/authorize",
                params={
                    "tenant": fresh_tenant.tenant,
                    "email": email,
                    "redirect_uri": query["redirect_uri"],
                    "code_challenge": query["code_challenge"],
                },
            )
            back = await client.get(
                query["redirect_uri"],
                params={"code": issued.json()["code"], "state": query["state"]},
            )
        assert back.status_code == 200
        await wait_mode(pilot, app, "account")
        assert app.customer_email == email


@pytest.mark.usefixtures("no_sandbox_probe")
async def test_a_code_that_social_login_refuses_says_so(
    make_app: MakeApp, fresh_tenant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(social_login, "open_in_browser", lambda _url: True)
    settings = SocialLoginSettings(auth0_domain="shop.eu.auth0.com", client_id="spa")
    app = make_app(as_real_tenant(fresh_tenant, settings))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_social_step(pilot, app)
        attempt = screen._attempt
        assert attempt is not None
        await wait_until(
            pilot,
            lambda: (
                "Finish signing in in your browser"
                in str(screen.query_one("#social-progress", Static).content)
            ),
            what="the browser to be opened",
        )
        async with httpx.AsyncClient(timeout=5) as client:
            await client.get(
                attempt.redirect_uri, params={"code": "not-issued", "state": attempt.state}
            )
        await wait_until(pilot, lambda: screen._attempt is None, what="the refusal")
        await settle(pilot)
        assert status_of(app, "social-status") == (
            "The authorization code is invalid, expired or already used."
        )
        button = screen.query_one("#social-submit-button", Button)
        assert str(button.label) == "Start again"
        assert app.current_mode == "auth"
