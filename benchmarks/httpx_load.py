"""The load generator when wrk is missing: the same requests file, the same JSON line.

    python -m benchmarks.httpx_load BASE_URL REQUESTS_FILE --connections 16 --seconds 5

One keep-alive connection per simulated client, each sending its next request as soon as the
last answer arrived, for ``seconds``. Slower than wrk per request (it is Python), so its
figures are a floor for the server, not the server's ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from pathlib import Path

import httpx

from benchmarks.common import percentile


async def load(base_url: str, lines: list[str], connections: int, seconds: float) -> dict[str, int]:
    latencies: list[float] = []
    failures = {"status_errors": 0, "socket_errors": 0}
    deadline = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as http:
            for line in itertools.islice(itertools.cycle(lines), offset, None):
                if time.perf_counter() > deadline:
                    return
                method, path, token, body = line.split("\t", 3)
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                if body:
                    headers["Content-Type"] = "application/json"
                started = time.perf_counter()
                try:
                    response = await http.request(
                        method, path, headers=headers, content=body.encode() or None
                    )
                except httpx.TransportError:
                    failures["socket_errors"] += 1
                    continue
                latencies.append(time.perf_counter() - started)
                failures["status_errors"] += response.status_code >= 400

    started = time.perf_counter()
    await asyncio.gather(*(client(offset) for offset in range(connections)))
    duration = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "duration_us": int(duration * 1e6),
        **failures,
        "p50_us": int(percentile(latencies, 0.5) * 1e6),
        "p99_us": int(percentile(latencies, 0.99) * 1e6),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("requests", type=Path)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5)
    options = parser.parse_args()
    lines = options.requests.read_text().splitlines()
    report = asyncio.run(load(options.base_url, lines, options.connections, options.seconds))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
