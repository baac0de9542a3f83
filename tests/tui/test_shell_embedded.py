"""The embedded sandbox: started by the app, reachable, and never left behind."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD, wait_mode, wait_ready, wait_until
from textual.widgets import Label

from accountdesk.api import TransportError
from accountdesk.session import BackendNotReadyError, Environment, Settings
from accountdesk.tui import embedded_sandbox
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.embedded_sandbox import EmbeddedSandbox, SandboxStartError
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.widgets.status import SessionStatus

MakeApp = Callable[..., AccountDeskApp]
EMBEDDED = Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront")


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def wait_gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while process_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


async def test_app_starts_the_embedded_sandbox_and_stops_it_on_exit(
    make_app: MakeApp, isolated_user_dirs: Path
) -> None:
    app = make_app(environment=EMBEDDED)
    async with app.run_test(size=(110, 34)) as pilot:
        # The login screen is up before the sandbox answers.
        assert app.backend_state == "connecting"
        status = app.screen.query_one(SessionStatus)
        assert "connecting" in str(status.query_one("#status-customer").render())
        await wait_ready(pilot, app)
        pid = app.sandbox_pid
        assert pid is not None
        assert process_alive(pid)
        assert app.base_url is not None
        assert app.base_url.startswith("http://127.0.0.1:")
        assert (isolated_user_dirs / "data" / "accountdesk" / "sandbox.db").exists()
        assert str(status.query_one("#status-environment").render()) == "Sandbox · demo"

        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        await wait_mode(pilot, app, "account")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_a_sandbox_that_fails_to_start_shows_its_stderr(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = "import sys; sys.stderr.write('sandbox exploded: port on fire\\n'); sys.exit(3)"
    monkeypatch.setattr(
        embedded_sandbox, "sandbox_command", lambda *_a, **_k: [sys.executable, "-c", crash]
    )
    app = make_app(environment=EMBEDDED)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the error")
        dialog = app.screen
        assert "exit code 3" in str(dialog.query_one("#confirm-question", Label).render())
        assert "port on fire" in str(dialog.query_one("#confirm-detail", Label).render())
        assert app.backend_state == "failed"
        with pytest.raises(BackendNotReadyError):
            _ = app.session
        await pilot.pause()
        await pilot.click("#confirm-no")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.check_action("reconnect", ()) is True


async def test_a_silent_sandbox_times_out_and_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        embedded_sandbox,
        "sandbox_command",
        lambda *_a, **_k: [sys.executable, "-c", "import time; time.sleep(60)"],
    )
    sandbox = EmbeddedSandbox(tmp_path, startup_timeout=1.0)
    with pytest.raises(SandboxStartError, match="did not start within 1 seconds"):
        await sandbox.start()
    assert sandbox.pid is None


def test_the_sandbox_dies_with_an_app_killed_by_sigkill(tmp_path: Path) -> None:
    # A stand-in for the app: starts the embedded sandbox, reports its pid, then hangs.
    script = textwrap.dedent(
        f"""
        import asyncio, pathlib
        from accountdesk.tui.embedded_sandbox import EmbeddedSandbox

        async def main():
            sandbox = EmbeddedSandbox(pathlib.Path({str(tmp_path)!r}))
            await sandbox.start()
            print(sandbox.pid, flush=True)
            await asyncio.sleep(120)

        asyncio.run(main())
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        sandbox_pid = int(parent.stdout.readline())
        assert process_alive(sandbox_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert wait_gone(sandbox_pid), "the sandbox outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()


async def test_stop_is_idempotent(tmp_path: Path) -> None:
    sandbox = EmbeddedSandbox(tmp_path)
    await sandbox.stop()
    base_url = await sandbox.start()
    assert base_url.startswith("http://127.0.0.1:")
    pid = sandbox.pid
    assert pid is not None
    await sandbox.stop()
    await sandbox.stop()
    await asyncio.sleep(0)
    assert not process_alive(pid)


async def test_f5_restarts_a_crashed_sandbox(make_app: MakeApp) -> None:
    app = make_app(environment=EMBEDDED)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        first_pid = app.sandbox_pid
        assert first_pid is not None
        os.kill(first_pid, signal.SIGKILL)
        assert wait_gone(first_pid)

        # The next request finds nobody home: the status line says so, the app carries on.
        with pytest.raises(TransportError):
            await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        await pilot.pause()
        assert app.backend_state == "failed"
        assert app.check_action("reconnect", ()) is True

        await pilot.press("f5")
        await wait_ready(pilot, app)
        assert app.sandbox_pid not in (None, first_pid)
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        await wait_mode(pilot, app, "account")


async def test_an_unexpected_connect_failure_is_reported_not_hidden(
    sandbox_environment: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_store_choice(_settings: object) -> object:
        raise RuntimeError("keyring daemon on strike")

    monkeypatch.setattr("accountdesk.tui.app.choose_token_store", broken_store_choice)
    # No token store given: the app chooses one, and that is what fails here.
    app = AccountDeskApp(Settings(), sandbox_environment)
    notices: list[str] = []
    original_notify = app.notify

    def record(message: str, **options: Any) -> None:
        notices.append(message)
        original_notify(message, **options)

    monkeypatch.setattr(app, "notify", record)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.backend_state == "failed", what="the failure")
        # Named by its kind (its text may hold anything), with the one advice that helps.
        assert any("RuntimeError" in n and "Press F5" in n for n in notices), notices
        assert app.check_action("reconnect", ()) is True
