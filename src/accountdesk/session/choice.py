"""Choosing the token store: OS keyring when a real one exists, else memory (file is opt-in)."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accountdesk.session.stores import (
    KEYRING_SERVICE,
    KEYRING_TIMEOUT_SECONDS,
    FileTokenStore,
    KeyringTokenStore,
    MemoryTokenStore,
    TokenStore,
)

if TYPE_CHECKING:
    # Only a type: the TUI imports this module (StoreNotice) before pydantic is loaded.
    from accountdesk.session.config import Settings

_log = logging.getLogger(__name__)

# Looked up, never written: only whether the keyring answers matters.
_PROBE_ENTRY = "availability-probe"


class StoreNotice(enum.Enum):
    """Why "remember me" is off; the user interface words it (and says how to turn it on)."""

    KIOSK = "kiosk"
    """Kiosk mode: nothing is remembered."""
    MEMORY_CONFIGURED = "memory_configured"
    """``token_store = "memory"`` was chosen."""
    NO_KEYRING = "no_keyring"
    """``auto``/``keyring`` found no usable OS keyring."""
    KEYRING_UNRESPONSIVE = "keyring_unresponsive"
    """An OS keyring exists but did not answer in time (locked, waiting for an unlock, hung)."""


@dataclass(frozen=True, slots=True)
class KeyringProbe:
    """Outcome of looking for a usable OS keyring."""

    available: bool
    backend: str
    """The backend keyring picked, e.g. "keyring.backends.fail.Keyring"."""
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class TokenStoreChoice:
    """The store to use, and why "remember me" is unavailable (None when it is available)."""

    store: TokenStore
    notice: StoreNotice | None


def _is_unusable_backend(backend: object) -> bool:
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return True
    qualified = f"{type(backend).__module__}.{type(backend).__qualname__}"
    # keyrings.alt and any "plaintext" backend write base64 to a file: no better than our
    # opt-in file store, and worse because nobody asked for it.
    return qualified.startswith("keyrings.alt") or "plaintext" in qualified.lower()


def probe_keyring() -> KeyringProbe:
    """Find out whether a real OS keyring is available. Blocking: run it in a thread.

    Treats the ``fail`` and ``null`` backends, ``keyrings.alt``/plaintext backends and a chainer
    without any real backend as unavailable (the same rule poetry applies).
    """
    try:
        import keyring
        from keyring.backends.chainer import ChainerBackend

        backend = keyring.get_keyring()
    except Exception as error:
        # A broken keyringrc.cfg or backend plugin must only cost "remember me", not startup.
        return KeyringProbe(False, "unknown", f"keyring failed to load: {error}")
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if isinstance(backend, ChainerBackend):
        real = [child for child in backend.backends if not _is_unusable_backend(child)]
        if not real:
            return KeyringProbe(False, name, "no usable keyring backend in the chain")
    elif _is_unusable_backend(backend):
        return KeyringProbe(False, name, "no OS keyring backend")
    try:
        # A backend can be configured yet have no daemon behind it: ask it something.
        backend.get_password(KEYRING_SERVICE, _PROBE_ENTRY)
    except Exception as error:
        return KeyringProbe(False, name, f"the keyring did not answer: {type(error).__name__}")
    return KeyringProbe(True, name)


def choose_token_store(settings: Settings) -> TokenStoreChoice:
    """Pick the store for ``settings``. Blocking when it probes the keyring: run it in a thread.

    kiosk -> memory; "memory"/"file" as configured; "keyring" and "auto" -> the OS keyring when
    one is usable, otherwise memory with a notice explaining how to enable the file store.
    """
    if settings.kiosk:
        return TokenStoreChoice(MemoryTokenStore(), StoreNotice.KIOSK)
    match settings.token_store:
        case "memory":
            return TokenStoreChoice(MemoryTokenStore(), StoreNotice.MEMORY_CONFIGURED)
        case "file":
            return TokenStoreChoice(FileTokenStore(), None)
        case "auto" | "keyring":
            pass
    probe = probe_keyring()
    if probe.available:
        return TokenStoreChoice(KeyringTokenStore(), None)
    _log.info("no usable OS keyring (%s: %s)", probe.backend, probe.reason)
    return TokenStoreChoice(MemoryTokenStore(), StoreNotice.NO_KEYRING)


async def pick_token_store(
    settings: Settings,
    *,
    choose: Callable[[Settings], TokenStoreChoice] = choose_token_store,
    wait_seconds: float = KEYRING_TIMEOUT_SECONDS,
) -> TokenStoreChoice:
    """``choose(settings)`` off the event loop, within ``wait_seconds``: a keyring that does not
    answer in time (locked, waiting for an unlock prompt, hung) means memory and a notice."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(choose, settings), wait_seconds)
    except TimeoutError:
        _log.warning("the OS keyring did not answer within %g seconds", wait_seconds)
        return TokenStoreChoice(MemoryTokenStore(), StoreNotice.KEYRING_UNRESPONSIVE)
