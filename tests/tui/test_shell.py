"""The shell end to end against the real sandbox: header, API log, theme, logout, expiry, resume."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    advance_sandbox_clock,
    create_active_customer,
    environment_for,
    log_in,
    settle,
    wait_mode,
    wait_ready,
    wait_until,
)
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowKey

from accountdesk.api import CustomerApiClient, TokenError
from accountdesk.session import FileTokenStore, MemoryTokenStore, SessionExpiredError, Settings
from accountdesk.tui.app import SESSION_EXPIRED_REASON, AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.widgets.api_log import ApiLogPanel
from accountdesk.tui.widgets.status import SessionStatus

MakeApp = Callable[..., AccountDeskApp]


def status_text(app: AccountDeskApp) -> tuple[str, str]:
    status = app.screen.query_one(SessionStatus)
    environment = status.query_one("#status-environment", Static)
    customer = status.query_one("#status-customer", Static)
    return str(environment.render()), str(customer.render())


async def test_app_paints_login_and_connects(make_app: MakeApp, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await wait_ready(pilot, app)
        environment, customer = status_text(app)
        host = sandbox.base_url.split("://", 1)[1]
        # A sandbox at a loopback URL is recognised (and offers the mailbox).
        assert environment == f"Sandbox · demo @ {host}"
        assert app.is_sandbox
        assert customer == "Not logged in"
        assert app.session.state.name == "ANONYMOUS"


async def test_header_shows_who_is_logged_in(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await log_in(pilot, app, DEMO_EMAIL, DEMO_PASSWORD)
        assert isinstance(app.screen, AccountScreen)
        assert status_text(app)[1] == f"Logged in as {DEMO_EMAIL}"


async def test_account_screen_shows_profile_and_default_address(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await log_in(pilot, app, DEMO_EMAIL, DEMO_PASSWORD)
        screen = app.screen
        assert isinstance(screen, AccountScreen)

        def shown(widget_id: str) -> str:
            return str(screen.query_one(widget_id, Static).render())

        await wait_until(pilot, lambda: shown("#account-name") != "…", what="the profile")
        assert "Ada Lovelace" in shown("#account-name")
        assert shown("#account-email") == DEMO_EMAIL
        assert shown("#account-number").strip() not in ("", "—", "…")
        assert "St James" in shown("#account-address")
        requests_before = len(app.api_log)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        assert any(
            event.path.endswith("/me?expand=addresses") for event in app.api_log[requests_before:]
        )


async def test_f2_toggles_the_api_log_with_redacted_bodies(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        panel = app.screen.query_one(ApiLogPanel)
        assert not panel.display
        await pilot.press("f2")
        assert panel.display
        assert app.show_api_log
        await log_in(pilot, app, DEMO_EMAIL, DEMO_PASSWORD)

        login_calls = [e for e in app.api_log if e.method == "POST" and e.path.endswith("/login")]
        assert len(login_calls) == 1
        assert login_calls[0].status == 200
        assert DEMO_EMAIL in (login_calls[0].request_body or "")
        for event in app.api_log:
            for body in (event.request_body, event.response_body, event.path):
                assert DEMO_PASSWORD not in (body or "")

        # The account screen has its own panel, open because the toggle is app-wide.
        account_panel = app.screen.query_one(ApiLogPanel)
        assert account_panel.display
        table = account_panel.query_one(DataTable)
        assert table.row_count == len(app.api_log)
        paths = [str(table.get_row_at(row)[3]) for row in range(table.row_count)]
        assert "/customer/demo/login" in paths
        table.move_cursor(row=paths.index("/customer/demo/login"))
        await pilot.pause()
        assert account_panel.selected is login_calls[0]
        screenshot = app.export_screenshot()
        assert DEMO_EMAIL in screenshot  # the request body is on screen…
        assert DEMO_PASSWORD not in screenshot  # …with the password masked

        await pilot.press("f2")
        assert not account_panel.display


async def test_theme_toggle_switches_light_and_dark(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        assert not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"
        app.theme = "ansi-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "ansi-light"


async def test_keymap_from_settings_rebinds_keys_by_binding_id(make_app: MakeApp) -> None:
    app = make_app(settings=Settings(keymap={"toggle-api-log": "f12"}))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f2")
        await pilot.pause()
        assert not app.show_api_log
        await pilot.press("f12")
        await wait_until(pilot, lambda: app.show_api_log, what="f12 to open the API log")


async def test_command_palette_runs_screen_and_app_actions(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"API log")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.show_api_log, what="the palette to toggle the log")


async def test_logout_asks_then_kills_the_server_token(make_app: MakeApp, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await log_in(pilot, app, DEMO_EMAIL, DEMO_PASSWORD)
        access_token = await app.session.with_customer(_echo)

        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        assert app.session.state.name == "LOGGED_IN"

        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await wait_mode(pilot, app, "auth")
        assert isinstance(app.screen, LoginScreen)
        assert app.session.state.name == "ANONYMOUS"
        assert status_text(app)[1] == "Not logged in"
        # Logged out, the action is gone from the footer and the palette.
        assert app.check_action("logout", ()) is False

    async with CustomerApiClient(sandbox.base_url, sandbox.tenant, sandbox.client_id) as client:
        with pytest.raises(TokenError):
            await client.validate_token(access_token)


class DraftScreen(AccountDeskScreen):
    """A screen with unsaved input and an action that needs the customer session."""

    BINDINGS = [Binding("ctrl+g", "load", "Load", id="draft-load")]

    def compose_body(self) -> ComposeResult:
        yield Input(id="draft")

    def action_load(self) -> None:
        self.load()

    @work(exit_on_error=False)
    async def load(self) -> None:
        account = self.app.account  # type: ignore[attr-defined]
        # The app reacts to the expiry; this screen only has to survive it.
        with contextlib.suppress(SessionExpiredError):
            await account.load_profile()


async def test_session_expiry_pushes_login_and_keeps_unsaved_input(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = f"expiry-{uuid.uuid4().hex[:6]}@example.com"
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment=environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        draft = DraftScreen()
        await app.push_screen(draft)
        draft.query_one("#draft", Input).value = "half-written note"

        # Beyond the customer access token (30 days) and its refresh token (1 day).
        await advance_sandbox_clock(fresh_tenant.base_url, 2_592_000 + 86_400 + 60)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), what="re-login")

        login = app.screen
        assert isinstance(login, LoginScreen)
        assert login.reason == SESSION_EXPIRED_REASON
        assert SESSION_EXPIRED_REASON in str(login.query_one("#login-reason", Static).render())
        assert app.screen_stack[-2] is draft
        assert draft.query_one("#draft", Input).value == "half-written note"

        login.query_one("#login-email", Input).value = email
        login.query_one("#login-password", Input).value = CUSTOMER_PASSWORD
        login.query_one("#login-password", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is draft, what="back to the draft")
        assert draft.query_one("#draft", Input).value == "half-written note"
        assert app.current_mode == "account"
        assert app.session.state.name == "LOGGED_IN"


async def test_remembered_session_resumes_in_a_new_app(
    make_app: MakeApp, tmp_path: Path, sandbox: Any
) -> None:
    store = FileTokenStore(tmp_path / "sessions.json")
    first = make_app(token_store=store)
    async with first.run_test() as pilot:
        await wait_ready(pilot, first)
        await first.session.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
        await wait_mode(pilot, first, "account")
    assert DEMO_PASSWORD not in (tmp_path / "sessions.json").read_text()

    second = make_app(token_store=FileTokenStore(tmp_path / "sessions.json"))
    async with second.run_test(size=(110, 34)) as pilot:
        await wait_mode(pilot, second, "account")
        assert isinstance(second.screen, AccountScreen)
        assert second.customer_email == DEMO_EMAIL
        # No login call: the refresh token did it.
        assert not any(e.path.endswith("/login") and e.method == "POST" for e in second.api_log)


async def test_a_session_not_remembered_does_not_resume(make_app: MakeApp) -> None:
    store = MemoryTokenStore()
    first = make_app(token_store=store)
    async with first.run_test() as pilot:
        await log_in(pilot, first, DEMO_EMAIL, DEMO_PASSWORD)
    second = make_app(token_store=store)
    async with second.run_test() as pilot:
        await wait_ready(pilot, second)
        assert second.current_mode == "auth"


async def _echo(token: str) -> str:
    return token


async def test_closing_the_expiry_login_without_logging_in_returns_to_auth(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = f"giveup-{uuid.uuid4().hex[:6]}@example.com"
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment=environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        await advance_sandbox_clock(fresh_tenant.base_url, 2_592_000 + 86_400 + 60)
        await pilot.press("r")  # the account screen reloads the profile
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), what="re-login")
        assert app.screen_stack[-2].__class__ is AccountScreen
        app.screen.dismiss()
        await wait_mode(pilot, app, "auth")
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.reason is None
        assert len(app.screen_stack) == 1


async def test_f4_clears_the_api_log(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        assert app.check_action("clear_api_log", ()) is False  # only with the log open
        await pilot.press("f2")
        table = app.screen.query_one(ApiLogPanel).query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count >= 1, what="the anonymous login row")
        await pilot.press("f4")
        await pilot.pause()
        assert app.api_log == []
        assert table.row_count == 0
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        await wait_mode(pilot, app, "account")
        paths = [event.path for event in app.api_log]
        assert paths[0] == "/customer/demo/login"


async def test_a_highlight_queued_before_the_log_was_cleared_is_ignored(
    make_app: MakeApp,
) -> None:
    """Found by a kiosk test: the wipe empties the API log while the table's RowHighlighted
    for a row of the old log is still queued; reading that row killed the app."""
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f2")
        panel = app.screen.query_one(ApiLogPanel)
        table = panel.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count >= 1, what="the anonymous login row")
        stale = DataTable.RowHighlighted(table, 0, RowKey("0"))
        app.action_clear_api_log()
        await pilot.pause()
        assert app.api_log == []
        table.post_message(stale)
        await settle(pilot)
        assert app.is_running
        assert panel.selected is None


async def test_a_wrong_client_id_is_explained(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accountdesk.session import Environment, Settings

    wrong = Environment(
        name="typo", base_url=sandbox.base_url, tenant=sandbox.tenant, client_id="no-such-client"
    )
    app = AccountDeskApp(Settings(), wrong, token_store=MemoryTokenStore())
    notices: list[str] = []
    original_notify = app.notify

    def record(message: str, **options: Any) -> None:
        notices.append(message)
        original_notify(message, **options)

    monkeypatch.setattr(app, "notify", record)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: bool(notices), what="the explanation")
        assert "no-such-client" in notices[0]
        assert isinstance(app.screen, LoginScreen)
