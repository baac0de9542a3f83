"""The emulator's clock: real time plus an offset that tests move forward.

Every expiry check in the sandbox asks this clock, never `time.time()`, so
`POST /_sandbox/clock` makes tokens, locks and codes expire without anyone sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime


class Clock:
    """Monotonically advanceable wall clock (seconds since the epoch)."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._source() + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward and return the new time. Going back is refused by callers."""
        with self._lock:
            self._offset += seconds
            return self._source() + self._offset

    def isoformat(self, moment: float | None = None) -> str:
        return to_iso(self.now() if moment is None else moment)


def to_iso(moment: float) -> str:
    """ISO 8601 in UTC with millisecond precision and a `Z`, like Emporix timestamps."""
    text = datetime.fromtimestamp(moment, tz=UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")
