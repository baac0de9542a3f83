"""Parallel password guesses: the lock holds however many arrive at once.

The lock is checked before argon2 runs and a failure recorded after it, so without an atomic
reservation 40 parallel guesses were all checked (39x401, 1x200, no 429).
"""

from __future__ import annotations

import asyncio
from collections import Counter

from sandbox_harness import PASSWORD, Harness, unique_email

from accountdesk.sandbox.settings import ThrottlePolicy

FREE_ATTEMPTS = ThrottlePolicy().free_attempts


async def test_parallel_login_guesses_are_checked_no_more_than_the_lock_allows(
    api: Harness,
) -> None:
    email = unique_email("target")
    await api.register(email)
    anonymous = await api.anonymous_token()
    guesses = [f"wrong-guess-{n:02d}" for n in range(39)] + [PASSWORD]

    async def guess(password: str) -> int:
        response = await api.call(
            "POST", "/login", anonymous, json={"email": email, "password": password}
        )
        return response.status_code

    statuses = Counter(await asyncio.gather(*(guess(password) for password in guesses)))
    assert statuses[401] <= FREE_ATTEMPTS, statuses
    assert statuses[429] >= len(guesses) - FREE_ATTEMPTS, statuses
    assert set(statuses) <= {200, 401, 429}


async def test_parallel_wrong_current_passwords_are_counted_too(api: Harness) -> None:
    access = await api.customer()
    responses = await asyncio.gather(
        *(
            api.change_password(access, f"wrong-current-{n:02d}", "A-New-Pass-For-Test-1")
            for n in range(30)
        )
    )
    codes = Counter(response.status_code for response in responses)
    assert codes[400] <= FREE_ATTEMPTS, codes
    assert codes[429] >= 30 - FREE_ATTEMPTS, codes


async def test_sequential_guesses_still_lock_after_the_free_attempts(api: Harness) -> None:
    email = unique_email("seq")
    await api.register(email)
    statuses = [(await api.login(email, f"wrong-{n}")).status_code for n in range(FREE_ATTEMPTS)]
    assert statuses == [401] * FREE_ATTEMPTS
    locked = await api.login(email, PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 1
