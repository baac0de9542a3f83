"""Bugs users hit in the sign-in forms, each reproduced end to end against the sandbox."""

from __future__ import annotations

from collections.abc import Callable

from helpers import DEMO_EMAIL, DEMO_PASSWORD, settle, wait_mode, wait_ready, wait_until
from keystrokes import type_burst
from textual.widgets import Input

from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.login import LoginScreen

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
