"""Snapshots of the shell's own states: a dialog with its own keys, and the status line and
notification after the embedded sandbox died (at 120x40 and 80x24).

The embedded sandbox keeps the status line machine-independent ("Sandbox · demo").
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

import pytest
from helpers import demo_logged_in, settle, wait_ready, wait_until
from textual.pilot import Pilot

from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.confirm import ConfirmScreen

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
SIZES = [(120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES)
def test_logout_dialog_shows_its_own_keys(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    async def asking(pilot: Pilot[Any]) -> None:
        await demo_logged_in(pilot)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.pause()

    assert snap_compare(embedded_app, run_before=asking, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_a_dead_sandbox_in_the_status_line(
    snap_compare: SnapCompare, embedded_app: AccountDeskApp, size: tuple[int, int]
) -> None:
    async def killed(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccountDeskApp)
        await wait_ready(pilot, app)
        pid = app.sandbox_pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        await wait_until(pilot, lambda: app.backend_state == "failed", what="the dead sandbox")
        await settle(pilot)

    assert snap_compare(embedded_app, run_before=killed, terminal_size=size)
