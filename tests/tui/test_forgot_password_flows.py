"""Forgot password end to end: neutral answer, reset with the emailed code, then log in."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from helpers import environment_for, settle
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from accountdesk.api import CustomerApiClient, CustomerSignup
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.forgot_password import (
    RESET_DONE_MESSAGE,
    RESET_REQUESTED,
    ForgotPasswordScreen,
    ResetPasswordScreen,
)
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.widgets.form_field import FormField, FormStatus

MakeApp = Callable[..., AccountDeskApp]
OLD_PASSWORD = "Lovelace-1815-engine"
NEW_PASSWORD = "quietly-violet-harbour-telescope"


async def active_customer(app: AccountDeskApp, outbox: Any) -> str:
    """A signed-up and activated customer in the app's tenant, logged out again."""
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    environment = app.environment
    assert environment.base_url is not None
    async with CustomerApiClient(
        environment.base_url, environment.tenant, environment.client_id
    ) as client:
        anonymous = (await client.anonymous_login()).access_token
        await client.sign_up(anonymous, CustomerSignup(email=email, password=OLD_PASSWORD))
        mail = await outbox.latest(email, "customer.opt-in")
        await client.confirm_opt_in(anonymous, mail["token"])
    return email


async def request_reset(pilot: Pilot[Any], email: str) -> str:
    """From the login screen: Forgot password? -> email -> enter; returns the notice shown."""
    app = pilot.app
    assert isinstance(app.screen, LoginScreen)
    app.screen.query_one("#login-forgot", Button).focus()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ForgotPasswordScreen)
    app.screen.query_one("#forgot-email", Input).value = email
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ResetPasswordScreen)
    return str(app.screen.query_one("#reset-notice", Static).render())


async def log_in(pilot: Pilot[Any], email: str, password: str) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    screen.query_one("#login-email", Input).value = email
    screen.query_one("#login-password", Input).value = password
    await pilot.press("ctrl+s")
    await settle(pilot)
    if pilot.app.current_mode == "account":
        return "logged in"
    return pilot.app.screen.query_one("#login-status", FormStatus).message


async def test_same_answer_for_known_and_unknown_addresses(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        known = await active_customer(app, outbox)
        unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.com"

        answer_unknown = await request_reset(pilot, unknown)
        await pilot.press("escape")
        await pilot.pause()
        answer_known = await request_reset(pilot, known)

        assert answer_unknown == answer_known == RESET_REQUESTED
        assert [mail["event"] for mail in await outbox.all(unknown)] == []
        assert (await outbox.latest(known, "customer.password-reset"))["token"]


async def test_reset_with_the_emailed_code_then_only_the_new_password_works(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        email = await active_customer(app, outbox)
        await request_reset(pilot, email)
        reset = app.screen
        token = (await outbox.latest(email, "customer.password-reset"))["token"]

        token_input = reset.query_one("#reset-token", Input)
        assert app.focused is token_input
        token_input.post_message(events.Paste(f"https://shop.example.com/reset?token={token}"))
        await pilot.pause()
        assert token_input.value == token
        await pilot.press("enter")  # on to the new password
        await pilot.press(*NEW_PASSWORD, "enter")
        await pilot.press(*NEW_PASSWORD[:-1], "X", "enter")
        await settle(pilot)
        again = reset.query_one("#reset-password-again-field", FormField)
        assert again.error == "The passwords don't match."
        assert isinstance(app.screen, ResetPasswordScreen)

        await pilot.press("backspace", NEW_PASSWORD[-1], "enter")
        await settle(pilot)
        login = app.screen
        assert isinstance(login, LoginScreen)
        assert app.current_mode == "auth"  # a reset never logs in by itself
        assert login.query_one("#login-status", FormStatus).message == RESET_DONE_MESSAGE
        assert login.query_one("#login-email", Input).value == email

        assert await log_in(pilot, email, OLD_PASSWORD) == "Email or password is incorrect."
        assert await log_in(pilot, email, NEW_PASSWORD) == "logged in"


async def test_a_used_code_is_refused_on_the_code_field(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        email = await active_customer(app, outbox)
        await request_reset(pilot, email)
        token = (await outbox.latest(email, "customer.password-reset"))["token"]
        await app.account.reset_password(token, NEW_PASSWORD)
        screen = app.screen
        screen.query_one("#reset-token", Input).value = token
        screen.query_one("#reset-password", Input).value = "another-long-password"
        screen.query_one("#reset-password-again", Input).value = "another-long-password"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResetPasswordScreen)
        error = screen.query_one("#reset-token-field", FormField).error
        assert error is not None
        assert error.startswith("This code is not valid")
        assert screen.query_one("#reset-password", Input).value == "another-long-password"


async def test_short_new_password_is_blocked_before_sending(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ResetPasswordScreen(token="some-code"))
        await pilot.pause()
        assert app.focused is app.screen.query_one("#reset-password", Input)
        calls_before = len(app.api_log)
        await pilot.press(*"short", "ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#reset-password-field", FormField).error == (
            "Use at least 8 characters (5 so far)."
        )
        assert len(app.api_log) == calls_before
