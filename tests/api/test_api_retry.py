"""The backoff schedule."""

from __future__ import annotations

from accountdesk.api import RetryPolicy


def _highest(low: float, high: float) -> float:
    return high


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(attempts=6, base_delay=0.25, max_delay=1.0, jitter=_highest)
    assert [policy.delay(n) for n in range(1, 6)] == [0.25, 0.5, 1.0, 1.0, 1.0]


def test_jitter_draws_below_the_ceiling() -> None:
    seen: list[tuple[float, float]] = []

    def record(low: float, high: float) -> float:
        seen.append((low, high))
        return (low + high) / 2

    policy = RetryPolicy(base_delay=0.2, max_delay=5.0, jitter=record)
    assert policy.delay(2) == 0.2
    assert seen == [(0.0, 0.4)]


def test_default_jitter_stays_within_bounds() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=2.0)
    for _ in range(200):
        assert 0.0 <= policy.delay(3) <= 2.0


async def test_wait_uses_the_injected_sleep() -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, sleep=fake_sleep, jitter=_highest)
    await policy.wait(1)
    await policy.wait(3)
    assert slept == [1.0, 4.0]
