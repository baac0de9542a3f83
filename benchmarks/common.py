"""What every benchmark shares: the figure type, throwaway user dirs, sandbox processes, seeding."""

from __future__ import annotations

import compileall
import contextlib
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = "Account Desk sandbox ready at "
TENANT = "demo"
CLIENT_ID = "demo-storefront"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Password-42"  # noqa: S105 - the documented public demo login
BENCH_PASSWORD = "Bench-Password-42"  # noqa: S105 - throwaway customers of a throwaway db


@dataclass(frozen=True)
class Figure:
    """One row of the table: a measurement, the reference it is compared with, and the goal.

    ``ratio`` is value / reference. ``target`` reads like ``<= 1.25x`` (on the ratio) or
    ``< 50 ms`` (on the value); ``better`` says which direction is good for the ratio.
    """

    bench: str
    name: str
    value: float
    unit: str
    reference_name: str = ""
    reference: float | None = None
    target: str = ""
    detail: str = ""

    @property
    def ratio(self) -> float | None:
        if self.reference is None or self.reference == 0:
            return None
        return self.value / self.reference

    @property
    def met(self) -> bool | None:
        if not self.target:
            return None
        operator, bound_text = self.target.split(" ", 1)
        on_ratio = bound_text.endswith("x")
        bound = float(bound_text.removesuffix("x").split()[0])
        subject = self.ratio if on_ratio else self.value
        if subject is None:
            return None
        return {
            "<": subject < bound,
            "<=": subject <= bound,
            ">": subject > bound,
            ">=": subject >= bound,
        }[operator]

    def as_json(self) -> dict[str, object]:
        return {
            "bench": self.bench,
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "reference_name": self.reference_name,
            "reference": self.reference,
            "ratio": self.ratio,
            "target": self.target,
            "met": self.met,
            "detail": self.detail,
        }


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a reported p95 is a time that happened)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def compile_sources() -> None:
    """Bytecode for the project and the benchmarks, as an installed wheel has (pip compiles
    it). Where PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile the project's
    ~50 modules imported before the first paint again (~100 ms) while the bare app compiles
    one; children only read the files, so the variable may stay set."""
    import accountdesk  # the one the children import (PYTHONPATH may point elsewhere)

    for directory in (Path(accountdesk.__file__).parent, ROOT / "benchmarks"):
        compileall.compile_dir(directory, quiet=1)


@contextlib.contextmanager
def isolated_env() -> Iterator[dict[str, str]]:
    """An environment whose config, data, state and keyring are throwaway, so a benchmark
    neither reads the developer's settings nor leaves a sandbox database behind."""
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="accountdesk-bench-") as root:
        env = {
            name: value for name, value in os.environ.items() if not name.startswith("ACCOUNTDESK_")
        }
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            path = Path(root) / variable.lower()
            path.mkdir()
            env[variable] = str(path)
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        # Children run `-m benchmarks.…` from the checkout whatever the caller's directory.
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        yield env


def python_child(module: str, *arguments: str) -> list[str]:
    return [sys.executable, "-m", module, *arguments]


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """Run a server that prints the sandbox's ready line; yield its base URL and pid, stop it
    after."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith(READY):
            raise RuntimeError(f"{command[2:4]} did not start: {line!r}")
        yield line.removeprefix(READY).strip(), process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sandbox_command(db: Path) -> list[str]:
    """`accountdesk sandbox serve` exactly as a user starts it, on a free loopback port."""
    return python_child(
        "accountdesk.sandbox", "serve", "--port", "0", "--db", str(db), "--seed-demo"
    )


def bench_email(number: int) -> str:
    return f"bench-{number}@example.com"


def seed_customers(db: Path, count: int) -> None:
    """Create tenant `demo`, the demo customer and ``count`` active customers
    (``bench_email(0…)``, password ``BENCH_PASSWORD``) through the sandbox's own storage
    functions. One argon2 hash serves them all, so 100k customers take seconds, not hours."""
    from accountdesk.sandbox.customers import insert_customer
    from accountdesk.sandbox.db import Database
    from accountdesk.sandbox.passwords import hash_password
    from accountdesk.sandbox.seed import ensure_builtin_tenants, seed_demo_customer
    from accountdesk.sandbox.settings import SandboxSettings
    from accountdesk.sandbox.tenants import next_customer_number

    password_hash = hash_password(BENCH_PASSWORD)
    now = time.time()
    database = Database(db)
    try:
        with database.transaction() as conn:
            ensure_builtin_tenants(conn, SandboxSettings(), {})
            seed_demo_customer(conn, now)
            for number in range(count):
                insert_customer(
                    conn,
                    tenant=TENANT,
                    customer_id=next_customer_number(conn, TENANT),
                    login_email=bench_email(number),
                    password_hash=password_hash,
                    active=True,
                    profile={
                        "firstName": "Bench",
                        "lastName": f"Customer {number}",
                        "contactEmail": bench_email(number),
                        "preferredLanguage": "en_GB",
                    },
                    now=now,
                )
    finally:
        database.close()
