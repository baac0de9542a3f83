"""Single-use things stay single-use however many requests arrive at once."""

from __future__ import annotations

import asyncio
from collections import Counter

from sandbox_harness import PASSWORD, Harness, unique_email

PARALLEL = 20


async def test_an_opt_in_code_activates_once(api: Harness) -> None:
    email = unique_email("optin")
    assert (await api.signup(email)).status_code == 201
    token = (await api.latest(email, "customer.opt-in"))["token"]
    anonymous = await api.anonymous_token()
    responses = await asyncio.gather(
        *(api.call("GET", f"/signup/optin/{token}", anonymous) for _ in range(PARALLEL))
    )
    assert Counter(r.status_code for r in responses) == {200: 1, 400: PARALLEL - 1}


async def test_a_reset_code_sets_a_password_once(api: Harness) -> None:
    email = unique_email("reset")
    await api.register(email)
    anonymous = await api.anonymous_token()
    await api.call("POST", "/password/reset", anonymous, json={"email": email})
    token = (await api.latest(email, "customer.password-reset"))["token"]
    responses = await asyncio.gather(
        *(
            api.reset_password(token, f"Parallel-Password-{n:02d}", anonymous)
            for n in range(PARALLEL)
        )
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {204: 1, 400: PARALLEL - 1}
    winner = next(n for n, r in enumerate(responses) if r.status_code == 204)
    assert (await api.login(email, f"Parallel-Password-{winner:02d}")).status_code == 200
    assert (await api.login(email, PASSWORD)).status_code == 401


async def test_a_refresh_token_rotates_once(api: Harness) -> None:
    body = await api.register(unique_email("rotate"))
    anonymous = await api.anonymous_token()
    responses = await asyncio.gather(
        *(api.refresh_customer(body["refresh_token"], anonymous) for _ in range(PARALLEL))
    )
    assert Counter(r.status_code for r in responses)[200] == 1


async def test_a_deletion_code_deletes_once(api: Harness) -> None:
    email = unique_email("delete")
    access = str((await api.register(email))["access_token"])
    assert (await api.call("DELETE", "/me", access)).status_code == 202
    token = (await api.latest(email, "customer.deletion-request"))["token"]
    responses = await asyncio.gather(
        *(api.call("DELETE", "/me", access, params={"token": token}) for _ in range(PARALLEL))
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses[204] == 1
    assert set(statuses) <= {204, 400, 401}
