"""The child side of the UI benchmarks: one fresh interpreter per measurement, JSON on stdout.

    python -m benchmarks.probe first-paint {project|bare}
    python -m benchmarks.probe walk {project|bare} --rounds N

``first-paint`` starts the app headless the way ``accountdesk`` does and exits at its first
paint (``on_ready``), reporting the wall-clock time of that paint and which accountdesk, pydantic
and httpx modules were imported by then. ``walk`` opens every screen by its key, ``rounds``
times, timing each key press until the next screen's first frame is composed, then reports the
process's peak RSS. The project app runs with its embedded sandbox, as a user runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import Screen

WATCHED_PACKAGES = ("accountdesk", "pydantic", "httpx")
SIZE = (100, 30)


def watched_modules() -> list[str]:
    return sorted(
        name
        for name, module in sys.modules.items()
        if module is not None and name.split(".")[0] in WATCHED_PACKAGES
    )


def peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def project_app_class() -> type[App[Any]]:
    from accountdesk.cli import trim_startup_imports
    from accountdesk.tui import collector

    # As `accountdesk` starts (cli._run_tui).
    collector.pause()
    trim_startup_imports()
    from accountdesk.tui.app import AccountDeskApp

    return AccountDeskApp


def build_project_app(app_class: type[App[Any]]) -> App[Any]:
    """As `accountdesk` with no arguments builds it (settings file, default environment)."""
    from accountdesk.session import load_settings

    settings = load_settings()
    return app_class(settings, settings.resolve_environment())


def first_paint(which: str) -> dict[str, Any]:
    if which == "project":
        base = project_app_class()
    else:
        from benchmarks.bare_app import BareApp

        base = BareApp

    class FirstPaint(base):
        def on_ready(self) -> None:
            self.exit((time.time(), watched_modules()))

    app = build_project_app(FirstPaint) if which == "project" else FirstPaint()
    app.run(headless=True, size=SIZE)
    painted_at, modules = app.return_value
    return {"painted_at": painted_at, "modules": modules}


class FrameClock:
    """Records when each screen's frame is composed (Textual's ``_display``, which a headless
    driver then skips writing), so a key press is timed up to the frame that shows its result.

    Screens are held weakly: the walk's peak memory must not count every screen it closed."""

    def __init__(self) -> None:
        self.frames: list[tuple[float, weakref.ref[Screen[Any]]]] = []

    def watch(self, app: App[Any]) -> None:
        display = app._display

        def recorded(screen: Screen[Any], renderable: Any) -> None:
            if renderable is not None:
                self.frames.append((time.perf_counter(), weakref.ref(screen)))
            display(screen, renderable)

        app._display = recorded

    async def press(
        self, pilot: Any, key: str, arrived: Callable[[Screen[Any]], bool], seconds: float = 30
    ) -> float:
        """Press ``key``; ms until the first frame of a screen for which ``arrived`` holds."""
        mark = len(self.frames)
        started = time.perf_counter()
        await pilot.press(key)
        deadline = started + seconds
        while True:
            for at, screen in self.frames[mark:]:
                shown = screen()
                if shown is not None and arrived(shown):
                    return (at - started) * 1000
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no new screen after {key!r}; on {pilot.app.screen!r}")
            await asyncio.sleep(0.001)


async def wait_until(condition: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def switch_and_back(
    clock: FrameClock, pilot: Any, key: str, switches: dict[str, list[float]]
) -> None:
    """Open a screen with ``key`` and leave it with ``escape``, timing both switches."""
    start = pilot.app.screen
    switches.setdefault(key, []).append(
        await clock.press(pilot, key, lambda screen: screen is not start)
    )
    await pilot.app.workers.wait_for_complete()
    switches.setdefault(f"{key} escape", []).append(
        await clock.press(pilot, "escape", lambda screen: screen is start)
    )
    await pilot.app.workers.wait_for_complete()


async def walk_project(rounds: int) -> dict[str, Any]:
    from textual.widgets import Input

    from benchmarks.common import DEMO_EMAIL, DEMO_PASSWORD

    app_class = project_app_class()
    from accountdesk.tui.screens.account import AccountScreen
    from accountdesk.tui.screens.login import LoginScreen

    app = build_project_app(app_class)
    clock = FrameClock()
    clock.watch(app)
    switches: dict[str, list[float]] = {}
    logins: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: app.backend_state == "ready", "the embedded sandbox")
        for _ in range(rounds):
            for key in ("ctrl+n", "ctrl+g", "ctrl+y", "f3"):
                await switch_and_back(clock, pilot, key, switches)
            login = app.screen
            assert isinstance(login, LoginScreen)
            login.query_one("#login-email", Input).value = DEMO_EMAIL
            password = login.query_one("#login-password", Input)
            password.value = DEMO_PASSWORD
            password.focus()
            await pilot.pause()
            logins.append(await clock.press(pilot, "enter", lambda s: isinstance(s, AccountScreen)))
            await app.workers.wait_for_complete()
            for key in ("e", "a", "p", "m", "d"):
                await switch_and_back(clock, pilot, key, switches)
            await app.session.logout()
            await wait_until(lambda: isinstance(app.screen, LoginScreen), "the login screen")
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
    return {"switches": switches, "logins": logins, "peak_rss_kib": peak_rss_kib()}


async def walk_bare(rounds: int) -> dict[str, Any]:
    from benchmarks.bare_app import BareApp

    app = BareApp()
    clock = FrameClock()
    clock.watch(app)
    switches: dict[str, list[float]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # As many switches as the project's walk makes, so both runs last about as long.
        for _ in range(rounds * 9):
            await switch_and_back(clock, pilot, "ctrl+n", switches)
    return {"switches": switches, "logins": [], "peak_rss_kib": peak_rss_kib()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["first-paint", "walk"])
    parser.add_argument("app", choices=["project", "bare"])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    if options.mode == "first-paint":
        result = first_paint(options.app)
    elif options.app == "project":
        result = asyncio.run(walk_project(options.rounds))
    else:
        result = asyncio.run(walk_bare(options.rounds))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
