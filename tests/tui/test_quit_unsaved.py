"""ctrl+q asks before it throws away what a flow's form holds; the login form is the way in,
not work, and quits at once; ctrl+q again in the question quits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD, log_in, settle, wait_ready, wait_until
from textual.widgets import Input

from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.change_password import ChangePasswordScreen
from accountdesk.tui.screens.confirm import QuitQuestion

MakeApp = Callable[..., AccountDeskApp]


def count_exits(app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch) -> list[None]:
    """One entry per `app.exit()` from now on (the app keeps running, to look at it)."""
    exits: list[None] = []
    monkeypatch.setattr(app, "exit", lambda *_args, **_kwargs: exits.append(None))
    return exits


async def test_quitting_with_typed_input_asks_and_keeps_it(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, app, DEMO_EMAIL, DEMO_PASSWORD)
        exits = count_exits(app, monkeypatch)
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ChangePasswordScreen))
        await settle(pilot)
        await pilot.press("ctrl+q")  # nothing typed yet: quits at once
        assert len(exits) == 1

        await pilot.press(*"half-typed")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitQuestion)
        assert len(exits) == 1
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ChangePasswordScreen)
        assert "half-typed" in [field.value for field in form.query(Input)]

        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("ctrl+q")  # again, in the question: quits
        assert len(exits) == 2
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        assert len(exits) == 3


async def test_the_login_form_quits_at_once(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        exits = count_exits(app, monkeypatch)
        await pilot.press(*DEMO_EMAIL, "tab", *"secret", "ctrl+q")
        assert len(exits) == 1
        assert not isinstance(app.screen, QuitQuestion)
