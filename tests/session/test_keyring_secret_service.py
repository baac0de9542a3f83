"""Remember me against a real OS keyring: the Secret Service (gnome-keyring), over D-Bus.

The other store tests use an in-memory keyring; this is what a Linux desktop really runs.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService
from session_harness import DEMO_EMAIL, DEMO_PASSWORD, HarnessFactory, Target

from accountdesk.session import (
    KeyringTokenStore,
    MemoryTokenStore,
    SessionState,
    Settings,
    StoreNotice,
    TokenStoreError,
    choose_token_store,
    pick_token_store,
    probe_keyring,
)
from accountdesk.session.stores import KEYRING_SERVICE
from secret_service import SecretServiceBus, running_secret_service


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretServiceBus]:
    with running_secret_service(tmp_path_factory.mktemp("secret-service")) as bus:
        yield bus


@pytest.fixture
def real_keyring(
    secret_service: SecretServiceBus, monkeypatch: pytest.MonkeyPatch
) -> SecretService.Keyring:
    for name, value in secret_service.environment.items():
        monkeypatch.setenv(name, value)
    backend = SecretService.Keyring()
    keyring.set_keyring(backend)  # the autouse fixture restores the previous backend
    return backend


def test_the_secret_service_is_found_and_chosen(real_keyring: SecretService.Keyring) -> None:
    probe = probe_keyring()
    assert probe.available, probe.reason
    assert "SecretService" in probe.backend
    choice = choose_token_store(Settings(token_store="auto"))
    assert isinstance(choice.store, KeyringTokenStore)
    assert choice.notice is None


async def test_save_resume_rotate_and_forget_a_session(
    real_keyring: SecretService.Keyring, make_harness: HarnessFactory, sandbox: Target
) -> None:
    first = await make_harness(sandbox, KeyringTokenStore())
    await first.manager.login(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
    key = first.manager.environment_key
    raw = real_keyring.get_password(KEYRING_SERVICE, key)
    assert raw is not None
    saved = json.loads(raw)
    assert set(saved) == {"refresh_token", "refresh_expires_at"}
    assert DEMO_PASSWORD not in raw

    second = await make_harness(sandbox, KeyringTokenStore())
    assert await second.manager.resume() is True
    assert second.manager.state is SessionState.LOGGED_IN
    rotated = json.loads(real_keyring.get_password(KEYRING_SERVICE, key) or "{}")
    assert rotated["refresh_token"] != saved["refresh_token"]  # rotated and saved at once

    await second.manager.logout()
    assert real_keyring.get_password(KEYRING_SERVICE, key) is None
    third = await make_harness(sandbox, KeyringTokenStore())
    assert await third.manager.resume() is False


class HungKeyring(KeyringBackend):
    """A keyring whose daemon never answers (a locked collection waiting on a prompt)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(5)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(5)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(5)


@pytest.fixture
def hung_keyring() -> Iterator[HungKeyring]:
    backend = HungKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()  # let the abandoned worker threads finish


async def test_a_hung_keyring_degrades_to_memory_with_a_notice_in_bounded_time(
    hung_keyring: HungKeyring,
) -> None:
    started = time.monotonic()
    choice = await pick_token_store(Settings(token_store="auto"), wait_seconds=0.3)
    assert time.monotonic() - started < 3
    hung_keyring.release.set()
    assert isinstance(choice.store, MemoryTokenStore)
    assert choice.notice is StoreNotice.KEYRING_UNRESPONSIVE


async def test_a_keyring_that_stops_answering_costs_remember_me_not_the_call(
    hung_keyring: HungKeyring,
) -> None:
    store = KeyringTokenStore(timeout=0.2)
    with pytest.raises(TokenStoreError, match="did not answer"):
        await store.load("any-environment")
    hung_keyring.release.set()


def test_no_secret_service_on_the_bus_is_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    keyring.set_keyring(SecretService.Keyring())
    probe = probe_keyring()
    assert not probe.available
