"""The sandbox under load from a separate process, against Prism and a bare FastAPI route.

The load generator is wrk (one thread, 16 connections, loopback) when installed, else
``benchmarks.httpx_load``; it replays a requests file (``wrk_requests.lua`` cycles through it)
for a fixed time. The sandbox runs as `accountdesk sandbox serve` on a SQLite file seeded with
64 customers (one precomputed argon2 hash); every request carries a real customer token, and
``GET /me`` and ``PATCH /me`` rotate through 16 customers, login through all 64.

References, measured in the same run with the same requests: Stoplight Prism mocking the
official ``api.yml`` (installed with npm into ``~/.cache/accountdesk-bench`` when missing) and
``benchmarks.bare_fastapi`` on the sandbox's own server setup.

The scaling figures seed 1k and then 100k customers (quick: 10k) and compare ``GET /me`` and
login throughput; target: the larger database within 10 % of the small one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import (
    BENCH_PASSWORD,
    CLIENT_ID,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    ROOT,
    TENANT,
    Figure,
    bench_email,
    isolated_env,
    python_child,
    sandbox_command,
    seed_customers,
    serving,
)

LUA = Path(__file__).with_name("wrk_requests.lua")
PRISM_CACHE = Path.home() / ".cache" / "accountdesk-bench"
PRISM = PRISM_CACHE / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE = "@stoplight/prism-cli@5"
CONNECTIONS = 16
ME = f"/customer/{TENANT}/me"
# A login takes an argon2 verification (tens of ms of CPU each) and queues behind 15 others:
# a shorter window would end before enough of them have completed to count.
LOGIN_SECONDS = 8


def duration(operation: str, seconds: int) -> int:
    return max(seconds, LOGIN_SECONDS) if operation == "POST /login" else seconds


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failed: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    @classmethod
    def merged(cls, slices: list[Load]) -> Load:
        """Slices of one measurement: throughput over all, the mean p50 and the worst p99."""
        return cls(
            requests=sum(piece.requests for piece in slices),
            seconds=sum(piece.seconds for piece in slices),
            p50_ms=sum(piece.p50_ms for piece in slices) / len(slices),
            p99_ms=max(piece.p99_ms for piece in slices),
            failed=sum(piece.failed for piece in slices),
        )

    @property
    def detail(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        return f"p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms{failed}"


def generate_load(base_url: str, lines: list[str], seconds: float, connections: int) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".tsv") as requests:
        requests.write("\n".join(lines) + "\n")
        requests.flush()
        wrk = shutil.which("wrk")
        if wrk is not None:
            command = [
                wrk,
                "-t1",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "--timeout",
                "30s",
                "-s",
                str(LUA),
                base_url,
            ]
        else:
            command = python_child(
                "benchmarks.httpx_load",
                base_url,
                requests.name,
                "--connections",
                str(connections),
                "--seconds",
                str(seconds),
            )
        env = {**os.environ, "BENCH_REQUESTS": requests.name}
        output = subprocess.run(
            command, capture_output=True, text=True, check=True, env=env, cwd=ROOT
        ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    return Load(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        failed=report["status_errors"] + report["socket_errors"],
    )


def alternating(runs: dict[str, tuple[str, list[str]]], seconds: int) -> dict[str, Load]:
    """Each (server, requests) of ``runs`` loaded in turns, two slices each, so a change in the
    machine's other load during the measurement hits every server alike."""
    slices: dict[str, list[Load]] = {name: [] for name in runs}
    for _ in range(2):
        for name, (base_url, lines) in runs.items():
            slices[name].append(generate_load(base_url, lines, seconds // 2, CONNECTIONS))
    return {name: Load.merged(pieces) for name, pieces in slices.items()}


def warm_up(base_url: str, workload: Workload) -> None:
    """A second of reads first: Prism's JIT and every server's first connections settle."""
    generate_load(base_url, workload.operations["GET /me"], 1, CONNECTIONS)


def request_line(method: str, path: str, token: str = "", body: object = None) -> str:
    return "\t".join([method, path, token, "" if body is None else json.dumps(body)])


async def log_in_all(base_url: str, emails: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """An anonymous token and a customer access token per (email, password)."""
    from accountdesk.api import CustomerApiClient

    async with CustomerApiClient(base_url, TENANT, CLIENT_ID) as api:
        anonymous = (await api.anonymous_login()).access_token
        tokens = [
            (await api.login(anonymous, email, password)).access_token for email, password in emails
        ]
    return anonymous, tokens


@dataclass(frozen=True)
class Workload:
    """The requests of each measured operation, with real tokens of ``base_url``'s sandbox."""

    operations: dict[str, list[str]]

    @classmethod
    def prepare(cls, base_url: str, numbers: list[int], login_numbers: list[int]) -> Workload:
        credentials = [(bench_email(n), BENCH_PASSWORD) for n in numbers]
        anonymous, tokens = asyncio.run(
            log_in_all(base_url, [(DEMO_EMAIL, DEMO_PASSWORD), *credentials])
        )
        demo, customers = tokens[0], tokens[1:]
        return cls(
            {
                "GET /me": [request_line("GET", ME, token) for token in customers],
                "GET /me/addresses": [request_line("GET", f"{ME}/addresses", demo)],
                "PATCH /me": [
                    request_line("PATCH", ME, token, {"contactPhone": "+44 20 7946 0018"})
                    for token in customers
                ],
                "POST /login": [
                    request_line(
                        "POST",
                        f"/customer/{TENANT}/login",
                        anonymous,
                        {"email": bench_email(n), "password": BENCH_PASSWORD},
                    )
                    for n in login_numbers
                ],
            }
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def find_spec() -> Path | None:
    """`shared/spec/api.yml` beside the checkout (or a worktree's parent), as the tests find it."""
    for parent in ROOT.parents:
        candidate = parent / "shared" / "spec" / "api.yml"
        if candidate.exists():
            return candidate
    return None


def ensure_prism() -> Path | None:
    if PRISM.exists():
        return PRISM
    npm = shutil.which("npm")
    if npm is None:
        return None
    print(f"load: installing {PRISM_PACKAGE} into {PRISM_CACHE} …", flush=True)
    PRISM_CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(PRISM_CACHE), "--no-audit", "--no-fund", PRISM_PACKAGE],
        check=True,
        capture_output=True,
    )
    return PRISM if PRISM.exists() else None


@contextlib.contextmanager
def prism_mock(prism: Path, spec: Path) -> Iterator[str]:
    port = free_port()
    command = [str(prism), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Prism did not start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(quick: bool) -> list[Figure]:
    seconds = 2 if quick else 6
    figures: list[Figure] = []
    spec = find_spec()
    prism = ensure_prism()
    if spec is None or prism is None:
        print("load: Prism or shared/spec/api.yml is missing; no Prism reference")
    with (
        isolated_env() as env,
        tempfile.TemporaryDirectory() as scratch,
        contextlib.ExitStack() as servers,
    ):
        db = Path(scratch) / "load.db"
        seed_customers(db, 64)
        base_url, pid = servers.enter_context(serving(sandbox_command(db), env))
        bare_url, _ = servers.enter_context(serving(python_child("benchmarks.bare_fastapi"), env))
        targets = {"sandbox": base_url}
        if spec is not None and prism is not None:
            targets["prism"] = servers.enter_context(prism_mock(prism, spec))
        workload = Workload.prepare(base_url, list(range(16)), list(range(64)))
        for url in [*targets.values(), bare_url]:
            warm_up(url, workload)
        measured = {
            name: alternating(
                {target: (url, lines) for target, url in targets.items()}, duration(name, seconds)
            )
            for name, lines in workload.operations.items()
        }
        sandbox = {name: loads["sandbox"] for name, loads in measured.items()}
        mocked = {name: loads["prism"] for name, loads in measured.items() if "prism" in loads}
        me = workload.operations["GET /me"]
        bare = alternating({"sandbox": (base_url, me), "bare": (bare_url, me)}, seconds)
        single = generate_load(base_url, workload.operations["GET /me"], seconds, 1)
        sandbox_rss = peak_rss_mib(pid)
    tool = "wrk -t1" if shutil.which("wrk") else "httpx_load"
    for name, load in sandbox.items():
        reference = mocked.get(name)
        figures.append(
            Figure(
                "load",
                f"{name}, {tool} -c{CONNECTIONS} {duration(name, seconds)}s",
                load.requests_per_second,
                "req/s",
                "Prism mocking api.yml" if reference else "",
                reference.requests_per_second if reference else None,
                ">= 2x" if reference else "",
                detail=load.detail
                + (f"; Prism {reference.detail}" if reference is not None else ""),
            )
        )
    figures.append(
        Figure(
            "load",
            f"GET /me vs bare FastAPI, {tool} -c{CONNECTIONS} {seconds}s",
            bare["sandbox"].requests_per_second,
            "req/s",
            "bare FastAPI route, same uvicorn setup",
            bare["bare"].requests_per_second,
            ">= 0.5x",
            detail=f"bare {bare['bare'].detail}",
        )
    )
    figures.append(
        Figure(
            "load",
            "GET /me, one connection, sequential, p50",
            single.p50_ms,
            "ms",
            target="< 2 ms",
            detail=f"{single.requests_per_second:.0f} req/s, {single.detail}",
        )
    )
    figures.append(Figure("load", "sandbox peak RSS after the load", sandbox_rss, "MiB"))
    return figures


def run_scaling(quick: bool) -> list[Figure]:
    seconds = 2 if quick else 6
    sizes = (1_000, 10_000 if quick else 100_000)
    seeding: dict[int, float] = {}
    with isolated_env() as env, tempfile.TemporaryDirectory() as scratch:
        workloads: dict[int, tuple[str, Workload]] = {}
        with contextlib.ExitStack() as servers:
            for size in sizes:
                db = Path(scratch) / f"scale-{size}.db"
                started = time.perf_counter()
                seed_customers(db, size)
                seeding[size] = time.perf_counter() - started
                base_url, _ = servers.enter_context(serving(sandbox_command(db), env))
                # Customers spread over the whole table, not just its first rows.
                numbers = [size * step // 16 for step in range(16)]
                logins = [size * step // 64 for step in range(64)]
                workload = Workload.prepare(base_url, numbers, logins)
                warm_up(base_url, workload)
                workloads[size] = (base_url, workload)
            results = {
                name: alternating(
                    {
                        str(size): (url, workload.operations[name])
                        for size, (url, workload) in workloads.items()
                    },
                    duration(name, seconds),
                )
                for name in ("GET /me", "POST /login")
            }
    small, large = sizes
    return [
        Figure(
            "scaling",
            f"{name} with {large:,} customers",
            results[name][str(large)].requests_per_second,
            "req/s",
            f"same with {small:,} customers",
            results[name][str(small)].requests_per_second,
            ">= 0.9x",
            detail=f"{results[name][str(large)].detail}; seeding {large:,} took "
            f"{seeding[large]:.1f} s",
        )
        for name in ("GET /me", "POST /login")
    ]
