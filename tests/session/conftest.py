"""Keep session tests away from the developer's real config, state dir and OS keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from session_harness import make_harness_fixture
from session_keyrings import InMemoryKeyring
from session_sandbox import RunningSandbox, serve_short_lived_sandbox


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for variable, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    for name in list(os.environ):
        if name.startswith("ACCOUNTDESK_"):
            monkeypatch.delenv(name)
    return home


@pytest.fixture(autouse=True)
def failing_keyring() -> Iterator[None]:
    """Default to "no keyring" so a developer's real keyring never sees test data."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> InMemoryKeyring:
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)  # the autouse fixture restores the previous backend
    return backend


@pytest.fixture(scope="session")
def short_sandbox() -> Iterator[RunningSandbox]:
    with serve_short_lived_sandbox() as running:
        yield running


make_harness = pytest.fixture(make_harness_fixture, name="make_harness")
