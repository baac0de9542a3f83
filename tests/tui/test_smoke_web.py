"""``accountdesk web --kiosk`` in a real headless Chromium: the page loads, the demo customer
logs in by keyboard, the account overview appears; stopping the server leaves no process."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD
from playwright.sync_api import Page, sync_playwright

CHROMIUM = shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (CI installs it)"
)

# Debian's browser, headless, talking to nothing but the test's server.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# textual-serve's page keeps its xterm.js terminal in a closure and draws it on a canvas, so
# there is no text in the DOM. Its wrapper object sets ``this.terminal = new Terminal(…)``;
# this setter, installed before the page's script runs, catches that one assignment and keeps
# the terminal where the test can read its buffer through xterm's public API.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true});
    if (value && value.buffer) { window.__terminal = value; }
  },
});
"""

SCREEN_TEXT = """() => {
  const terminal = window.__terminal;
  if (!terminal) { return null; }
  const buffer = terminal.buffer.active;
  const lines = [];
  for (let y = 0; y < terminal.rows; y++) {
    lines.push(buffer.getLine(buffer.viewportY + y).translateToString(true));
  }
  return lines.join("\\n");
}"""

SERVER_TIMEOUT = 60
BROWSER_TIMEOUT_MS = 60_000


@dataclass
class WebServer:
    url: str
    process: subprocess.Popen[str]
    data_dir: Path


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


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent's wait is missing.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split(") ")[-1][:1] != "Z"


@pytest.fixture
def web_server(isolated_user_dirs: Path) -> Iterator[WebServer]:
    """``accountdesk web --kiosk --port 0`` with its own config and data dirs (the fixture's)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "accountdesk", "web", "--kiosk", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        match = re.search(r"served at (http://127\.0\.0\.1:\d+/)", first_line)
        assert match, f"unexpected first line: {first_line!r}"
        yield WebServer(match.group(1), process, isolated_user_dirs / "data" / "accountdesk")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=SERVER_TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            assert process.stdout is not None
            process.stdout.close()


@pytest.fixture
def page(tmp_path: Path, web_server: WebServer) -> Iterator[Page]:
    with sync_playwright() as driver:
        browser = driver.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport={"width": 1100, "height": 720},
        )
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.set_default_timeout(BROWSER_TIMEOUT_MS)
            # The page asks a web font service for its font; offline, that must fail at once.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(web_server.url)
                    else route.abort()
                ),
            )
            page.add_init_script(CATCH_TERMINAL)
            yield page
        finally:
            browser.close()


def wait_for_text(page: Page, *texts: str) -> str:
    """Wait until the terminal shows every one of ``texts`` at once; returns the screen."""
    page.wait_for_function(
        f"""texts => {{
          const screen = ({SCREEN_TEXT})();
          return screen !== null && texts.every(text => screen.includes(text));
        }}""",
        arg=list(texts),
    )
    screen: str = page.evaluate(SCREEN_TEXT)
    return screen


def test_demo_customer_logs_in_through_a_browser(web_server: WebServer, page: Page) -> None:
    page.goto(web_server.url)
    wait_for_text(page, "Log in to your account")
    wait_for_text(page, "Not logged in")  # the embedded sandbox answered

    # Keyboard only: focus goes to xterm's input, as a click into the page would put it.
    page.focus("textarea.xterm-helper-textarea")
    page.keyboard.type(DEMO_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    account = wait_for_text(page, "Ada Lovelace", f"Logged in as {DEMO_EMAIL}", "Your account")
    assert DEMO_PASSWORD not in account

    apps = descendants(web_server.process.pid)
    sandbox_db = str(web_server.data_dir / "sandbox.db")
    running = subprocess.run(["pgrep", "-f", sandbox_db], capture_output=True, check=False)
    assert running.returncode == 0, "the app in the browser runs no embedded sandbox"

    web_server.process.send_signal(signal.SIGTERM)
    assert web_server.process.wait(timeout=SERVER_TIMEOUT) == 0
    leftover = subprocess.run(["pgrep", "-f", sandbox_db], capture_output=True, check=False)
    assert leftover.returncode == 1, f"sandbox still running: {leftover.stdout!r}"
    assert not [pid for pid in apps if alive(pid)], "an app process outlived the server"


def test_other_sites_cannot_open_the_app_websocket(web_server: WebServer) -> None:
    handshake = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Origin": "http://attacker.example",
    }
    response = httpx.get(f"{web_server.url}ws", headers=handshake, timeout=10)
    assert response.status_code == 403
    assert not descendants(web_server.process.pid), "a foreign page started an app"
