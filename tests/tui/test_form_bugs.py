"""Bugs users hit in the sign-in forms, each reproduced end to end against the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    create_active_customer,
    environment_for,
    latest_mail,
    log_in,
    settle,
    unique_email,
    wait_mode,
    wait_ready,
    wait_until,
)
from keystrokes import type_burst
from textual import events
from textual.widgets import Button, Input, Label, Static, TextArea

from accountdesk.api import CustomerSignup, UnauthorizedError
from accountdesk.tui.app import SESSION_EXPIRED_REASON, AccountDeskApp
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.forgot_password import RESET_DONE_MESSAGE, ForgotPasswordScreen
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.mailbox import COPY_ATTEMPTED, MailboxScreen
from accountdesk.tui.screens.signup import SignUpScreen
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.wording import wait_to_retry

MakeApp = Callable[..., AccountDeskApp]


def record_values(app: AccountDeskApp, input_id: str) -> list[str]:
    """Every value the input held from now on."""
    control = app.screen.query_one(f"#{input_id}", Input)
    seen = [control.value]
    control.watch(control, "value", lambda value: seen.append(value), init=False)
    return seen


# -- 1. fast typing: every key goes to the field focused at its point in the sequence --------


async def test_auto_typed_login_with_pilot_logs_in(make_app: MakeApp) -> None:
    """The keyboard path as Pilot drives it (it waits for idle between keys, so it passed
    before the fix too; the bursts below are what a terminal delivers)."""
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        await settle(pilot)
        email_values = record_values(app, "login-email")
        await pilot.press(*list(DEMO_EMAIL), "tab", *list(DEMO_PASSWORD), "enter")
        await wait_mode(pilot, app, "account")
        assert app.customer_email == DEMO_EMAIL
        assert not any(DEMO_PASSWORD in value for value in email_values)


async def test_a_terminal_burst_reaches_each_field_in_turn(make_app: MakeApp) -> None:
    """What tmux `send-keys "demo@example.com" Tab "Demo-Password-42" Enter` delivers."""
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        await settle(pilot)
        email_values = record_values(app, "login-email")
        type_burst(app, f"{DEMO_EMAIL}\t{DEMO_PASSWORD}\r")
        await wait_mode(pilot, app, "account")
        assert app.customer_email == DEMO_EMAIL
        assert email_values[-1] == DEMO_EMAIL
        assert not any("Password" in value for value in email_values)


async def test_enter_that_moves_the_focus_is_waited_for(make_app: MakeApp) -> None:
    """Enter in the email field moves to the password through a Submitted message."""
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        await settle(pilot)
        email_values = record_values(app, "login-email")
        type_burst(app, f"{DEMO_EMAIL}\r{DEMO_PASSWORD}\r")
        await wait_mode(pilot, app, "account")
        assert app.customer_email == DEMO_EMAIL
        assert not any("Password" in value for value in email_values)


async def test_bound_keys_keep_their_place_among_typed_ones(make_app: MakeApp) -> None:
    """Backspace is an Input binding: it must delete the c, not the d typed after it."""
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        email = app.screen.query_one("#login-email", Input)
        type_burst(app, "abc\x7fd")
        await settle(pilot)
        await wait_until(
            pilot, lambda: email.value == "abd", seconds=3, what=f"abd, not {email.value!r}"
        )


# -- 2. one screen, one state: stale and contradictory messages go ------------------------


def status_of(app: AccountDeskApp) -> FormStatus:
    screen = app.screen
    assert isinstance(screen, FormScreen)
    return screen.form_status


async def test_a_status_error_clears_when_the_input_is_edited(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        await settle(pilot)
        await pilot.press(*DEMO_EMAIL, "tab", *"not-the-password", "enter")
        await settle(pilot)
        assert status_of(app).message == "Email or password is incorrect."
        await pilot.press("backspace")
        await settle(pilot)
        assert status_of(app).message == ""


async def test_the_activation_code_complaint_goes_after_a_resend(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        email = unique_email("pending")
        await app.account.sign_up(CustomerSignup(email=email, password=CUSTOMER_PASSWORD))
        app.push_screen(ActivationScreen(email=email))
        await settle(pilot)
        await pilot.press("ctrl+s")  # no code yet
        await settle(pilot)
        token_field = app.screen.query_one("#activation-token-field", FormField)
        assert token_field.error == "Activation code is required."
        app.screen.query_one("#activation-resend", Button).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert status_of(app).message.startswith(f"If {email} has an account waiting")
        assert token_field.error is None
        # The button that was pressed has the focus back (disabled while sending, it lost it).
        assert app.focused is app.screen.query_one("#activation-resend", Button)


async def test_the_login_screen_shows_the_newest_message_only(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        login = LoginScreen(reason=SESSION_EXPIRED_REASON, email=DEMO_EMAIL)
        app.push_screen(login)
        await settle(pilot)
        reason = login.query_one("#login-reason", Static)
        assert reason.display
        # A newer message on the screen (here: the answer to a resend) replaces the reason.
        login.form_status.show_success(RESET_DONE_MESSAGE)
        await settle(pilot)
        assert login.form_status.message == RESET_DONE_MESSAGE
        assert not reason.display


async def test_a_login_screen_opened_with_both_a_reason_and_a_notice_shows_one(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        login = LoginScreen(
            reason=SESSION_EXPIRED_REASON, notice=RESET_DONE_MESSAGE, email=DEMO_EMAIL
        )
        app.push_screen(login)
        await settle(pilot)
        reason = login.query_one("#login-reason", Static)
        assert reason.display
        assert SESSION_EXPIRED_REASON in str(reason.render())
        assert login.form_status.message == ""  # the older notice is not shown beside it


# -- 3. escape on a half-filled form asks before throwing the input away --------------------


async def test_escape_on_an_untouched_form_goes_straight_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"ada@example.com", "ctrl+g")  # forgot password, email carried over
        await wait_until(pilot, lambda: isinstance(app.screen, ForgotPasswordScreen))
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_escape_on_a_half_filled_form_asks_first(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, SignUpScreen))
        await settle(pilot)
        signup = app.screen
        await pilot.press(*"ada@example.com", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard" in str(app.screen.query_one("#confirm-question", Label).render())
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert app.screen is signup
        assert signup.query_one("#signup-email", Input).value == "ada@example.com"
        assert app.focused is signup.query_one("#signup-email", Input)

        signup.query_one("#signup-cancel", Button).focus()  # "Back to login" asks too
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # Discard
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


# -- 4. the mailbox asks before an activation switches the logged-in customer ---------------


async def test_continue_on_another_customers_activation_asks_first(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    logged_in = unique_email("grace")
    await create_active_customer(fresh_tenant, logged_in)
    pending = unique_email("pending")
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        await log_in(pilot, app, logged_in, CUSTOMER_PASSWORD)
        await app.account.sign_up(CustomerSignup(email=pending, password=CUSTOMER_PASSWORD))
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen), what="mailbox")
        mailbox = app.screen
        assert isinstance(mailbox, MailboxScreen)
        await wait_until(
            pilot,
            lambda: mailbox.selected is not None and mailbox.selected.to == pending,
            what="the new opt-in mail",
        )
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question", Label).render())
        detail = str(app.screen.query_one("#confirm-detail", Label).render())
        assert pending in question
        assert logged_in in detail
        assert pending in detail
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert app.screen is mailbox
        assert app.customer_email == logged_in

        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # continue
        await wait_until(pilot, lambda: isinstance(app.screen, ActivationScreen), what="activation")
        assert app.customer_email == logged_in  # nothing switched before the user activates


# -- 6. a lockout counts down and ends --------------------------------------------------------


async def test_the_lockout_counts_down_and_frees_the_button(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = unique_email("locked")
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        for _attempt in range(5):
            with pytest.raises(UnauthorizedError):
                await app.account.log_in(email, "wrong-password-1")
        login = app.screen
        assert isinstance(login, LoginScreen)
        now = [1000.0]
        login.lockout.clock = lambda: now[0]
        await pilot.press(*email, "tab", *"wrong-password-1", "enter")
        await settle(pilot)
        assert login.form_status.message.startswith("Too many attempts. Wait ")
        first = login.lockout.remaining
        assert first > 2
        assert login.submit_button.disabled

        now[0] += 1
        login.lockout.tick()
        assert login.form_status.message == wait_to_retry(first - 1)
        await pilot.press("enter")  # no new attempt while locked out
        await settle(pilot)
        assert login.form_status.message == wait_to_retry(first - 1)

        now[0] += first
        login.lockout.tick()
        await settle(pilot)
        assert not login.lockout.running
        assert not login.submit_button.disabled
        assert login.form_status.message == "You can try again now."


# -- 7. copying a code says what was attempted and offers it to select ----------------------


async def test_copying_a_code_offers_it_on_screen(
    make_app: MakeApp, fresh_tenant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = unique_email("pending")
    app = make_app(environment_for(fresh_tenant))
    notices: list[str] = []
    original_notify = app.notify

    def record(message: str, **options: Any) -> None:
        notices.append(message)
        original_notify(message, **options)

    monkeypatch.setattr(app, "notify", record)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.account.sign_up(CustomerSignup(email=pending, password=CUSTOMER_PASSWORD))
        token = (await latest_mail(fresh_tenant, pending, "customer.opt-in"))["token"]
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen), what="mailbox")
        mailbox = app.screen
        assert isinstance(mailbox, MailboxScreen)
        await wait_until(pilot, lambda: mailbox.selected is not None, what="the mail")
        box = mailbox.query_one("#mailbox-token", TextArea)
        copy_area = mailbox.query_one("#mailbox-copy")
        assert not copy_area.display
        await pilot.press("y")
        await settle(pilot)
        note = mailbox.query_one("#mailbox-copy-note", Static)
        assert copy_area.display
        assert str(note.render()) == COPY_ATTEMPTED
        assert "copied" not in COPY_ATTEMPTED
        assert box.read_only
        assert box.text == token
        assert box.selected_text == token
        assert app.focused is box
        assert all(token not in notice for notice in notices)


# -- a field is judged when the user leaves it, not when the terminal loses focus ------------


async def test_switching_away_from_the_terminal_does_not_flag_an_untouched_field(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, app)
        await settle(pilot)
        email = app.screen.query_one("#login-email", Input)
        email.focus()
        await pilot.pause()
        field = next(node for node in email.ancestors if isinstance(node, FormField))
        app.post_message(events.AppBlur())
        await wait_until(pilot, lambda: not app.app_focus and app.screen.focused is None)
        await pilot.pause()
        assert not field.has_class("-invalid")
        app.post_message(events.AppFocus())
        await wait_until(pilot, lambda: app.screen.focused is email)
        assert not field.has_class("-invalid")
        # Leaving the field for real still says what is missing.
        await pilot.press("tab")
        await wait_until(pilot, lambda: field.has_class("-invalid"))
