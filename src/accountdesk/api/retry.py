"""When and how long to wait before repeating a failed request.

Only requests that are safe to repeat may be retried, and only for failures where repeating can
help: the connection could not be opened, or a gateway in front of the service answered
502/503/504. Everything else is reported to the caller at once, because a silent second attempt
of a non-idempotent call (a login, a refresh that rotates a token, a signup) could do the work
twice or burn a single-use token.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

__all__ = ["RETRYABLE_STATUSES", "RetryPolicy"]

RETRYABLE_STATUSES = frozenset({502, 503, 504})


def _uniform(low: float, high: float) -> float:
    # Jitter only spreads reconnect attempts; it needs no cryptographic quality.
    return random.uniform(low, high)  # noqa: S311


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter.

    ``attempts`` counts the first try, so 3 means at most two retries. The wait before retry
    ``n`` (1-based) is uniform in ``[0, min(max_delay, base_delay * 2 ** (n - 1))]``.
    ``sleep`` and ``jitter`` are injectable so tests neither wait nor depend on chance.
    """

    attempts: int = 3
    base_delay: float = 0.25
    max_delay: float = 2.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep)
    jitter: Callable[[float, float], float] = field(default=_uniform)

    def delay(self, retry_number: int) -> float:
        """Seconds to wait before the given retry (1 = the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry_number - 1))
        return max(0.0, self.jitter(0.0, ceiling))

    async def wait(self, retry_number: int) -> None:
        """Sleep before the given retry."""
        await self.sleep(self.delay(retry_number))
