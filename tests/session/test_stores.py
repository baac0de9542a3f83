"""Token stores: memory, OS keyring (test backends) and the opt-in 0600 file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import keyring
import pytest
from session_keyrings import InMemoryKeyring, LockedKeyring

from accountdesk.session import (
    FileTokenStore,
    KeyringTokenStore,
    MemoryTokenStore,
    StoredSession,
    TokenStore,
    TokenStoreError,
)
from accountdesk.session.stores import default_sessions_path

PROD = "https://api.emporix.io|acme"
SANDBOX = "embedded-sandbox|demo"
SESSION = StoredSession(refresh_token="refresh-secret-1", refresh_expires_at=1_900_000_000.5)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_stored_session_repr_hides_the_refresh_token() -> None:
    assert "refresh-secret-1" not in repr(SESSION)
    assert "refresh-secret-1" not in str(SESSION)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {},
        {"refresh_token": "", "refresh_expires_at": 1},
        {"refresh_token": "x"},
        {"refresh_token": "x", "refresh_expires_at": "soon"},
        {"refresh_token": "x", "refresh_expires_at": True},
    ],
)
def test_malformed_entries_read_as_nothing_stored(data: object) -> None:
    assert StoredSession.from_json(data) is None


def test_every_store_satisfies_the_protocol(tmp_path: Path) -> None:
    for store in (MemoryTokenStore(), KeyringTokenStore(), FileTokenStore(tmp_path / "s.json")):
        assert isinstance(store, TokenStore)


async def test_memory_store_round_trip_is_per_key_and_not_remembered() -> None:
    store = MemoryTokenStore()
    assert store.remembers is False
    assert store.kind == "memory"
    await store.save(PROD, SESSION)
    assert await store.load(PROD) == SESSION
    assert await store.load(SANDBOX) is None
    await store.clear(PROD)
    await store.clear(PROD)  # idempotent
    assert await store.load(PROD) is None


async def test_keyring_store_writes_json_under_service_and_environment_key(
    memory_keyring: InMemoryKeyring,
) -> None:
    store = KeyringTokenStore()
    assert store.remembers is True
    await store.save(PROD, SESSION)
    raw = memory_keyring.entries[("accountdesk", PROD)]
    assert json.loads(raw) == {
        "refresh_token": "refresh-secret-1",
        "refresh_expires_at": 1_900_000_000.5,
    }
    assert await store.load(PROD) == SESSION
    assert await store.load(SANDBOX) is None
    await store.clear(PROD)
    assert ("accountdesk", PROD) not in memory_keyring.entries
    await store.clear(PROD)  # nothing stored: no PasswordDeleteError leaks out


async def test_keyring_store_ignores_a_garbled_entry(memory_keyring: InMemoryKeyring) -> None:
    memory_keyring.entries[("accountdesk", PROD)] = "not json"
    assert await KeyringTokenStore().load(PROD) is None


async def test_keyring_store_without_backend_raises_token_store_error() -> None:
    # The autouse fixture installed keyring's fail backend (NoKeyringError on every call).
    store = KeyringTokenStore()
    with pytest.raises(TokenStoreError, match="keyring"):
        await store.load(PROD)
    with pytest.raises(TokenStoreError):
        await store.save(PROD, SESSION)
    with pytest.raises(TokenStoreError):
        await store.clear(PROD)


async def test_locked_keyring_raises_token_store_error() -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(TokenStoreError, match="locked"):
        await KeyringTokenStore().save(PROD, SESSION)


def test_file_store_defaults_to_the_user_state_dir(isolated_user_dirs: Path) -> None:
    expected = isolated_user_dirs / "state" / "accountdesk" / "sessions.json"
    assert default_sessions_path() == expected
    assert FileTokenStore().path == expected


async def test_file_store_writes_a_0600_file_in_a_0700_dir(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "state" / "accountdesk" / "sessions.json")
    await store.save(PROD, SESSION)
    assert _mode(store.path) == 0o600
    assert _mode(store.path.parent) == 0o700
    document = json.loads(store.path.read_text())
    assert document == {
        "version": 1,
        "sessions": {
            PROD: {"refresh_token": "refresh-secret-1", "refresh_expires_at": 1_900_000_000.5}
        },
    }
    assert await FileTokenStore(store.path).load(PROD) == SESSION


async def test_file_store_keeps_one_entry_per_environment(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "sessions.json")
    other = StoredSession("refresh-secret-2", 1_800_000_000.0)
    await store.save(PROD, SESSION)
    await store.save(SANDBOX, other)
    assert await store.load(PROD) == SESSION
    assert await store.load(SANDBOX) == other
    await store.clear(PROD)
    assert await store.load(PROD) is None
    assert await store.load(SANDBOX) == other
    await store.clear(PROD)  # idempotent


async def test_file_store_replaces_a_loose_file_with_a_0600_one(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    path.write_text(json.dumps({"version": 1, "sessions": {}}))
    path.chmod(0o644)
    await FileTokenStore(path).save(PROD, SESSION)
    assert _mode(path) == 0o600


async def test_file_store_tightens_a_loose_file_before_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    await FileTokenStore(path).save(PROD, SESSION)
    path.chmod(0o664)
    assert await FileTokenStore(path).load(PROD) == SESSION
    assert _mode(path) == 0o600


async def test_file_store_treats_a_corrupt_file_as_empty_and_recovers(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    path.write_text("{ not json")
    path.chmod(0o600)
    store = FileTokenStore(path)
    assert await store.load(PROD) is None
    await store.save(PROD, SESSION)
    assert await store.load(PROD) == SESSION


async def test_file_store_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sessions.json"
    store = FileTokenStore(path)
    await store.save(PROD, SESSION)
    before = path.read_bytes()

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(TokenStoreError, match="No space left"):
        await store.save(SANDBOX, StoredSession("refresh-secret-2", 1.0))
    # The old file is untouched and no temp file is left behind.
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["sessions.json"]


async def test_file_store_leaves_no_temp_files(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "sessions.json")
    for index in range(5):
        await store.save(f"env{index}", SESSION)
    assert sorted(os.listdir(tmp_path)) == ["sessions.json"]


async def test_file_store_reports_an_unwritable_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    store = FileTokenStore(blocker / "sessions.json")
    with pytest.raises(TokenStoreError, match=r"sessions\.json"):
        await store.save(PROD, SESSION)
