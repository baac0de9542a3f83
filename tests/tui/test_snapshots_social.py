"""Snapshots of the social step and of adding a password login (plain `def` tests).

The apps run on the embedded sandbox ("Sandbox · demo" whatever its port). The sign-in page's
address holds a fresh state, a PKCE challenge, the sandbox's port and the listener's port:
all four are pinned (``pinned_sign_in`` in conftest.py), so the picture is the same every
run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import settle, wait_mode, wait_ready, wait_until
from textual.pilot import Pilot
from textual.widgets import Static

from accountdesk.session import Environment
from accountdesk.session.config import SocialLoginSettings
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens import social_login
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.assign_account import AssignAccountScreen
from accountdesk.tui.screens.social_login import SocialLoginScreen

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
SMALL = (80, 24)
LARGE = (120, 40)


async def open_social_step(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    await settle(pilot)
    await pilot.press("ctrl+f")
    await wait_until(pilot, lambda: isinstance(app.screen, SocialLoginScreen))
    screen = app.screen
    assert isinstance(screen, SocialLoginScreen)
    # Not settle(): the sign-in worker waits for the browser until the test ends.
    await wait_until(pilot, lambda: bool(screen._url), what="the sign-in page's address")
    await pilot.pause()


def test_login_screen_offers_auth0(snap_compare: SnapCompare, embedded_app: AccountDeskApp) -> None:
    # At 80x24 the button is below the fold (ctrl+f and the palette reach it from anywhere).
    assert snap_compare(embedded_app, run_before=settle, terminal_size=LARGE)


@pytest.mark.usefixtures("pinned_sign_in")
@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
def test_social_step_in_the_sandbox(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    async def social_step(pilot: Pilot[Any]) -> None:
        await open_social_step(pilot)
        await pilot.press(*"hedy@example.com")
        await pilot.pause()

    assert snap_compare(embedded_app, run_before=social_step, terminal_size=size)


@pytest.mark.usefixtures("pinned_sign_in")
def test_social_step_without_a_browser(
    snap_compare: SnapCompare, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The embedded sandbox with Auth0 settings, taken for a real tenant.
    monkeypatch.setattr(AccountDeskApp, "is_sandbox", property(lambda _app: False), raising=True)
    monkeypatch.setattr(social_login, "open_in_browser", lambda _url: False)
    app = make_app(
        Environment(
            name="sandbox",
            base_url=None,
            tenant="demo",
            client_id="demo-storefront",
            social_login=SocialLoginSettings(auth0_domain="shop.eu.auth0.com", client_id="spa"),
        )
    )

    async def no_browser(pilot: Pilot[Any]) -> None:
        await open_social_step(pilot)
        screen = pilot.app.screen
        await wait_until(
            pilot,
            lambda: "No browser" in str(screen.query_one("#social-progress", Static).content),
            what="the advice",
        )

    assert snap_compare(app, run_before=no_browser, terminal_size=SMALL)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
def test_add_password_login(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    async def assign(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await open_social_step(pilot)
        await pilot.press(*"hedy@example.com", "enter")
        await wait_mode(pilot, app, "account")
        account = app.screen
        assert isinstance(account, AccountScreen)
        await wait_until(pilot, lambda: account.password_login is False, what="the profile")
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignAccountScreen))
        await settle(pilot)
        await pilot.press(*"violet-harbour-7")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=assign, terminal_size=size)
