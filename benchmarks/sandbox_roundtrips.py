"""Round-trip figures for the client against the sandbox (printed, never asserted).

    .venv/bin/python benchmarks/sandbox_roundtrips.py [--requests 400] [--concurrency 8]

Starts `accountdesk sandbox serve` as its own process (so client and server do not share a
GIL), with a throwaway SQLite file, then measures through `accountdesk.api`:

1. log in (argon2 verification dominates): sequential, latency percentiles;
2. `GET /me?expand=addresses` with `--concurrency` requests in flight: throughput and latency;
3. address create (a write transaction each): the same;
and finally the sandbox's peak resident memory (VmHWM) after all that.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from accountdesk.api import AddressCreate, CustomerApiClient

READY = "Account Desk sandbox ready at "
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Password-42"  # noqa: S105 - the documented public demo login


def start_sandbox(db: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "accountdesk.sandbox", "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--db", str(db), "--seed-demo"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith(READY):
        process.kill()
        raise SystemExit(f"sandbox did not start: {line!r}")
    return process, line.removeprefix(READY).strip()


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def describe(name: str, latencies: list[float], wall: float) -> str:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"{name:<28} n={len(ordered):<5} {len(ordered) / wall:8.1f} req/s   "
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"
    )


async def timed_many(
    call: Callable[[], Awaitable[object]], count: int, concurrency: int
) -> tuple[list[float], float]:
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(count)))
    return latencies, time.perf_counter() - started


async def measure(base_url: str, requests: int, concurrency: int) -> list[str]:
    async with CustomerApiClient(base_url, "demo", "demo-storefront") as api:
        guest = (await api.anonymous_login()).access_token
        lines = []

        async def login() -> object:
            return await api.login(guest, DEMO_EMAIL, DEMO_PASSWORD)

        logins, wall = await timed_many(login, 30, 1)
        lines.append(describe("login (sequential)", logins, wall))

        token = (await api.login(guest, DEMO_EMAIL, DEMO_PASSWORD)).access_token

        async def profile() -> object:
            return await api.get_profile(token, expand_addresses=True)

        reads, wall = await timed_many(profile, requests, concurrency)
        lines.append(describe(f"GET /me (x{concurrency} in flight)", reads, wall))

        async def add_address() -> object:
            address = AddressCreate(contact_name="Bench Mark", city="Berlin", country="DE")
            return await api.add_address(token, address)

        writes, wall = await timed_many(add_address, requests // 2, concurrency)
        lines.append(describe(f"POST address (x{concurrency})", writes, wall))
        return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        process, base_url = start_sandbox(Path(scratch) / "bench.db")
        try:
            lines = asyncio.run(measure(base_url, options.requests, options.concurrency))
            lines.append(f"{'sandbox peak RSS':<28} {peak_rss_mib(process.pid):.1f} MiB")
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(*lines, sep="\n")


if __name__ == "__main__":
    main()
