"""The activation screen against the real sandbox: wrong codes, resending, and the token box."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from helpers import environment_for, settle
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Button, Input

from accountdesk.api import CustomerSignup
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.token_input import TokenInput

MakeApp = Callable[..., AccountDeskApp]


async def signed_up(app: AccountDeskApp) -> str:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    signup = CustomerSignup(email=email, password="Lovelace-1815-engine")
    await app.account.sign_up(signup)
    return email


async def test_unknown_code_is_refused_next_to_the_field(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ActivationScreen(email="ada@example.com"))
        await pilot.pause()
        await pilot.press(*"not-a-real-code", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ActivationScreen)
        error = app.screen.query_one("#activation-token-field", FormField).error
        assert error is not None
        assert error.startswith("This code is not valid")
        assert app.screen.query_one("#activation-token", Input).value == "not-a-real-code"
        assert app.current_mode == "auth"


async def test_resend_sends_a_new_code_that_activates(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        email = await signed_up(app)
        # From the login screen, by keyboard: the "Activate account" link carries the email.
        app.screen.query_one("#login-email", Input).value = email
        app.screen.query_one("#login-activate", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ActivationScreen)
        assert screen.query_one("#activation-email", Input).value == email

        screen.query_one("#activation-resend", Button).focus()
        await pilot.press("enter")
        await settle(pilot)
        status = screen.query_one("#activation-status", FormStatus).message
        assert status.startswith(f"If {email} has an account waiting for activation")
        mails = [m for m in await outbox.all(email) if m["event"] == "customer.opt-in"]
        assert len(mails) == 2

        screen.query_one("#activation-token", Input).value = mails[-1]["token"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.current_mode == "account"


async def test_empty_code_and_bad_email_are_caught_before_sending(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ActivationScreen())
        await pilot.pause()
        calls_before = len(app.api_log)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#activation-token-field", FormField).error == (
            "Activation code is required."
        )
        app.screen.query_one("#activation-email", Input).value = "ada@"
        app.screen.query_one("#activation-resend", Button).press()
        await settle(pilot)
        assert app.screen.query_one("#activation-email-field", FormField).error == (
            "There must be something after the @-sign."
        )
        assert len(app.api_log) == calls_before
        await pilot.press("escape")
        await pilot.pause()
        # Something was typed: going back asks first (Discard is focused).
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


async def test_prefilled_token_from_the_mailbox(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ActivationScreen(token="abc123"))
        await pilot.pause()
        assert app.screen.query_one("#activation-token", TokenInput).token == "abc123"


class TokenApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TokenInput(id="token")


async def test_pasting_a_link_keeps_only_its_code() -> None:
    app = TokenApp()
    async with app.run_test() as pilot:
        box = app.query_one(TokenInput)
        box.focus()
        box.post_message(events.Paste("  https://shop.example/signup/optin/CODE42\n"))
        await pilot.pause()
        assert box.value == "CODE42"
        assert box.token == "CODE42"


async def test_pasting_into_existing_text_is_an_ordinary_paste() -> None:
    app = TokenApp()
    async with app.run_test() as pilot:
        box = app.query_one(TokenInput)
        box.focus()
        box.value = "AB"
        box.cursor_position = 1
        box.post_message(events.Paste("xy"))
        await pilot.pause()
        assert box.value == "AxyB"  # pasted once, where the cursor was
