"""The shell under stress: screens closed while the app is busy, closing during a mode switch,
workers that fail, dialogs' keys, the remembered theme and the palette."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD, settle, wait_mode, wait_ready, wait_until
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandList
from textual.widgets import Footer, Header, Static
from textual.widgets._footer import FooterKey

from accountdesk.session import Settings
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.login import LoginScreen

MakeApp = Callable[..., AccountDeskApp]


def notices_of(app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notification text the app shows from now on."""
    notices: list[str] = []
    original = app.notify

    def record(message: str, **options: Any) -> None:
        notices.append(message)
        original(message, **options)

    monkeypatch.setattr(app, "notify", record)
    return notices


# -- 1. timing: screens closed early, closing during a switch -------------------------------


async def test_a_screen_closed_while_the_app_is_busy_does_not_take_the_app_down(
    make_app: MakeApp,
) -> None:
    # The race behind the flaky expiry test, made deterministic: a screen opens and closes
    # while the app's message loop is busy, so anything its header queued on the app runs
    # only after the header lost its title widget (Textual's header: NoMatches, app dead).
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        closed = asyncio.Event()

        async def open_and_close_while_busy() -> None:
            screen = LoginScreen(reason="opened and closed at once")
            await app.push_screen(screen)
            assert screen.query_one(Header).is_mounted
            await app.pop_screen()
            closed.set()

        app.call_next(open_and_close_while_busy)
        await closed.wait()
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.reason is None  # the root login screen, alive and well
    assert app._exception is None


@pytest.mark.parametrize("attempt", range(3))
async def test_closing_the_app_while_a_login_switches_modes(
    make_app: MakeApp, attempt: int
) -> None:
    # Textual closes the app by walking its mode stacks; a switch half done must not add or
    # remove one meanwhile ("dictionary changed size during iteration").
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        # Polled without a pause: the point is to close at the first moment of the switch.
        while app.current_mode != "account":  # noqa: ASYNC110
            await asyncio.sleep(0)
        # Leaving the block now closes the app in the middle of the switch.
    assert app._exception is None


async def test_a_quick_logout_after_login_ends_on_the_login_screen(make_app: MakeApp) -> None:
    # Two switches back to back run one after the other, in order.
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        await app.session.logout()
        await wait_mode(pilot, app, "auth")
        await settle(pilot)
        assert app.current_mode == "auth"
        assert isinstance(app.screen, LoginScreen)
        assert len(app.screen_stack) == 1
        assert app.customer_email is None


# -- 4. dialogs ----------------------------------------------------------------------------


async def test_a_dialog_shows_its_own_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        app.push_screen(ConfirmScreen("Really?"))
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        footer = dialog.query_one(Footer)
        await wait_until(pilot, lambda: bool(footer.query(FooterKey)), what="the footer keys")
        descriptions = {key.description for key in footer.query(FooterKey)}
        assert {"Yes", "No"} <= descriptions
        # Not the login screen's own keys, which the dialog does not answer to.
        assert "Log in" not in descriptions


# -- 5. theme and palette ------------------------------------------------------------------


async def test_the_chosen_theme_is_remembered(make_app: MakeApp, isolated_user_dirs: Path) -> None:
    first = make_app()
    async with first.run_test() as pilot:
        assert first.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert first.theme == "textual-light"
    second = make_app()
    async with second.run_test() as pilot:
        assert second.theme == "textual-light"
        # The command palette's theme picker sets the same attribute: it counts too.
        second.theme = "ansi-dark"
        await pilot.pause()
    third = make_app()
    async with third.run_test():
        assert third.theme == "ansi-dark"


async def test_an_explicit_theme_setting_wins_over_the_remembered_one(make_app: MakeApp) -> None:
    first = make_app()
    async with first.run_test() as pilot:
        await pilot.press("ctrl+t")
        assert first.theme == "textual-light"
    explicit = make_app(settings=Settings(theme="textual-dark"))
    async with explicit.run_test():
        assert explicit.theme == "textual-dark"


