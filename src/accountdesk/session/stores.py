"""Token stores: where a "remembered" session (refresh token + its expiry) is kept.

Only what is needed to resume is stored: never the password, the access token or the
saas token. All methods are async; blocking back ends (keyring, files) run in a thread so a
keyring unlock prompt or a slow disk never freezes the UI.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

import platformdirs

_log = logging.getLogger(__name__)

KEYRING_SERVICE = "accountdesk"
# Answering takes a keyring milliseconds; anything near this is a locked or hung one.
KEYRING_TIMEOUT_SECONDS = 5.0

T = TypeVar("T")
SESSIONS_FILE = "sessions.json"
_FILE_FORMAT_VERSION = 1
_PRIVATE_FILE_MODE = 0o600
_PRIVATE_DIR_MODE = 0o700


class TokenStoreError(Exception):
    """The store could not be read or written (keyring locked, disk full, …)."""


@dataclass(frozen=True, slots=True)
class StoredSession:
    """What it takes to resume a customer session: the refresh token and when it expires."""

    refresh_token: str = field(repr=False)
    refresh_expires_at: float
    """Unix time (seconds) after which the refresh token is useless."""

    def __repr__(self) -> str:
        return f"StoredSession(refresh_token='***', refresh_expires_at={self.refresh_expires_at})"

    def to_json(self) -> dict[str, Any]:
        return {"refresh_token": self.refresh_token, "refresh_expires_at": self.refresh_expires_at}

    @classmethod
    def from_json(cls, data: Any) -> StoredSession | None:
        """Parse a stored entry; None for anything malformed (treated as "nothing stored")."""
        if not isinstance(data, dict):
            return None
        token = data.get("refresh_token")
        expires_at = data.get("refresh_expires_at")
        if not isinstance(token, str) or not token:
            return None
        if not isinstance(expires_at, int | float) or isinstance(expires_at, bool):
            return None
        return cls(refresh_token=token, refresh_expires_at=float(expires_at))


@runtime_checkable
class TokenStore(Protocol):
    """Keeps one `StoredSession` per environment key (see `Environment.key`)."""

    @property
    def kind(self) -> str:
        """Short name for the UI and logs: "memory", "keyring" or "file"."""
        ...

    @property
    def remembers(self) -> bool:
        """Whether a session survives a restart of the app ("remember me" is possible)."""
        ...

    async def load(self, key: str) -> StoredSession | None: ...

    async def save(self, key: str, session: StoredSession) -> None: ...

    async def clear(self, key: str) -> None: ...


class MemoryTokenStore:
    """Keeps sessions for the lifetime of the process only (kiosk mode, no OS keyring)."""

    kind = "memory"
    remembers = False

    def __init__(self) -> None:
        self._sessions: dict[str, StoredSession] = {}

    async def load(self, key: str) -> StoredSession | None:
        return self._sessions.get(key)

    async def save(self, key: str, session: StoredSession) -> None:
        self._sessions[key] = session

    async def clear(self, key: str) -> None:
        self._sessions.pop(key, None)

    def __repr__(self) -> str:
        return f"MemoryTokenStore(entries={len(self._sessions)})"


class KeyringTokenStore:
    """The OS keyring (Secret Service, macOS Keychain, Windows Credential Locker).

    One entry per environment: service ``accountdesk``, username = environment key, secret =
    JSON of the `StoredSession`.
    """

    kind = "keyring"
    remembers = True

    def __init__(
        self, service: str = KEYRING_SERVICE, *, timeout: float = KEYRING_TIMEOUT_SECONDS
    ) -> None:
        self._service = service
        self._timeout = timeout

    async def _in_time(self, call: Callable[..., T], *args: str) -> T:
        # A locked keyring may wait for an unlock prompt nobody answers, a hung daemon for
        # ever: "remember me" is then lost (TokenStoreError), never the app's responsiveness.
        try:
            return await asyncio.wait_for(asyncio.to_thread(call, *args), self._timeout)
        except TimeoutError:
            raise TokenStoreError(
                f"The OS keyring did not answer within {self._timeout:g} seconds."
            ) from None

    async def load(self, key: str) -> StoredSession | None:
        raw = await self._in_time(self._get, key)
        if raw is None:
            return None
        try:
            return StoredSession.from_json(json.loads(raw))
        except json.JSONDecodeError:
            _log.warning("ignoring an unreadable keyring entry for %s", key)
            return None

    async def save(self, key: str, session: StoredSession) -> None:
        await self._in_time(self._set, key, json.dumps(session.to_json()))

    async def clear(self, key: str) -> None:
        await self._in_time(self._delete, key)

    def _get(self, key: str) -> str | None:
        import keyring  # lazily: importing keyring costs ~0.1-0.2 s at startup
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(self._service, key)
        except (KeyringError, RuntimeError) as error:
            raise TokenStoreError(f"Cannot read from the OS keyring: {error}") from None

    def _set(self, key: str, value: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(self._service, key, value)
        except (KeyringError, RuntimeError) as error:
            raise TokenStoreError(f"Cannot write to the OS keyring: {error}") from None

    def _delete(self, key: str) -> None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(self._service, key)
        except PasswordDeleteError:
            return  # nothing stored: clearing is idempotent
        except (KeyringError, RuntimeError) as error:
            raise TokenStoreError(f"Cannot remove the OS keyring entry: {error}") from None

    def __repr__(self) -> str:
        return f"KeyringTokenStore(service={self._service!r})"


def default_sessions_path() -> Path:
    """``sessions.json`` under the per-user state directory."""
    return platformdirs.user_state_path("accountdesk") / SESSIONS_FILE


class FileTokenStore:
    """Opt-in plaintext store: a 0600 JSON file, one entry per environment key.

    For machines without an OS keyring. Writes are atomic (temp file created 0600 with
    O_EXCL, then ``os.replace``), so a crash never leaves a half-written or world-readable file.
    """

    kind = "file"
    remembers = True

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_sessions_path()
        # Serialises read-modify-write cycles within this process.
        self._lock = asyncio.Lock()

    async def load(self, key: str) -> StoredSession | None:
        async with self._lock:
            entries = await asyncio.to_thread(self._read)
        return StoredSession.from_json(entries.get(key))

    async def save(self, key: str, session: StoredSession) -> None:
        async with self._lock:
            await asyncio.to_thread(self._update, key, session)

    async def clear(self, key: str) -> None:
        async with self._lock:
            await asyncio.to_thread(self._update, key, None)

    def _read(self) -> dict[str, Any]:
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise TokenStoreError(f"Cannot read {self.path}: {error}") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            # Someone loosened the mode; tighten it before reading rather than lose the session.
            _log.warning("%s was readable by others; restricting it to the owner", self.path)
            try:
                os.chmod(self.path, _PRIVATE_FILE_MODE)
            except OSError as error:
                raise TokenStoreError(f"Cannot restrict {self.path} to 0600: {error}") from None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            # A corrupt file costs the user a login, not the app.
            _log.warning("ignoring unreadable %s: %s", self.path, error)
            return {}
        sessions = data.get("sessions") if isinstance(data, dict) else None
        return sessions if isinstance(sessions, dict) else {}

    def _update(self, key: str, session: StoredSession | None) -> None:
        entries = self._read()
        if session is None:
            if key not in entries:
                return
            del entries[key]
        else:
            entries[key] = session.to_json()
        self._write({"version": _FILE_FORMAT_VERSION, "sessions": entries})

    def _write(self, document: dict[str, Any]) -> None:
        directory = self.path.parent
        temp = directory / f".{self.path.name}.{uuid.uuid4().hex}.tmp"
        try:
            directory.mkdir(mode=_PRIVATE_DIR_MODE, parents=True, exist_ok=True)
            # O_EXCL + 0600 at creation: the secret is never in a file others could open.
            fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _PRIVATE_FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError as error:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise TokenStoreError(f"Cannot write {self.path}: {error}") from None

    def __repr__(self) -> str:
        return f"FileTokenStore(path={str(self.path)!r})"
