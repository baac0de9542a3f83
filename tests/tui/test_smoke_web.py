"""``accountdesk web --kiosk`` in a real headless Chromium: the page loads, the demo customer
logs in by keyboard, the account overview appears; stopping the server leaves no process."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD
from playwright.sync_api import Page
from web_browser import (
    CHROMIUM,
    SERVER_TIMEOUT,
    WebServer,
    browser_page,
    log_in_by_keyboard,
    web_server,
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (CI installs it)"
)


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (the apps textual-serve started, and their sandboxes)."""
    found: set[int] = set()
    pending = [pid]
    while pending:
        result = subprocess.run(
            ["pgrep", "-P", str(pending.pop())], capture_output=True, text=True, check=False
        )
        children = {int(child) for child in result.stdout.split()}
        pending.extend(children - found)
        found |= children
    return found


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent's wait is missing.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split(") ")[-1][:1] != "Z"


@pytest.fixture
def kiosk_server(isolated_user_dirs: Path) -> Iterator[WebServer]:
    """``accountdesk web --kiosk``, with the config and data dirs of ``isolated_user_dirs``."""
    with web_server("--kiosk") as server:
        yield server


@pytest.fixture
def page(tmp_path: Path, kiosk_server: WebServer) -> Iterator[Page]:
    with browser_page(kiosk_server, tmp_path / "chromium-profile", 1100, 720) as page:
        yield page


def test_demo_customer_logs_in_through_a_browser(
    kiosk_server: WebServer, page: Page, isolated_user_dirs: Path
) -> None:
    account = log_in_by_keyboard(page, kiosk_server, DEMO_EMAIL, DEMO_PASSWORD)
    assert "Ada Lovelace" in account
    assert DEMO_PASSWORD not in account

    apps = descendants(kiosk_server.process.pid)
    sandboxes = [pid for pid in apps if b"sandbox\x00serve" in command_line(pid)]
    assert sandboxes, "the app in the browser runs no embedded sandbox"
    # A kiosk's embedded sandbox keeps customers and mail in memory.
    assert not (isolated_user_dirs / "data" / "accountdesk" / "sandbox.db").exists()

    kiosk_server.process.send_signal(signal.SIGTERM)
    assert kiosk_server.process.wait(timeout=SERVER_TIMEOUT) == 0
    assert not [pid for pid in apps if alive(pid)], "an app process outlived the server"
    assert DEMO_PASSWORD not in kiosk_server.printed()
