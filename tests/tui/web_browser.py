"""`accountdesk web` in Debian's headless Chromium, driven by Playwright: shared by the browser
test and ``scripts/screenshots.py --web``. Callers isolate the config and data dirs first."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = shutil.which("chromium")

# Headless, and talking to nothing but the server under test: no GPU, no QUIC, no updates,
# no sync, no first-run pages.
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
# the terminal where we can read its buffer through xterm's public API.
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
    reader: threading.Thread
    output: list[str]

    def printed(self) -> str:
        """Everything the server printed after its first line; call once it has exited."""
        assert self.process.poll() is not None, "the server is still running"
        self.reader.join(timeout=SERVER_TIMEOUT)
        return "".join(self.output)


@contextmanager
def web_server(*app_options: str) -> Iterator[WebServer]:
    """``accountdesk web --port 0`` with ``app_options``; stopped with SIGTERM on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "accountdesk", "web", "--port", "0", *app_options],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    stdout = process.stdout
    first_line = stdout.readline()
    output: list[str] = []
    # Keep reading, or a full pipe would stall the server.
    reader = threading.Thread(target=lambda: output.extend(stdout), daemon=True)
    reader.start()
    server = WebServer("", process, reader, output)
    try:
        match = re.search(r"served at (http://127\.0\.0\.1:\d+/)", first_line)
        assert match, f"unexpected first line: {first_line!r}"
        server.url = match.group(1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=SERVER_TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            reader.join(timeout=SERVER_TIMEOUT)
            stdout.close()


@contextmanager
def browser_page(server: WebServer, profile: Path, width: int, height: int) -> Iterator[Page]:
    """A page in a fresh Chromium profile that may reach ``server`` and nothing else."""
    assert CHROMIUM is not None, "Debian's chromium is not installed"
    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(BROWSER_TIMEOUT_MS)
            # The page asks a web font service for its font; offline, that must fail at once.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(server.url) else route.abort()
                ),
            )
            page.add_init_script(CATCH_TERMINAL)
            yield page
        finally:
            context.close()


def screen_text(page: Page) -> str:
    text: str | None = page.evaluate(SCREEN_TEXT)
    assert text is not None, "textual-serve's page no longer creates its terminal as expected"
    return text


def wait_for_text(page: Page, *texts: str) -> str:
    """Wait until the terminal shows every one of ``texts`` at once; returns the screen."""
    page.wait_for_function(
        f"""texts => {{
          const screen = ({SCREEN_TEXT})();
          return screen !== null && texts.every(text => screen.includes(text));
        }}""",
        arg=list(texts),
    )
    return screen_text(page)


def log_in_by_keyboard(page: Page, server: WebServer, email: str, password: str) -> str:
    """Open the app, log in typing only, wait for the account overview; returns its text."""
    page.goto(server.url)
    wait_for_text(page, "Log in to your account", "Not logged in")  # the sandbox answered
    # The keys go to xterm's input element, where a click into the page would put the focus.
    page.focus("textarea.xterm-helper-textarea")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    return wait_for_text(page, f"Logged in as {email}", "Your account", "Ada Lovelace")
