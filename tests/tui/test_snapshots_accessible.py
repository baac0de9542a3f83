"""Snapshots of the accessible looks: the high-contrast theme with an error on screen, at the
usual size and at 80x24, and the folder prompt of the screenshot key.

Every app runs on the embedded sandbox ("Sandbox · demo" whatever its port), with fixed inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from helpers import settle
from textual.pilot import Pilot

from accountdesk.session import Environment, Settings
from accountdesk.tui import app as app_module
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.themes import HIGH_CONTRAST, HIGH_CONTRAST_LIGHT

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]
EMBEDDED = Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront")


class _Pinned(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _Pinned:
        return cls(2025, 6, 24, 9, 30, 0, tzinfo=tz)


async def bad_email(pilot: Pilot[Any]) -> None:
    """An invalid address typed, then on to the password: an error line and the focus."""
    await settle(pilot)
    await pilot.press(*"ada.example.com", "tab")
    await settle(pilot)


def test_login_error_high_contrast(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    app = make_app(EMBEDDED, settings=Settings(theme=HIGH_CONTRAST))
    assert snap_compare(app, run_before=bad_email, terminal_size=(100, 34))


def test_login_error_high_contrast_light_80x24(
    snap_compare: SnapCompare, make_app: MakeApp
) -> None:
    app = make_app(EMBEDDED, settings=Settings(theme=HIGH_CONTRAST_LIGHT))
    assert snap_compare(app, run_before=bad_email, terminal_size=(80, 24))


def test_screenshot_folder_prompt(
    snap_compare: SnapCompare, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder every machine has, and a fixed time in the file name: the same picture each run.
    monkeypatch.setattr(app_module, "datetime", _Pinned)
    app = make_app(EMBEDDED, settings=Settings(export_dir=Path("/tmp")))  # noqa: S108

    async def prompt(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)

    assert snap_compare(app, run_before=prompt, terminal_size=(80, 24))
