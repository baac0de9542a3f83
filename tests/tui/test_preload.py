"""The flows' modules load on a thread after the first frame (tui/preload.py): all of them,
without getting in the way of a flow opened meanwhile, and without harm when a step fails.

What the first frame imports is checked in test_workers_and_imports.py; these run in a fresh
interpreter where "imported" must mean "imported by this app".
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from helpers import wait_until
from textual import on
from textual.worker import Worker, WorkerState

from accountdesk.session import Environment, MemoryTokenStore, Settings
from accountdesk.tui import preload
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.navigation import FLOWS
from accountdesk.tui.screens.login import LoginScreen

# Port 9 (discard) refuses: the app paints and stays "not connected", with nothing to wait for.
_NOWHERE = Environment(
    name="nowhere", base_url="http://127.0.0.1:9", tenant="demo", client_id="demo-storefront"
)

# Builds the app in a fresh interpreter; `preload.run_steps` is wrapped to say when it ended.
_APP = """
import asyncio, json, sys, threading
from accountdesk.session import Environment, MemoryTokenStore, Settings
from accountdesk.tui import preload
from accountdesk.tui.app import AccountDeskApp

preloaded = threading.Event()
_run_steps = preload.run_steps

def run_steps() -> None:
    _run_steps()
    preloaded.set()

preload.run_steps = run_steps
environment = Environment(
    name="nowhere", base_url="http://127.0.0.1:9", tenant="demo", client_id="demo-storefront"
)
app = AccountDeskApp(Settings(), environment, token_store=MemoryTokenStore())
"""


def _run(script: str, cwd: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_APP) + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return report


def test_every_flow_and_the_sign_up_lists_are_loaded_after_the_first_frame(
    tmp_path: Path,
) -> None:
    report = _run(
        """
        from accountdesk.tui.widgets import country_select, personal_fields

        async def main() -> None:
            async with app.run_test(size=(100, 40)):
                assert await asyncio.to_thread(preloaded.wait, 60), "the preload never ended"
                print(json.dumps({
                    "modules": sorted(sys.modules),
                    "cached": [
                        function.cache_info().currsize
                        for function in (
                            country_select._all_countries,
                            personal_fields._language_options,
                            personal_fields._currency_options,
                        )
                    ],
                }))

        asyncio.run(main())
        """,
        tmp_path,
    )
    modules = set(report["modules"])  # type: ignore[arg-type]
    flows = {target.partition(":")[0] for target in FLOWS.values()}
    assert flows <= modules
    assert {"accountdesk.tui.screens.mailbox", "accountdesk.tui.screens.export"} <= modules
    assert report["cached"] == [1, 1, 1]
    # The checkers still load when a field is first checked, not before.
    assert not {"zxcvbn", "phonenumbers", "email_validator"} & modules


def test_a_flow_opened_while_the_thread_imports_it_opens_once_the_import_is_done(
    tmp_path: Path,
) -> None:
    # The preload thread is held inside the sign-up module's first execution until the app's
    # thread is importing the same module (ctrl+n); then both go on. The module runs once, on
    # the preload thread, and the screen opens with it.
    report = _run(
        """
        import importlib.abc, importlib.machinery, time

        SIGN_UP = "accountdesk.tui.screens.signup"
        inside = threading.Event()
        executions = []

        def app_thread_importing() -> bool:
            frame = sys._current_frames().get(threading.main_thread().ident)
            while frame is not None:
                code = frame.f_code.co_name
                if code == "_find_and_load" and frame.f_locals.get("name") == SIGN_UP:
                    return True
                frame = frame.f_back
            return False

        class HeldLoader(importlib.abc.Loader):
            def __init__(self, loader) -> None:
                self.loader = loader

            def create_module(self, spec):
                return self.loader.create_module(spec)

            def exec_module(self, module) -> None:
                executions.append(threading.current_thread() is threading.main_thread())
                if threading.current_thread() is not threading.main_thread():
                    inside.set()
                    deadline = time.monotonic() + 60
                    while not app_thread_importing():
                        assert time.monotonic() < deadline, "ctrl+n never imported sign-up"
                        time.sleep(0.01)
                self.loader.exec_module(module)

        class Hold(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name != SIGN_UP:
                    return None
                spec = importlib.machinery.PathFinder.find_spec(name, path)
                spec.loader = HeldLoader(spec.loader)
                return spec

        sys.meta_path.insert(0, Hold())

        async def main() -> None:
            async with app.run_test(size=(100, 40)) as pilot:
                assert await asyncio.to_thread(inside.wait, 60), "the preload never began"
                await pilot.press("ctrl+n")
                await pilot.pause()
                screen = type(app.screen).__name__
                fields = len(app.screen.query("Input#signup-email"))
                assert await asyncio.to_thread(preloaded.wait, 60), "the preload never ended"
                print(json.dumps({"screen": screen, "fields": fields, "executions": executions}))

        asyncio.run(main())
        """,
        tmp_path,
    )
    assert report == {"screen": "SignUpScreen", "fields": 1, "executions": [False]}


async def test_a_failing_step_is_logged_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []
    done = threading.Event()

    def broken() -> None:
        raise ImportError("no module named 'gone'")

    def steps() -> list[tuple[str, object]]:
        return [
            ("gone", broken),
            ("after", lambda: ran.append("after")),
            ("end", done.set),
        ]

    class Recording(AccountDeskApp):
        preload_states: ClassVar[list[WorkerState]] = []

        @on(Worker.StateChanged)
        def _record(self, event: Worker.StateChanged) -> None:
            if event.worker.group == "preload":
                self.preload_states.append(event.state)

    monkeypatch.setattr(preload, "steps", steps)
    caplog.set_level(logging.WARNING, logger=preload.__name__)
    app = Recording(Settings(), _NOWHERE, token_store=MemoryTokenStore())
    async with app.run_test(size=(100, 40)) as pilot:
        assert await asyncio.to_thread(done.wait, 30), "the preload never ended"
        await wait_until(pilot, lambda: WorkerState.SUCCESS in app.preload_states)
        assert ran == ["after"]
        assert isinstance(app.screen, LoginScreen)
        assert app.is_running
    # Nothing for the app's failure report (a toast about a worker that failed) to show.
    assert WorkerState.ERROR not in app.preload_states
    assert [record.getMessage() for record in caplog.records] == [
        "preloading gone failed; it loads when first used"
    ]
