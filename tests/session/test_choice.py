"""Choosing the token store: the keyring probe and the "remember me unavailable" notice."""

from __future__ import annotations

import asyncio

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null
from session_keyrings import InMemoryKeyring, PlaintextKeyring

from accountdesk.session import (
    FileTokenStore,
    KeyringTokenStore,
    MemoryTokenStore,
    Settings,
    StoreNotice,
    choose_token_store,
    probe_keyring,
)


def _settings(**values: object) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]


def _assert_memory_with_file_store_hint(settings: Settings) -> None:
    choice = choose_token_store(settings)
    assert isinstance(choice.store, MemoryTokenStore)
    assert choice.store.remembers is False
    assert choice.notice is StoreNotice.NO_KEYRING


def test_fail_backend_is_unavailable_and_falls_back_to_memory() -> None:
    keyring.set_keyring(fail.Keyring())
    probe = probe_keyring()
    assert probe.available is False
    assert probe.backend == "keyring.backends.fail.Keyring"
    _assert_memory_with_file_store_hint(_settings())


def test_null_backend_is_unavailable() -> None:
    keyring.set_keyring(null.Keyring())
    assert probe_keyring().available is False
    _assert_memory_with_file_store_hint(_settings())


def test_plaintext_backend_is_unavailable() -> None:
    keyring.set_keyring(PlaintextKeyring())
    assert probe_keyring().available is False
    _assert_memory_with_file_store_hint(_settings())


def test_chainer_without_real_backends_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [fail.Keyring()])
    keyring.set_keyring(chainer.ChainerBackend())
    assert probe_keyring().available is False
    _assert_memory_with_file_store_hint(_settings())


def test_chainer_with_a_real_backend_is_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        keyring.backend, "get_all_keyring", lambda: [fail.Keyring(), InMemoryKeyring()]
    )
    keyring.set_keyring(chainer.ChainerBackend())
    assert probe_keyring().available is True


def test_a_broken_keyring_setup_only_costs_remember_me(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode() -> None:
        raise RuntimeError("bad keyringrc.cfg")

    monkeypatch.setattr(keyring, "get_keyring", explode)
    probe = probe_keyring()
    assert probe.available is False
    assert probe.reason is not None
    assert "bad keyringrc.cfg" in probe.reason
    _assert_memory_with_file_store_hint(_settings())


def test_real_keyring_is_chosen_in_auto_mode(memory_keyring: InMemoryKeyring) -> None:
    choice = choose_token_store(_settings())
    assert isinstance(choice.store, KeyringTokenStore)
    assert choice.store.remembers is True
    assert choice.notice is None


def test_explicit_keyring_without_backend_falls_back_with_notice() -> None:
    _assert_memory_with_file_store_hint(_settings(token_store="keyring"))


def test_explicit_file_store_is_used_even_with_a_keyring(memory_keyring: InMemoryKeyring) -> None:
    choice = choose_token_store(_settings(token_store="file"))
    assert isinstance(choice.store, FileTokenStore)
    assert choice.notice is None


def test_explicit_memory_store_says_why_remember_me_is_off(
    memory_keyring: InMemoryKeyring,
) -> None:
    choice = choose_token_store(_settings(token_store="memory"))
    assert isinstance(choice.store, MemoryTokenStore)
    assert choice.notice is StoreNotice.MEMORY_CONFIGURED


@pytest.mark.parametrize("token_store", ["auto", "keyring", "file", "memory"])
def test_kiosk_mode_forces_memory(memory_keyring: InMemoryKeyring, token_store: str) -> None:
    choice = choose_token_store(_settings(kiosk=True, token_store=token_store))
    assert isinstance(choice.store, MemoryTokenStore)
    assert choice.notice is StoreNotice.KIOSK


def test_file_store_is_enabled_by_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCOUNTDESK_TOKEN_STORE", "file")
    assert isinstance(choose_token_store(Settings()).store, FileTokenStore)


async def test_probe_runs_off_the_event_loop(memory_keyring: InMemoryKeyring) -> None:
    probe = await asyncio.to_thread(probe_keyring)
    assert probe.available is True
    assert probe.backend.endswith("InMemoryKeyring")
