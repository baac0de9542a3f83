"""For demos: the API log as curl (f6) and as a HAR file (f7), and screenshots (f8), against the
real sandbox; none of them may carry a password or a token of the session they show."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    create_active_customer,
    environment_for,
    log_in,
    record_notifications,
    settle,
    unique_email,
    wait_ready,
    wait_until,
)
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from accountdesk.api.har import as_curl
from accountdesk.session import Settings
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.export import CopiedTextScreen, SaveFolderScreen
from accountdesk.tui.widgets.api_log import ApiLogPanel
from accountdesk.tui.wording import (
    API_LOG_EMPTY,
    NO_REQUEST_SELECTED,
    NO_SUCH_FOLDER,
    SCREENSHOT_REFUSED,
    saved_to,
)

MakeApp = Callable[..., AccountDeskApp]
NEW_PASSWORD = "Demo-Export-Password-88"
SIZE = (120, 40)


async def save_into(pilot: Pilot[Any], folder: Path, said: list[str], suffix: str) -> Path:
    """Answer the folder prompt with ``folder`` and wait for the "saved" notice."""
    app = pilot.app
    assert isinstance(app.screen, SaveFolderScreen)
    saved = folder / app.screen.file_name
    assert saved.suffix == f".{suffix}"
    app.screen.query_one("#save-folder", Input).value = str(folder)
    await pilot.press("enter")
    await wait_until(pilot, lambda: any(line.startswith("Saved to") for line in said))
    assert said[-1] == saved_to(saved)
    return saved


async def test_curl_and_har_of_a_logged_in_session_hold_no_secret(
    make_app: MakeApp, fresh_tenant: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = unique_email("demo-export")
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant), settings=Settings(export_dir=tmp_path))
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f7")  # the log is hidden: its keys are off
        await pilot.pause()
        assert not isinstance(app.screen, SaveFolderScreen)
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        secrets = set(app.session.live_secrets())
        await app.account.change_password(CUSTOMER_PASSWORD, NEW_PASSWORD)
        await app.account.load_profile()
        secrets |= set(app.session.live_secrets()) | {CUSTOMER_PASSWORD, NEW_PASSWORD}
        assert len(secrets) >= 6  # anonymous, customer (before and after), saas, passwords

        await pilot.press("f2")
        await settle(pilot)
        panel = app.screen.query_one(ApiLogPanel)
        table = panel.query_one(DataTable)
        paths = [str(table.get_row_at(row)[3]) for row in range(table.row_count)]
        table.move_cursor(row=paths.index(f"/customer/{fresh_tenant.tenant}/login"))
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, CopiedTextScreen)
        shown = app.screen.query_one("#copied-text", TextArea).text
        assert shown == app.clipboard == as_curl(panel.selected)  # type: ignore[arg-type]
        assert shown.startswith("curl -X POST http://")
        assert '"password": "***"' in shown
        await pilot.press("escape")
        await pilot.pause()

        # The password change request, copied too: both passwords are placeholders.
        table.move_cursor(row=paths.index(f"/customer/{fresh_tenant.tenant}/password/change"))
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        change = app.screen.query_one("#copied-text", TextArea).text
        await pilot.press("escape")

        logged_before = len(app.api_log)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, SaveFolderScreen)
        assert app.screen.query_one("#save-folder", Input).value == str(tmp_path)
        har_file = await save_into(pilot, tmp_path, said, "har")
        logged = [event.origin + event.path for event in app.api_log]

    har = har_file.read_text(encoding="utf-8")
    document = json.loads(har)
    assert document["log"]["version"] == "1.2"
    assert document["log"]["creator"]["name"] == "Account Desk"
    # The log as it was at f7 (the app may have sent a request meanwhile).
    urls = [entry["request"]["url"] for entry in document["log"]["entries"]]
    assert len(urls) >= logged_before
    assert urls == logged[: len(urls)]
    for text in (shown, change, har):
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == []


async def test_copy_needs_a_selected_request_and_har_a_request(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f2", "f4")  # shown, and emptied
        await pilot.pause()
        await pilot.press("f6", "f7")
        await pilot.pause()
        assert said == [NO_REQUEST_SELECTED, API_LOG_EMPTY]
        assert not isinstance(app.screen, CopiedTextScreen | SaveFolderScreen)


async def test_screenshot_saves_the_screen_into_the_folder_chosen(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured, chosen = tmp_path / "configured", tmp_path / "chosen"
    configured.mkdir()
    chosen.mkdir()
    app = make_app(settings=Settings(export_dir=configured))
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await pilot.press(*"ada@example.com", "tab", *CUSTOMER_PASSWORD)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, SaveFolderScreen)
        folder = app.screen.query_one("#save-folder", Input)
        assert folder.value == str(configured)

        # A folder that does not exist is refused in place, before anything is written.
        folder.value = str(tmp_path / "missing")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveFolderScreen)
        assert app.screen.query_one("#save-folder-field").error == NO_SUCH_FOLDER

        picture = await save_into(pilot, chosen, said, "svg")
        # The picture is of the login screen, not of the prompt that asked where to save it.
        svg = picture.read_text(encoding="utf-8")
        assert "Log&#160;in&#160;to&#160;your&#160;account" in svg
        assert "Folder" not in svg

        # The next prompt offers the folder chosen last.
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen.query_one("#save-folder", Input).value == str(chosen)
        await pilot.press("escape")
        await pilot.pause()

        # With the password shown (ctrl+o), no picture is taken.
        app.screen.query_one("#login-password", Input).focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert not isinstance(app.screen, SaveFolderScreen)
        assert said[-1] == SCREENSHOT_REFUSED
    assert list(chosen.glob("*.svg")) == [picture]
    assert CUSTOMER_PASSWORD not in svg


async def test_textual_screenshot_command_goes_through_the_scan(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles  # listed once, as our bound action
        await pilot.press(*"ada@example.com", "tab", *CUSTOMER_PASSWORD, "ctrl+o")
        await pilot.pause()
        app.action_screenshot()
        await pilot.pause()
        assert said[-1] == SCREENSHOT_REFUSED
