"""The footer on a narrow terminal: whole keys only, the palette-listed extras giving way first."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from accountdesk.tui.widgets.fitting_footer import fit, total_width


def key(key_display: str, description: str, action: str, classes: str = "") -> FooterKey:
    return FooterKey(key_display, key_display, description, action, classes=classes)


def footer_keys() -> list[FooterKey]:
    return [
        key("^s", "Log in", "submit"),
        key("esc", "Back", "back"),
        key("^q", "Quit", "app.quit"),
        key("f2", "API log", "app.toggle_api_log"),
        key("^t", "Light/dark", "app.toggle_dark"),
        key("f3", "Mailbox", "app.open_mailbox"),
        key("^l", "Log out", "app.logout"),
        key("^p", "palette", "app.command_palette", classes="-command-palette"),
    ]


def descriptions(widgets: list[object]) -> list[str]:
    return [widget.description for widget in widgets if isinstance(widget, FooterKey)]


def test_everything_stays_when_it_fits() -> None:
    keys = footer_keys()
    assert fit(keys, 200, compact=False) == keys


def test_the_theme_key_gives_way_first_at_80_columns() -> None:
    kept = fit(footer_keys(), 80, compact=True)
    assert descriptions(kept) == [
        "Log in",
        "Back",
        "Quit",
        "API log",
        "Mailbox",
        "Log out",
        "palette",
    ]
    assert total_width(kept, compact=True) <= 80


def test_the_ways_out_and_the_submit_key_are_kept_longest() -> None:
    kept = fit(footer_keys(), 40, compact=True)
    assert descriptions(kept) == ["Log in", "Back", "Quit", "Log out"]
    assert total_width(kept, compact=True) <= 40
