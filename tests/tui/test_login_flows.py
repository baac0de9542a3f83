"""The login screen end to end against the real sandbox: every message it promises."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import settle, unique_email
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Static
from textual.worker import Worker

from accountdesk.api import CustomerSignup
from accountdesk.session import (
    Environment,
    FileTokenStore,
    MemoryTokenStore,
    Settings,
    StoreNotice,
)
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.forgot_password import ForgotPasswordScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.signup import SignUpScreen
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.wording import store_notice_text

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Password-42"

MakeApp = Callable[..., AccountDeskApp]


async def fill_login(pilot: Pilot[Any], email: str, password: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#login-email", Input).value = email
    screen.query_one("#login-password", Input).value = password
    screen.query_one("#login-password", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


def status_text(pilot: Pilot[Any]) -> str:
    return pilot.app.screen.query_one("#login-status", FormStatus).message


async def test_demo_customer_logs_in_by_keyboard_alone(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.focused is app.screen.query_one("#login-email", Input)
        await pilot.press(*DEMO_EMAIL)
        await pilot.press("enter")  # enter in the email field moves on to the password
        assert app.focused is app.screen.query_one("#login-password", Input)
        await pilot.press(*DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "account"
        assert isinstance(app.screen, AccountScreen)
        assert app.customer_email == DEMO_EMAIL


async def test_ctrl_s_submits_and_the_button_shows_progress(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#login-email", Input).value = DEMO_EMAIL
        screen.query_one("#login-password", Input).value = DEMO_PASSWORD
        button = screen.query_one("#login-submit-button", Button)
        seen: list[tuple[str, bool]] = []
        screen.watch(button, "disabled", lambda value: seen.append(("disabled", value)), init=False)
        screen.watch(button, "loading", lambda value: seen.append(("loading", value)), init=False)
        await pilot.press("ctrl+s")
        await settle(pilot)
        # While the request was in flight the button was disabled and showed a spinner.
        assert ("disabled", True) in seen
        assert ("loading", True) in seen
        assert app.current_mode == "account"


async def test_wrong_password_is_reported_and_the_form_kept(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await fill_login(pilot, DEMO_EMAIL, "not-the-password")
        assert isinstance(app.screen, LoginScreen)
        assert status_text(pilot) == "Email or password is incorrect."
        assert app.screen.query_one("#login-email", Input).value == DEMO_EMAIL
        assert app.screen.query_one("#login-password", Input).value == "not-the-password"
        assert not app.screen.query_one("#login-submit-button", Button).disabled
        assert app.focused is app.screen.query_one("#login-password", Input)


async def test_inline_checks_block_the_request(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        calls_before = len(app.api_log)
        await pilot.press(*"ada.example.com")
        email_field = app.screen.query_one("#login-email-field", FormField)
        assert email_field.error == "An email address must have an @-sign."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#login-password-field", FormField).error == (
            "Password is required."
        )
        assert len(app.api_log) == calls_before  # nothing was sent
        assert app.focused is app.screen.query_one("#login-email", Input)


async def test_password_can_be_shown_and_hidden(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        password = app.screen.query_one("#login-password", Input)
        password.focus()
        assert password.password
        await pilot.press("ctrl+o")
        assert not password.password
        await pilot.press("ctrl+o")
        assert password.password


async def test_not_activated_account_offers_to_resend(
    make_app: MakeApp, fresh_tenant: Any, outbox: Any
) -> None:
    environment = Environment(
        name="fresh",
        base_url=fresh_tenant.base_url,
        tenant=fresh_tenant.tenant,
        client_id=fresh_tenant.client_id,
    )
    email = unique_email()
    app = make_app(environment)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        signup = CustomerSignup(email=email, password="Lovelace-1815-engine")
        await app.account.sign_up(signup)
        resend = app.screen.query_one("#login-resend", Button)
        assert not resend.display or resend.has_class("-hidden")

        await fill_login(pilot, email, "Lovelace-1815-engine")
        assert status_text(pilot).startswith("This account isn't activated yet.")
        assert not resend.has_class("-hidden")
        assert app.current_mode == "auth"

        resend.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert status_text(pilot).startswith(f"We've sent a new activation email to {email}.")
        mails = [mail for mail in await outbox.all(email) if mail["event"] == "customer.opt-in"]
        assert len(mails) == 2  # the signup mail and the resent one


async def test_repeated_failures_are_throttled_with_the_wait_time(make_app: MakeApp) -> None:
    # The sandbox throttles per email, account or not: a unique address keeps the demo usable.
    email = unique_email()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for _attempt in range(30):
            await fill_login(pilot, email, "wrong-password-again")
            if status_text(pilot).startswith("Too many attempts"):
                break
            assert status_text(pilot) == "Email or password is incorrect."
        message = status_text(pilot)
        assert re.fullmatch(r"Too many attempts\. Wait \d+ seconds?, then try again\.", message)
        assert app.screen.query_one("#login-email", Input).value == email


def closed_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_network_down_keeps_the_form_and_says_so(make_app: MakeApp) -> None:
    port = closed_loopback_port()
    environment = Environment(
        name="offline",
        base_url=f"http://127.0.0.1:{port}",
        tenant="demo",
        client_id="demo-storefront",
    )
    app = make_app(environment)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await fill_login(pilot, DEMO_EMAIL, DEMO_PASSWORD)
        assert status_text(pilot) == (
            f"Can't reach the server at 127.0.0.1:{port}. Check your connection and try again."
        )
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-email", Input).value == DEMO_EMAIL
        assert app.screen.query_one("#login-password", Input).value == DEMO_PASSWORD
        assert not app.screen.query_one("#login-submit-button", Button).disabled


async def test_remember_me_is_disabled_with_the_reason(sandbox_environment: Environment) -> None:
    app = AccountDeskApp(
        Settings(),
        sandbox_environment,
        token_store=MemoryTokenStore(),
        store_notice=StoreNotice.NO_KEYRING,
    )
    notice = store_notice_text(StoreNotice.NO_KEYRING)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        checkbox = app.screen.query_one("#login-remember Checkbox", Checkbox)
        assert checkbox.disabled
        assert not checkbox.value
        shown = app.screen.query_one("#login-remember .remember-notice", Static)
        assert shown.display
        assert str(shown.render()) == notice
        assert checkbox.tooltip == notice


async def test_remember_me_lets_the_next_start_skip_the_password(
    make_app: MakeApp, tmp_path: Path
) -> None:
    store_path = tmp_path / "sessions.json"
    app = make_app(token_store=FileTokenStore(store_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        checkbox = app.screen.query_one("#login-remember Checkbox", Checkbox)
        assert not checkbox.disabled
        assert not app.screen.query_one("#login-remember .remember-notice", Static).display
        checkbox.focus()
        await pilot.press("space")
        assert checkbox.value
        await fill_login(pilot, DEMO_EMAIL, DEMO_PASSWORD)
        assert app.current_mode == "account"
    assert store_path.exists()

    again = make_app(token_store=FileTokenStore(store_path))
    async with again.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert again.current_mode == "account"
        assert again.customer_email == DEMO_EMAIL


async def test_relogin_after_expiry_returns_to_the_screen_underneath(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await fill_login(pilot, DEMO_EMAIL, DEMO_PASSWORD)
        underneath = app.screen
        assert isinstance(underneath, AccountScreen)
        reason = "Your session expired. Log in again to continue."
        app.push_screen(LoginScreen(reason=reason, resume_in_place=True, email=DEMO_EMAIL))
        await settle(pilot)
        assert str(app.screen.query_one("#login-reason", Static).render()) == reason
        # The customer is known: only the password is asked for.
        assert app.screen.query_one("#login-email", Input).value == DEMO_EMAIL
        assert app.focused is app.screen.query_one("#login-password", Input)
        await pilot.press(*DEMO_PASSWORD, "enter")
        await settle(pilot)
        assert app.screen is underneath


async def test_links_open_the_other_flows_and_escape_comes_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#login-email", Input).value = "ada@example.com"
        for button_id, screen_type in (
            ("#login-sign-up", SignUpScreen),
            ("#login-forgot", ForgotPasswordScreen),
            ("#login-activate", ActivationScreen),
        ):
            app.screen.query_one(button_id, Button).focus()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, LoginScreen)
        # The email typed on the login screen travels along.
        app.screen.query_one("#login-sign-up", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#signup-email", Input).value == "ada@example.com"


async def test_every_flow_has_a_key_from_the_login_screen(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for key, screen_type in (
            ("ctrl+n", SignUpScreen),
            ("ctrl+g", ForgotPasswordScreen),
            ("ctrl+y", ActivationScreen),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, LoginScreen)


async def test_server_field_errors_at_login_land_on_the_field(make_app: MakeApp) -> None:
    # Login has no length rule of its own (old passwords may predate today's policy), but
    # the server refuses passwords shorter than 6 characters outright, per field.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await fill_login(pilot, DEMO_EMAIL, "abc")
        error = app.screen.query_one("#login-password-field", FormField).error
        assert error is not None
        assert "6 characters" in error
        assert status_text(pilot)  # the server's overall sentence
        assert app.focused is app.screen.query_one("#login-password", Input)


async def test_the_password_never_shows_in_worker_descriptions(make_app: MakeApp) -> None:
    # Textual describes a worker by its call arguments unless told otherwise; the
    # description ends up in logs and in error reports.
    seen: list[str] = []

    def record(message: Message) -> None:
        if isinstance(message, Worker.StateChanged):
            seen.append(f"{message.worker!r} {message.worker.description}")

    app = make_app()
    async with app.run_test(size=(100, 40), message_hook=record) as pilot:
        await settle(pilot)
        await fill_login(pilot, DEMO_EMAIL, DEMO_PASSWORD)
        assert app.current_mode == "account"
    assert any("Logging in" in line for line in seen)
    assert not any(DEMO_PASSWORD in line for line in seen)


async def test_the_remember_me_tooltip_does_not_outlive_the_login(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34), tooltips=True) as pilot:
        await settle(pilot)
        checkbox = app.screen.query_one("#login-remember Checkbox", Checkbox)
        await pilot.hover(checkbox)
        await pilot.pause(app.TOOLTIP_DELAY + 0.3)
        tooltip = app.screen.query_one("#textual-tooltip")
        assert tooltip.display  # the disabled box explains itself on hover
        await fill_login(pilot, DEMO_EMAIL, DEMO_PASSWORD)
        assert app.current_mode == "account"
        assert not app.screen.query_one("#textual-tooltip").display
