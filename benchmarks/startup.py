"""Cold-start figures for ``accountdesk`` (printed, never asserted).

    .venv/bin/python benchmarks/startup.py [--runs 10]

1. ``accountdesk --version``: process start to exit (argparse only, no Textual).
2. The app to first paint: process spawn until the login screen is on screen (the child runs
   the real app headless and reports the time of its first ``ready``); the embedded sandbox
   starts as usual, the figure does not wait for it, nor for the shutdown.
Best of N wall-clock runs of a fresh interpreter each, with config/data in a temp dir.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACCOUNTDESK = Path(sys.executable).parent / "accountdesk"

# Runs the app headless the way `accountdesk` does and exits at the first paint, printing
# the number of modules loaded by then.
FIRST_PAINT = """
import sys, time
from accountdesk.cli import trim_startup_imports
trim_startup_imports()
from accountdesk.session import MemoryTokenStore, Settings
from accountdesk.tui.app import AccountDeskApp

class FirstPaint(AccountDeskApp):
    def on_ready(self) -> None:
        self.exit((time.time(), len(sys.modules)))

settings = Settings()
app = FirstPaint(settings, settings.resolve_environment(), token_store=MemoryTokenStore())
app.run(headless=True, size=(100, 30))
painted_at, modules = app.return_value
print(painted_at, modules)
"""


def best_of(runs: int, command: list[str], env: dict[str, str]) -> float:
    """Best wall time from spawn to exit, in ms."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=True)
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings)


def best_first_paint(runs: int, env: dict[str, str]) -> tuple[float, int]:
    """Best wall time from spawn to the first paint (the child reports when), in ms."""
    timings = []
    modules = 0
    for _ in range(runs):
        started = time.time()
        result = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT], capture_output=True, text=True, env=env, check=True
        )
        painted_at, module_count = result.stdout.split()
        timings.append((float(painted_at) - started) * 1000)
        modules = int(module_count)
    return min(timings), modules


def main() -> int:
    parser = argparse.ArgumentParser(description="Cold-start timings of accountdesk.")
    parser.add_argument("--runs", type=int, default=10, help="runs per figure (best is kept)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accountdesk-bench-") as root:
        env = dict(os.environ)
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[variable] = str(Path(root) / variable.lower())
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

        baseline = best_of(options.runs, [sys.executable, "-c", "pass"], env)
        version = best_of(options.runs, [str(ACCOUNTDESK), "--version"], env)
        paint, modules = best_first_paint(options.runs, env)
    print(
        f"best of {options.runs} runs, wall clock, {sys.platform}, Python {sys.version.split()[0]}"
    )
    print(f"  python -c pass                     {baseline:7.0f} ms")
    print(f"  accountdesk --version              {version:7.0f} ms")
    print(f"  app start to first paint (login)   {paint:7.0f} ms   ({modules} modules loaded)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
