"""Startup to the first interactive screen, against the bare Textual app with the same widgets.

- headless: a fresh interpreter per run (``benchmarks.probe first-paint``), spawn to first paint;
- real terminal: the command in a tmux pane, spawn until the login title is on the pane;
both alternate project and reference runs (so load from elsewhere hits both alike), median.
Also lists the accountdesk, pydantic and httpx modules imported before the first paint.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from benchmarks.bare_app import TITLE_TEXT
from benchmarks.common import ROOT, Figure, isolated_env, median, python_child

COMMANDS = {
    "project": python_child("accountdesk"),
    "bare": python_child("benchmarks.bare_app"),
}


def headless_first_paint(which: str, env: dict[str, str]) -> tuple[float, list[str]]:
    started = time.time()
    result = subprocess.run(
        python_child("benchmarks.probe", "first-paint", which),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    )
    report = json.loads(result.stdout)
    return (report["painted_at"] - started) * 1000, report["modules"]


class Tmux:
    """A private tmux server (its own socket), so its startup is paid once, outside the runs."""

    def __init__(self, binary: str, env: dict[str, str]) -> None:
        self.socket = str(Path(env["XDG_STATE_HOME"]) / "tmux.sock")
        self.binary = binary
        # The server's environment is what every pane starts with: the throwaway one.
        self.env = env

    def __call__(self, *arguments: str) -> str:
        return subprocess.run(
            [self.binary, "-S", self.socket, *arguments],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
            env=self.env,
        ).stdout

    def time_to_text(self, command: list[str], text: str) -> float:
        """Ms from asking tmux for a pane running ``command`` until ``text`` shows in it."""
        session = f"run-{uuid.uuid4().hex[:8]}"
        line = f"env TERM=xterm-256color {shlex.join(command)}"
        started = time.perf_counter()
        self("new-session", "-d", "-s", session, "-x", "100", "-y", "30", "-c", str(ROOT), line)
        try:
            deadline = started + 60
            while text not in self("capture-pane", "-t", session, "-p"):
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{text!r} never appeared in tmux for {command}")
                time.sleep(0.005)
            return (time.perf_counter() - started) * 1000
        finally:
            self("kill-session", "-t", session)
            # The embedded sandbox and the app wind down before the next run starts.
            time.sleep(0.5)


def run(quick: bool) -> list[Figure]:
    runs = 3 if quick else 5
    figures: list[Figure] = []
    with isolated_env() as env:
        headless: dict[str, list[float]] = {"project": [], "bare": []}
        modules: list[str] = []
        for _ in range(runs):
            for which in headless:
                elapsed, loaded = headless_first_paint(which, env)
                headless[which].append(elapsed)
                modules = loaded if which == "project" else modules
        figures.append(
            Figure(
                "startup",
                f"first paint, headless (median of {runs})",
                median(headless["project"]),
                "ms",
                "bare Textual app, same widgets",
                median(headless["bare"]),
                "<= 1.25x",
            )
        )
        counts = {
            package: sum(1 for name in modules if name.split(".")[0] == package)
            for package in ("accountdesk", "pydantic", "httpx")
        }
        figures.append(
            Figure(
                "startup",
                "modules imported before first paint",
                float(len(modules)),
                "modules",
                detail=", ".join(f"{package} {count}" for package, count in counts.items()),
            )
        )
        figures.append(
            Figure(
                "startup",
                "accountdesk modules before first paint",
                float(counts["accountdesk"]),
                "modules",
                detail=" ".join(name for name in modules if name.startswith("accountdesk")),
            )
        )
        binary = shutil.which("tmux")
        if binary is None:
            print("startup: tmux is not installed; the real-terminal figure is skipped")
            return figures
        tmux = Tmux(binary, env)
        tmux("new-session", "-d", "-s", "keeper", "sleep 600")
        try:
            terminal: dict[str, list[float]] = {"project": [], "bare": []}
            for _ in range(runs):
                for which, command in COMMANDS.items():
                    terminal[which].append(tmux.time_to_text(command, TITLE_TEXT))
        finally:
            tmux("kill-server")
        figures.append(
            Figure(
                "startup",
                f"login screen in a real terminal, tmux (median of {runs})",
                median(terminal["project"]),
                "ms",
                "bare Textual app, same widgets",
                median(terminal["bare"]),
                "<= 1.25x",
            )
        )
    return figures
