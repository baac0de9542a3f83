"""The kiosk's operator PIN: compared in constant time, and guessing it locked out.

A PIN is short (four digits will do), so without a limit anyone at the counter could try them
all at the operator key. After `FREE_ATTEMPTS` wrong PINs in a row the prompt refuses every
PIN, right or wrong, for `FIRST_LOCKOUT_SECONDS`; each wrong PIN after that locks it again for
twice as long as the time before, up to `MAX_LOCKOUT_SECONDS`. Only the right PIN starts the
count afresh: closing the prompt or "Start over" does not.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import SecretStr

FREE_ATTEMPTS = 5
FIRST_LOCKOUT_SECONDS = 30
MAX_LOCKOUT_SECONDS = 15 * 60


def pin_matches(pin: SecretStr | None, entered: str) -> bool:
    """Whether ``entered`` is the operator PIN (compared in constant time)."""
    if pin is None:
        return False
    return hmac.compare_digest(entered.encode(), pin.get_secret_value().encode())


def lockout_seconds(wrong_in_a_row: int) -> int:
    """How long the prompt refuses after ``wrong_in_a_row`` wrong PINs (0: not at all)."""
    if wrong_in_a_row < FREE_ATTEMPTS:
        return 0
    # Bounded before shifting: five doublings already pass the cap.
    doublings = min(wrong_in_a_row - FREE_ATTEMPTS, 16)
    return min(MAX_LOCKOUT_SECONDS, FIRST_LOCKOUT_SECONDS << doublings)


class PinGuard:
    """Checks operator PINs and counts the wrong ones, on ``clock`` (monotonic seconds)."""

    def __init__(self, pin: SecretStr | None, clock: Callable[[], float]) -> None:
        self._pin = pin
        self.clock = clock
        self._wrong_in_a_row = 0
        self._locked_until = 0.0

    def seconds_locked(self) -> float:
        """How long the prompt still refuses (0 when it takes a PIN)."""
        return max(0.0, self._locked_until - self.clock())

    def try_pin(self, entered: str) -> bool:
        """Whether ``entered`` is the PIN. While locked out, False without comparing."""
        if self.seconds_locked() > 0:
            return False
        if pin_matches(self._pin, entered):
            self._wrong_in_a_row = 0
            return True
        self._wrong_in_a_row += 1
        self._locked_until = self.clock() + lockout_seconds(self._wrong_in_a_row)
        return False
