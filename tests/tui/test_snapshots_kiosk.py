"""Snapshots of kiosk mode: the shared-terminal banner on the welcome screen, and the "Still
there?" countdown over the account (at 120x40 and 80x24). A fake clock stands still, so the
countdown shows the same second every run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import (
    EMBEDDED,
    FakeClock,
    demo_logged_in,
    kiosk_settings,
    settle,
    wait_ready,
    wait_until,
)
from textual.pilot import Pilot

from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.kiosk import StillThereScreen

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def kiosk_app(make_app: MakeApp, clock: FakeClock) -> AccountDeskApp:
    """The embedded sandbox in kiosk mode (its status line is the same on every machine)."""
    return make_app(EMBEDDED, settings=kiosk_settings(), clock=clock)


async def counting_down(pilot: Pilot[Any], clock: FakeClock, seconds_left: int) -> None:
    """The demo customer's account, idle until ``seconds_left`` remain."""
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    assert app.kiosk is not None
    await demo_logged_in(pilot)
    app.kiosk.input_seen()  # the session logged in directly: no key armed the watch
    clock.advance(app.kiosk.options.idle_seconds - seconds_left)
    app.kiosk.tick()
    await wait_until(pilot, lambda: isinstance(app.screen, StillThereScreen), what="countdown")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_kiosk_banner_on_the_welcome_screen(
    snap_compare: SnapCompare, kiosk_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot, kiosk_app)
        await settle(pilot)

    assert snap_compare(kiosk_app, run_before=ready, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_kiosk_countdown(
    snap_compare: SnapCompare, kiosk_app: AccountDeskApp, clock: FakeClock, size: tuple[int, int]
) -> None:
    async def idle(pilot: Pilot[Any]) -> None:
        await counting_down(pilot, clock, 12)

    assert snap_compare(kiosk_app, run_before=idle, terminal_size=size)