async def palette_hits(pilot: Any, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    results = pilot.app.screen.query_one(CommandList)
    await wait_until(pilot, lambda: results.option_count > 0, what=f"hits for {query!r}")
    await pilot.pause(0.3)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def test_the_palette_finds_the_theme_toggle_by_theme(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        hits = await palette_hits(pilot, "theme")
        assert any("Light/dark" in hit for hit in hits), hits


async def test_reconnect_is_in_the_palette_while_connected(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        assert app.check_action("reconnect", ()) is True
        hits = await palette_hits(pilot, "Reconnect")
        assert any("Reconnect" in hit for hit in hits), hits
        anonymous_logins = len(app.api_log)
        await pilot.press("enter")
        await wait_ready(pilot, app)
        await settle(pilot)
        # It simply connects again: still ready, same login screen, nothing lost.
        assert app.backend_state == "ready"
        assert isinstance(app.screen, LoginScreen)
        assert len(app.api_log) >= anonymous_logins


# -- 6. failing workers --------------------------------------------------------------------


class BrokenScreen(AccountDeskScreen):
    """A screen whose worker fails in a way nobody planned for."""

    BINDINGS = [Binding("ctrl+b", "break_it", "Break", id="broken-break")]

    def compose_body(self) -> ComposeResult:
        yield Static("broken")

    def action_break_it(self) -> None:
        self.break_it()

    @work(exclusive=True, group="profile", exit_on_error=False, description="Breaking")
    async def break_it(self) -> None:
        raise LookupError("an internal detail the user should not read")


async def test_a_failed_worker_of_any_group_is_logged_and_shown(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()
    notices = notices_of(app, monkeypatch)
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.push_screen(BrokenScreen())
        with caplog.at_level(logging.ERROR, logger="accountdesk.tui.app"):
            await pilot.press("ctrl+b")
            await wait_until(pilot, lambda: bool(notices), what="the report")
        assert notices == ["Something went wrong: LookupError."]
        assert "internal detail" not in notices[0]
        failures = [record for record in caplog.records if "Breaking" in record.getMessage()]
        assert failures
        assert failures[0].exc_info is not None
        # The app carries on.
        assert isinstance(app.screen, BrokenScreen)


async def test_logging_in_loads_the_account_once_and_again_after_a_flow(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual resumes a new mode's screen twice; a second load cancelled the first, and
    # "wait for the workers" then failed with WorkerCancelled (the expiry test's other flake).
    loads: list[AccountScreen] = []
    start_load = AccountScreen.load_profile

    def counted(screen: AccountScreen) -> Any:
        loads.append(screen)
        return start_load(screen)

    monkeypatch.setattr(AccountScreen, "load_profile", counted)
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(DEMO_EMAIL, DEMO_PASSWORD)
        await wait_mode(pilot, app, "account")
        await settle(pilot)
        assert len(loads) == 1
        await app.push_screen(BrokenScreen())
        app.pop_screen()
        await wait_until(pilot, lambda: len(loads) == 2, what="the reload after a flow")


def test_every_modal_screen_has_its_own_footer() -> None:
    # A modal without one shows the footer of the screen behind it: keys it does not answer.
    import importlib
    import pkgutil

    from textual.screen import ModalScreen

    from accountdesk.tui import screens
    from accountdesk.tui.screens.dialog import DialogScreen

    for module in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{module.name}")

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    ours = [cls for cls in subclasses(ModalScreen) if cls.__module__.startswith("accountdesk.")]
    assert ours
    without_footer = [
        cls.__name__
        for cls in ours
        if not issubclass(cls, DialogScreen) and "Footer()" not in _source_of(cls)
    ]
    assert without_footer == []


def _source_of(cls: type) -> str:
    import inspect

    return inspect.getsource(cls)
