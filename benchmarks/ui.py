"""Key press to repaint, the login round trip, and peak memory after walking every screen.

Both apps run headless in their own process (``benchmarks.probe walk``): the project walks
sign-up, forgot password, activation and the mailbox from the login screen, logs in through
the form (Enter in the password field, against its embedded sandbox), then opens edit profile,
addresses, change password, change email and delete account, leaving each with ``escape``.
The bare app switches between its two forms as often. Every switch counts, first opens (which
import the flow's module) included. The login's argon2 share is one verification with the
sandbox's own hasher, timed here.
"""

from __future__ import annotations

import json
import subprocess
import time
from typing import Any

from benchmarks.common import ROOT, Figure, isolated_env, median, percentile, python_child


def walk(which: str, rounds: int, env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        python_child("benchmarks.probe", "walk", which, "--rounds", str(rounds)),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def argon2_verify_ms(runs: int) -> float:
    from accountdesk.sandbox.passwords import hash_password, verify_password

    stored = hash_password("Bench-Password-42")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        assert verify_password(stored, "Bench-Password-42")
        timings.append((time.perf_counter() - started) * 1000)
    return median(timings)


def run(quick: bool) -> list[Figure]:
    rounds = 2 if quick else 3
    with isolated_env() as env:
        project = walk("project", rounds, env)
        bare = walk("bare", rounds, env)
    project_switches = [ms for samples in project["switches"].values() for ms in samples]
    bare_switches = [ms for samples in bare["switches"].values() for ms in samples]
    slowest = max(project["switches"].items(), key=lambda item: max(item[1]))
    logins: list[float] = project["logins"]
    argon2 = argon2_verify_ms(10)
    login = median(logins)
    return [
        Figure(
            "ui",
            f"screen switch, key to repaint, p50 (n={len(project_switches)})",
            percentile(project_switches, 0.5),
            "ms",
            "bare app switching forms",
            percentile(bare_switches, 0.5),
        ),
        Figure(
            "ui",
            f"screen switch, key to repaint, p95 (n={len(project_switches)})",
            percentile(project_switches, 0.95),
            "ms",
            "bare app switching forms",
            percentile(bare_switches, 0.95),
            "< 50 ms",
            detail=f"slowest key: {slowest[0]} {max(slowest[1]):.0f} ms",
        ),
        Figure(
            "ui",
            f"login, Enter to account screen, median of {len(logins)}",
            login,
            "ms",
            "argon2 verify alone (sandbox's hasher)",
            argon2,
            detail=f"argon2 is {argon2 / login:.0%} of the round trip",
        ),
        Figure(
            "ui",
            "peak RSS after walking every screen",
            project["peak_rss_kib"] / 1024,
            "MiB",
            "bare app after its walk",
            bare["peak_rss_kib"] / 1024,
            "<= 1.3x",
        ),
    ]
