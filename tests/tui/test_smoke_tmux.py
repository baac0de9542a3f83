"""The installed ``accountdesk`` in a real terminal (tmux): paint, log in, quit, leave nothing."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
ACCOUNTDESK = Path(sys.executable).parent / "accountdesk"

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)"),
    pytest.mark.skipif(
        not ACCOUNTDESK.exists(), reason=f"{ACCOUNTDESK} missing: pip install -e . first"
    ),
]


def tmux(*arguments: str) -> str:
    assert TMUX is not None
    result = subprocess.run(
        [TMUX, *arguments], capture_output=True, text=True, timeout=10, check=True
    )
    return result.stdout


def wait_for(read: Callable[[], str], expected: str, seconds: float = 30.0) -> str:
    deadline = time.monotonic() + seconds
    screen = read()
    while expected not in screen:
        if time.monotonic() > deadline:
            raise AssertionError(f"{expected!r} never appeared; the screen was:\n{screen}")
        time.sleep(0.2)
        screen = read()
    return screen


@pytest.fixture
def tmux_session(tmp_path: Path) -> Iterator[str]:
    name = f"accountdesk-smoke-{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(
        [TMUX or "tmux", "kill-session", "-t", name], capture_output=True, timeout=10, check=False
    )


def start_in_tmux(tmp_path: Path, tmux_session: str, *arguments: str) -> Callable[[], str]:
    """Run the installed app with private user dirs in a 100x30 tmux pane; returns a reader of
    the pane. The pane's shell writes the exit status to ``tmp_path / "exit-status"``."""
    home = tmp_path / "home"
    variables = {
        "XDG_CONFIG_HOME": home / "config",
        "XDG_DATA_HOME": home / "data",
        "XDG_STATE_HOME": home / "state",
        "XDG_CACHE_HOME": home / "cache",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "TERM": "xterm-256color",
    }
    exit_file = tmp_path / "exit-status"
    exports = " ".join(f"{key}={shlex.quote(str(value))}" for key, value in variables.items())
    app = shlex.join([str(ACCOUNTDESK), *arguments])
    command = f"env {exports} {app}; echo EXIT=$? > {shlex.quote(str(exit_file))}; sleep 60"
    tmux("new-session", "-d", "-s", tmux_session, "-x", "100", "-y", "30", command)
    return lambda: tmux("capture-pane", "-t", tmux_session, "-p")


def test_lang_de_paints_the_login_screen_in_german(tmp_path: Path, tmux_session: str) -> None:
    screen = start_in_tmux(tmp_path, tmux_session, "--lang", "de")
    wait_for(screen, "Bei Ihrem Konto anmelden")
    painted = wait_for(screen, "Nicht angemeldet")  # the embedded sandbox answered
    assert "Log in to your account" not in painted


def test_login_and_quit_in_a_real_terminal(tmp_path: Path, tmux_session: str) -> None:
    data = tmp_path / "home" / "data"
    exit_file = tmp_path / "exit-status"
    screen = start_in_tmux(tmp_path, tmux_session)

    wait_for(screen, "Log in to your account")
    wait_for(screen, "Not logged in")  # the embedded sandbox answered
    tmux("send-keys", "-t", tmux_session, "-l", "demo@example.com")
    # Tab moves the focus while the key is handled (Enter does it via a message, which the
    # following keystrokes could overtake when tmux types them all at once).
    tmux("send-keys", "-t", tmux_session, "Tab")
    time.sleep(0.2)
    tmux("send-keys", "-t", tmux_session, "-l", "Demo-Password-42")
    tmux("send-keys", "-t", tmux_session, "Enter")
    account = wait_for(screen, "Ada Lovelace")
    assert "Logged in as demo@example.com" in account
    assert "Demo-Password-42" not in account

    sandbox_db = str(data / "accountdesk" / "sandbox.db")
    assert subprocess.run(["pgrep", "-f", sandbox_db], capture_output=True, check=False).stdout

    tmux("send-keys", "-t", tmux_session, "C-q")
    deadline = time.monotonic() + 20
    while not exit_file.exists():
        assert time.monotonic() < deadline, f"the app did not exit; screen:\n{screen()}"
        time.sleep(0.2)
    assert exit_file.read_text().strip() == "EXIT=0"
    leftover = subprocess.run(["pgrep", "-f", sandbox_db], capture_output=True, check=False)
    assert leftover.returncode == 1, f"sandbox still running: {leftover.stdout!r}"
