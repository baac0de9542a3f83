"""A countdown in whole seconds, told once when it starts and then every second, down to 0."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Countdown:
    """Counts down from `start` (e.g. a server's ``Retry-After``) on ``owner``'s timers.

    ``show(remaining)`` is called at once, after every second, and a last time with 0.
    ``clock`` is replaceable so tests can move time without waiting for it.
    """

    def __init__(
        self,
        owner: MessagePump,
        show: Callable[[int], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.owner = owner
        self.show = show
        self.clock = clock
        self._ends_at = 0.0
        self._timer: Timer | None = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    @property
    def remaining(self) -> int:
        """Whole seconds left, rounded up (a wait of 0.2 s still reads "1 second")."""
        return max(0, math.ceil(self._ends_at - self.clock()))

    def start(self, seconds: int) -> None:
        self.stop()
        self._ends_at = self.clock() + seconds
        self._timer = self.owner.set_interval(1, self.tick)
        self.tick()

    def tick(self) -> None:
        """Tell how long is left; at 0, stop."""
        remaining = self.remaining
        if remaining <= 0:
            self.stop()
        self.show(remaining)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
