"""The API client's cost per call over raw httpx, for the same requests to the same server.

`CustomerApiClient.get_profile` / `list_addresses` (typed errors, retry policy, tracing hook,
pydantic models) against ``httpx.AsyncClient.get`` + ``.json()``; both reuse one keep-alive
connection to a sandbox process. Sequential calls in alternating blocks, so drift in the
server or the machine hits both sides; the figure is the median per call.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from benchmarks.common import (
    CLIENT_ID,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    TENANT,
    Figure,
    isolated_env,
    median,
    sandbox_command,
    seed_customers,
    serving,
)


async def per_call_ms(call: Callable[[], Awaitable[object]], count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        await call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def compare(base_url: str, blocks: int, per_block: int) -> dict[str, tuple[float, float]]:
    from accountdesk.api import CustomerApiClient

    async with (
        CustomerApiClient(base_url, TENANT, CLIENT_ID) as api,
        httpx.AsyncClient(base_url=base_url, timeout=10) as http,
    ):
        anonymous = (await api.anonymous_login()).access_token
        token = (await api.login(anonymous, DEMO_EMAIL, DEMO_PASSWORD)).access_token
        headers = {"Authorization": f"Bearer {token}"}

        async def raw(path: str) -> object:
            response = await http.get(path, headers=headers)
            response.raise_for_status()
            return response.json()

        pairs: dict[str, tuple[Callable[[], Awaitable[object]], Callable[[], Awaitable[object]]]]
        pairs = {
            "get_profile": (
                lambda: api.get_profile(token),
                lambda: raw(f"/customer/{TENANT}/me"),
            ),
            "list_addresses": (
                lambda: api.list_addresses(token),
                lambda: raw(f"/customer/{TENANT}/me/addresses"),
            ),
        }
        results: dict[str, tuple[float, float]] = {}
        for name, (client_call, raw_call) in pairs.items():
            # Warm both connections and code paths before timing.
            await per_call_ms(client_call, 20)
            await per_call_ms(raw_call, 20)
            client_times: list[float] = []
            raw_times: list[float] = []
            for _ in range(blocks):
                client_times += await per_call_ms(client_call, per_block)
                raw_times += await per_call_ms(raw_call, per_block)
            results[name] = (median(client_times), median(raw_times))
        return results


def run(quick: bool) -> list[Figure]:
    blocks, per_block = (4, 25) if quick else (10, 50)
    with isolated_env() as env, tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "client.db"
        seed_customers(db, 0)
        with serving(sandbox_command(db), env) as (base_url, _):
            results = asyncio.run(compare(base_url, blocks, per_block))
    return [
        Figure(
            "client",
            f"client.{name}, per call (median of {blocks * per_block})",
            client_ms,
            "ms",
            "httpx get + json, same request",
            raw_ms,
            "<= 1.15x",
            detail=f"{(client_ms - raw_ms) * 1000:+.0f} µs per call",
        )
        for name, (client_ms, raw_ms) in results.items()
    ]
