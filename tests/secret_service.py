"""A real Secret Service (gnome-keyring on a private D-Bus session bus) for the keyring tests.

Nothing touches the developer's own keyring: the daemon gets its own bus, HOME and runtime
directory under a temporary folder, an unlocked "login" collection, and is stopped afterwards.
CI installs gnome-keyring (`.ci/run`), so there a missing daemon fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

UNLOCK_PASSWORD = "secret-service-test-password"  # unlocks the throwaway collection only


@dataclass(frozen=True)
class SecretServiceBus:
    """What a process needs in its environment to reach the test Secret Service."""

    environment: dict[str, str]


def _missing() -> str | None:
    for program in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(program) is None:
            return program
    return None


@contextmanager
def running_secret_service(root: Path) -> Iterator[SecretServiceBus]:
    missing = _missing()
    if missing is not None:
        message = f"{missing} is not installed (Debian: apt-get install dbus gnome-keyring)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    runtime = root / "run"
    runtime.mkdir(mode=0o700)
    environment = {
        "HOME": str(root),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "PATH": os.environ.get("PATH", ""),
    }
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        env=environment,
        text=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    environment["DBUS_SESSION_BUS_ADDRESS"] = address
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        text=True,
    )
    assert daemon.stdin is not None
    daemon.stdin.write(UNLOCK_PASSWORD)
    daemon.stdin.close()
    try:
        _wait_for_service(environment)
        yield SecretServiceBus(environment={"DBUS_SESSION_BUS_ADDRESS": address})
    finally:
        for process in (daemon, bus):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for_service(environment: dict[str, str]) -> None:
    """Until the daemon owns org.freedesktop.secrets on the bus (it starts in milliseconds)."""
    deadline = time.monotonic() + 15
    while True:
        probe = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if "boolean true" in probe.stdout:
            return
        if time.monotonic() > deadline:
            raise RuntimeError("gnome-keyring-daemon did not register the Secret Service")
        time.sleep(0.05)
