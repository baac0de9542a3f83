"""The API client's cost per call over raw httpx, for the same requests to the same server.

`CustomerApiClient.get_profile` / `list_addresses` (typed errors, retry policy, tracing hook,
pydantic models) against ``httpx.AsyncClient.get`` + ``.json()``; both reuse one keep-alive
connection to a sandbox process. Sequential calls, alternating one by one, so drift in the
server or the machine hits both sides alike; the figure is the median per call.
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


async def call_ms(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def compare(base_url: str, calls: int) -> dict[str, tuple[float, float]]:
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
            client_times: list[float] = []
            raw_times: list[float] = []
            # The first 20 pairs warm both connections and code paths and are not counted.
            for number in range(20 + calls):
                client_ms, raw_ms = await call_ms(client_call), await call_ms(raw_call)
                if number >= 20:
                    client_times.append(client_ms)
                    raw_times.append(raw_ms)
            results[name] = (median(client_times), median(raw_times))
        return results


def run(quick: bool) -> list[Figure]:
    calls = 100 if quick else 500
    with isolated_env() as env, tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "client.db"
        seed_customers(db, 0)
        with serving(sandbox_command(db), env) as (base_url, _):
            results = asyncio.run(compare(base_url, calls))
    return [
        Figure(
            "client",
            f"client.{name}, per call (median of {calls})",
            client_ms,
            "ms",
            "httpx get + json, same request",
            raw_ms,
            "<= 1.15x",
            detail=f"{(client_ms - raw_ms) * 1000:+.0f} µs per call",
        )
        for name, (client_ms, raw_ms) in results.items()
    ]
