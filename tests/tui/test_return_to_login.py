"""Flows that end on the login screen go through navigation: one message, the email filled in,
the password focused; no screen walks the screen stack or calls into a sibling screen."""

from __future__ import annotations

import ast
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import environment_for, settle, wait_until
from textual.widgets import Button, Input, Static

from accountdesk.api import CustomerApiClient, CustomerSignup
from accountdesk.tui import screens
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.forgot_password import (
    RESET_DONE_MESSAGE,
    ForgotPasswordScreen,
    ResetPasswordScreen,
)
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.mailbox import MailboxScreen
from accountdesk.tui.widgets.form_field import FormField, FormStatus

MakeApp = Callable[..., AccountDeskApp]
SCREEN_SOURCES = sorted(Path(screens.__file__).parent.glob("*.py"))
OLD_PASSWORD = "Lovelace-1815-engine"
NEW_PASSWORD = "quietly-violet-harbour-telescope"
# Screen modules any screen may build on (frames, not flows).
_SHARED_SCREEN_MODULES = {"base", "form", "dialog", "confirm"}


def test_no_screen_walks_the_screen_stack() -> None:
    offenders = [
        path.name for path in SCREEN_SOURCES if "screen_stack" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_login_screen_imports_no_other_flow() -> None:
    # It opens sign-up, activation and the password reset by name (tui/navigation.py).
    tree = ast.parse((Path(screens.__file__).parent / "login.py").read_text(encoding="utf-8"))
    imported = {
        node.module.rsplit(".", 1)[-1]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith("accountdesk.tui.screens.")
    }
    assert imported <= _SHARED_SCREEN_MODULES


async def active_customer(target: Any, outbox: Any) -> str:
    email = f"back-{uuid.uuid4().hex[:8]}@example.com"
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        anonymous = (await client.anonymous_login()).access_token
        await client.sign_up(anonymous, CustomerSignup(email=email, password=OLD_PASSWORD))
        mail = await outbox.latest(email, "customer.opt-in")
        await client.confirm_opt_in(anonymous, mail["token"])
    return email


async def test_a_reset_returns_to_a_login_screen_with_exactly_one_message(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        email = await active_customer(fresh_tenant, outbox)
        login = app.screen
        assert isinstance(login, LoginScreen)
        # A failed attempt first: its error must not stay beside the reset's message.
        login.query_one("#login-email", Input).value = email
        login.query_one("#login-password", Input).value = "not-the-password"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert login.query_one("#login-status", FormStatus).message

        login.query_one("#login-forgot", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, ForgotPasswordScreen)
        await pilot.press("enter")  # the email came along
        await settle(pilot)
        reset = app.screen
        assert isinstance(reset, ResetPasswordScreen)
        token = (await outbox.latest(email, "customer.password-reset"))["token"]
        reset.query_one("#reset-token", Input).value = token
        reset.query_one("#reset-password", Input).value = NEW_PASSWORD
        reset.query_one("#reset-password-again", Input).value = NEW_PASSWORD
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, LoginScreen) and app.screen is not login,
            what="a fresh login screen",
        )
        await settle(pilot)

        back = app.screen
        assert isinstance(back, LoginScreen)
        assert app.current_mode == "auth"
        assert len(app.screen_stack) == 1
        assert back.query_one("#login-status", FormStatus).message == RESET_DONE_MESSAGE
        assert not back.query("#login-reason")
        assert all(field.error is None for field in back.query(FormField))
        assert back.query_one("#login-email", Input).value == email
        assert back.query_one("#login-password", Input).value == ""
        assert app.focused is back.query_one("#login-password", Input)
        shown = [str(widget.render()) for widget in back.query(Static)]
        assert sum(RESET_DONE_MESSAGE in text for text in shown) == 1


async def test_a_reset_continued_from_the_mailbox_ends_with_the_email_filled(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any
) -> None:
    """The mailbox knows whose reset it is: the login screen after it has that address, the
    cursor in Password (before, Email was empty and the next password typed landed there)."""
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        email = await active_customer(fresh_tenant, outbox)
        await app.account.request_password_reset(email)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen))
        mailbox = app.screen
        assert isinstance(mailbox, MailboxScreen)
        await wait_until(
            pilot,
            lambda: (
                mailbox.selected is not None and mailbox.selected.event == "customer.password-reset"
            ),
            what="the reset mail",
        )
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ResetPasswordScreen))
        await settle(pilot)
        await pilot.press(*NEW_PASSWORD, "tab", *NEW_PASSWORD, "enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, LoginScreen) and len(app.screen_stack) == 1,
            what="the login screen",
        )
        await settle(pilot)
        back = app.screen
        assert back.query_one("#login-email", Input).value == email
        assert app.focused is back.query_one("#login-password", Input)
        assert back.query_one("#login-status", FormStatus).message == RESET_DONE_MESSAGE
