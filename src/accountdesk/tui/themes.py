"""Account Desk's own themes: high contrast, dark and light, beside Textual's built-in ones.

High contrast means pure black and white with saturated accents, text never dimmed (muted text
is as bright as any other), and the shapes that tell focus and errors apart even to someone who
sees no colour (see styles/accessible.tcss, which the ``-shapes`` class on the app switches on).
"""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

__all__ = [
    "HIGH_CONTRAST",
    "HIGH_CONTRAST_LIGHT",
    "THEMES",
    "contrast_partner",
    "is_high_contrast",
    "known_themes",
    "light_dark_partner",
]

HIGH_CONTRAST = "accountdesk-high-contrast"
HIGH_CONTRAST_LIGHT = "accountdesk-high-contrast-light"

# Text at full strength everywhere: Textual derives "muted" and "disabled" text by alpha.
_SOLID_TEXT_DARK = {
    "text-muted": "#ffffff",
    "foreground-muted": "#ffffff",
    "footer-description-foreground": "#ffffff",
    "input-cursor-text-style": "reverse",
    "block-cursor-text-style": "bold reverse",
    "button-focus-text-style": "bold reverse",
}
_SOLID_TEXT_LIGHT = {
    **_SOLID_TEXT_DARK,
    "text-muted": "#000000",
    "foreground-muted": "#000000",
    "footer-description-foreground": "#000000",
}

THEMES = (
    Theme(
        name=HIGH_CONTRAST,
        primary="#ffff00",
        secondary="#00ffff",
        accent="#ffff00",
        foreground="#ffffff",
        background="#000000",
        # Controls (inputs, buttons) sit on a just-visible grey, so a button has a shape.
        surface="#1e1e1e",
        panel="#2e2e2e",
        warning="#ffb000",
        error="#ff6e6e",
        success="#3cff3c",
        dark=True,
        luminosity_spread=0.0,
        text_alpha=1.0,
        variables={**_SOLID_TEXT_DARK, "border": "#ffff00", "border-blurred": "#ffffff"},
    ),
    Theme(
        name=HIGH_CONTRAST_LIGHT,
        primary="#0000b0",
        secondary="#005a5a",
        accent="#0000b0",
        foreground="#000000",
        background="#ffffff",
        surface="#ececec",
        panel="#dcdcdc",
        warning="#7a4100",
        error="#b00000",
        success="#005c00",
        dark=False,
        luminosity_spread=0.0,
        text_alpha=1.0,
        variables={**_SOLID_TEXT_LIGHT, "border": "#0000b0", "border-blurred": "#000000"},
    ),
)

# Light/dark partners; any other theme toggles to the textual pair by its darkness.
_LIGHT_DARK = {
    "textual-dark": "textual-light",
    "textual-light": "textual-dark",
    "ansi-dark": "ansi-light",
    "ansi-light": "ansi-dark",
    HIGH_CONTRAST: HIGH_CONTRAST_LIGHT,
    HIGH_CONTRAST_LIGHT: HIGH_CONTRAST,
}


def known_themes() -> set[str]:
    """Names accepted by ``--theme``, the ``theme`` setting and the remembered preference."""
    return set(BUILTIN_THEMES) | {theme.name for theme in THEMES}


def is_high_contrast(theme: str) -> bool:
    return theme in (HIGH_CONTRAST, HIGH_CONTRAST_LIGHT)


def light_dark_partner(theme: str, *, dark: bool) -> str:
    """The theme ``ctrl+t`` switches to from ``theme`` (whose darkness is ``dark``)."""
    return _LIGHT_DARK.get(theme) or ("textual-light" if dark else "textual-dark")


def contrast_partner(theme: str, *, dark: bool) -> str:
    """High contrast on (keeping dark or light), or back to the ordinary theme of that darkness."""
    if is_high_contrast(theme):
        return "textual-dark" if dark else "textual-light"
    return HIGH_CONTRAST if dark else HIGH_CONTRAST_LIGHT
