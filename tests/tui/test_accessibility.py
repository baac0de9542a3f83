"""Accessible: the high-contrast theme, NO_COLOR with shapes instead of hues, and a command
palette that finds actions by the words a user types."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD, log_in, wait_ready
from textual.widgets import Static

from accountdesk.session import Settings
from accountdesk.tui import preferences
from accountdesk.tui.app import AccountDeskApp, known_themes
from accountdesk.tui.commands import BoundActionsProvider
from accountdesk.tui.themes import HIGH_CONTRAST, HIGH_CONTRAST_LIGHT
from accountdesk.tui.wording import ERROR_MARK

MakeApp = Callable[..., AccountDeskApp]
SIZE = (100, 34)
# The heavy box Textual draws for `border: heavy`: the focused control's, in shapes mode.
HEAVY_CORNER = "┏"


async def invalid_email_then_password(app: AccountDeskApp) -> tuple[str, str]:
    """Type a bad address, move on to the password; the error line and the screen as SVG."""
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await pilot.press(*"ada.example.com", "tab")
        await pilot.pause()
        error_line = app.screen.query_one("#login-email-field .form-field--error", Static)
        return str(error_line.render()), app.export_screenshot()


async def test_no_color_marks_errors_and_focus_by_shape(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    error, svg = await invalid_email_then_password(app)
    assert app.no_color  # Textual's monochrome filter is on
    assert error.startswith(f"{ERROR_MARK} ")
    assert "@" in error  # …followed by the reason
    # Exactly one heavy box on screen: the focused password field's.
    assert svg.count(HEAVY_CORNER) == 1


async def test_with_colour_the_ordinary_theme_keeps_its_look(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app()
    error, svg = await invalid_email_then_password(app)
    assert error.startswith(f"{ERROR_MARK} ")  # the mark is there in every theme
    assert HEAVY_CORNER not in svg  # focus is the theme's brighter border


async def test_high_contrast_theme_by_key_setting_and_memory(make_app: MakeApp) -> None:
    assert {HIGH_CONTRAST, HIGH_CONTRAST_LIGHT} <= known_themes()  # --theme accepts them
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f9")
        assert app.theme == HIGH_CONTRAST
        assert app.has_class("-shapes")
        await pilot.press("ctrl+t")  # light and dark, still high contrast
        assert app.theme == HIGH_CONTRAST_LIGHT
        assert not app.current_theme.dark
        await pilot.press("f9")
        assert app.theme == "textual-light"
        assert not app.has_class("-shapes")
        await pilot.press("f9")

    # The next start remembers it; a theme in the config still wins.
    assert preferences.starting_theme(Settings()) == HIGH_CONTRAST_LIGHT
    configured = make_app(settings=Settings(theme=HIGH_CONTRAST))
    async with configured.run_test(size=SIZE):
        assert configured.theme == HIGH_CONTRAST
        assert configured.has_class("-shapes")


# The words a user would type, and the command each must find first.
PALETTE_WORDS = {
    "theme": "Light/dark",
    "dark": "Light/dark",
    "light": "Light/dark",
    "contrast": "High contrast",
    "password": "Change password",
    "address": "Addresses",
    "curl": "Copy as curl",
    "har": "Save HAR",
    "screenshot": "Screenshot",
}


async def test_the_palette_finds_actions_by_the_words_users_type(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, app, DEMO_EMAIL, DEMO_PASSWORD)
        await pilot.press("f2")  # the API log's own actions are offered while it is shown
        await pilot.pause()
        provider = BoundActionsProvider(app.screen)
        found: dict[str, list[str]] = {}
        for words in PALETTE_WORDS:
            hits = [hit async for hit in provider.search(words)]
            found[words] = [str(hit.text) for hit in sorted(hits, key=lambda hit: -hit.score)]
    best = {words: names[0] if names else None for words, names in found.items()}
    assert best == PALETTE_WORDS
    assert "High contrast" in found["theme"]  # "theme" finds both switches
