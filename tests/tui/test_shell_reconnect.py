"""A dead embedded sandbox: noticed at once, said in the status line, and after F5 the user is
either really logged in again or on the login screen, never stranded in between."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD, settle, wait_mode, wait_ready, wait_until
from textual.widgets import Input, Static

from accountdesk.session import Environment
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.mailbox import MailboxScreen
from accountdesk.tui.widgets.form_field import FormStatus
from accountdesk.tui.widgets.status import SessionStatus
from accountdesk.tui.wording import (
    MAILBOX_UNREADABLE,
    RECONNECT_ADVICE,
    SANDBOX_RESTARTED_LOG_IN,
    SANDBOX_STOPPED,
    sentences,
    with_reconnect_advice,
)

MakeApp = Callable[..., AccountDeskApp]
EMBEDDED = Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront")


def status_line(app: AccountDeskApp) -> str:
    return str(app.screen.query_one(SessionStatus).query_one("#status-customer", Static).render())


def record_notices(app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    notices: list[str] = []
    original = app.notify

    def record(message: str, **options: Any) -> None:
        notices.append(message)
        original(message, **options)

    monkeypatch.setattr(app, "notify", record)
    return notices


def kill_sandbox(app: AccountDeskApp) -> int:
    pid = app.sandbox_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    return pid


async def test_a_killed_sandbox_is_noticed_without_a_request(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(environment=EMBEDDED)
    notices = record_notices(app, monkeypatch)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        requests_before = len(app.api_log)
        kill_sandbox(app)
        # Watching the process: no request is needed to find out (the old way waited for one).
        await wait_until(
            pilot, lambda: app.backend_state == "failed", seconds=5, what="the dead sandbox"
        )
        assert len(app.api_log) == requests_before
        assert status_line(app) == f"{SANDBOX_STOPPED} {RECONNECT_ADVICE}"
        assert app.sandbox_pid is None
        await wait_until(pilot, lambda: bool(notices), what="the notification")
        # F5 is the one advice, given once per message, and no sentence ends twice.
        for notice in notices:
            assert notice.count(RECONNECT_ADVICE) == 1, notice
            for doubled in ("..", ".).", ".)."):
                assert doubled not in notice, notice
        assert app.check_action("reconnect", ()) is True


async def test_after_a_restart_a_session_kept_in_memory_leads_to_the_login_screen(
    make_app: MakeApp,
) -> None:
    app = make_app(environment=EMBEDDED)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)  # not remembered
        await wait_mode(pilot, app, "account")
        first_pid = kill_sandbox(app)
        await wait_until(pilot, lambda: app.backend_state == "failed", what="the dead sandbox")

        await pilot.press("f5")
        await wait_ready(pilot, app)
        await wait_mode(pilot, app, "auth")
        await settle(pilot)
        assert app.sandbox_pid not in (None, first_pid)

        # Not stranded: the login screen, one message, the email filled, the password next.
        login = app.screen
        assert isinstance(login, LoginScreen)
        assert len(app.screen_stack) == 1
        assert str(login.query_one("#login-reason", Static).render()) == SANDBOX_RESTARTED_LOG_IN
        assert login.query_one("#login-status", FormStatus).message in ("", None)
        assert login.query_one("#login-email", Input).value == DEMO_EMAIL
        assert app.focused is login.query_one("#login-password", Input)
        assert status_line(app) == "Not logged in"
        assert app.customer_email is None
        assert app.check_action("logout", ()) is False
        # The "not connected, press F5" notice does not outlive the reconnect it asked for.
        assert not [n for n in app._notifications if "F5" in n.message]

        # And logging in works against the new sandbox.
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        await wait_mode(pilot, app, "account")
        assert status_line(app) == f"Logged in as {DEMO_EMAIL}"


async def test_after_a_restart_a_remembered_session_resumes(make_app: MakeApp) -> None:
    app = make_app(environment=EMBEDDED)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
        await wait_mode(pilot, app, "account")
        kill_sandbox(app)
        await wait_until(pilot, lambda: app.backend_state == "failed", what="the dead sandbox")

        await pilot.press("f5")
        await wait_ready(pilot, app)
        await wait_until(pilot, lambda: app.logged_in, what="the resumed session")
        await settle(pilot)
        # Logged in for real: the session works, logout is offered, the header agrees.
        assert app.current_mode == "account"
        assert isinstance(app.screen, AccountScreen)
        assert status_line(app) == f"Logged in as {DEMO_EMAIL}"
        assert app.check_action("logout", ()) is True
        profile = await app.account.load_profile()
        assert profile.contact_email == DEMO_EMAIL or app.customer_email == DEMO_EMAIL


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("The server is down", RECONNECT_ADVICE), "The server is down. Press F5 to reconnect."),
        (
            ("Check that the network is available.", RECONNECT_ADVICE),
            "Check that the network is available. Press F5 to reconnect.",
        ),
        (("(Exit code 3.)", "Try again"), "(Exit code 3.) Try again."),
        (("", "Done!"), "Done!"),
    ],
)
def test_sentences_end_exactly_once(parts: tuple[str, ...], expected: str) -> None:
    assert sentences(*parts) == expected


def test_the_reconnect_advice_is_never_given_twice() -> None:
    once = with_reconnect_advice("Not connected to the server. Press F5 to reconnect.")
    assert once == "Not connected to the server. Press F5 to reconnect."
    assert with_reconnect_advice(SANDBOX_STOPPED) == f"{SANDBOX_STOPPED} {RECONNECT_ADVICE}"


async def test_f5_with_a_live_sandbox_keeps_it_and_the_session(make_app: MakeApp) -> None:
    # Reconnect is always offered; pressing it while all is well must not cost the session.
    app = make_app(environment=EMBEDDED)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)  # kept in memory only
        await wait_mode(pilot, app, "account")
        pid = app.sandbox_pid
        await pilot.press("f5")
        await wait_ready(pilot, app)
        await settle(pilot)
        assert app.sandbox_pid == pid
        assert app.logged_in
        assert app.current_mode == "account"
        assert status_line(app) == f"Logged in as {DEMO_EMAIL}"


async def test_the_open_mailbox_says_the_same_about_a_dead_sandbox(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(environment=EMBEDDED)
    notices = record_notices(app, monkeypatch)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen), what="the mailbox")
        kill_sandbox(app)
        await wait_until(
            pilot, lambda: any(MAILBOX_UNREADABLE in n for n in notices), what="the poll"
        )
        for notice in notices:
            assert notice.count(RECONNECT_ADVICE) == 1, notice
            assert ".." not in notice
            assert ".)." not in notice
            assert "connection attempts" not in notice.lower()  # the HTTP library's words
