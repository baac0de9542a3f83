"""Key descriptions in the UI's language, where Textual reads them.

A binding's description and tooltip are fixed when its class is defined (marked with `N_`),
before the language is chosen, and the language can change while the app runs. Every screen
therefore translates them in ``active_bindings``: the one place Textual's footer, its key panel
("Keys" in the palette) and our palette provider read them from.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding

from accountdesk.tui.i18n import N_, _

# Textual's own binding descriptions (the command palette's key, and the widgets' keys that its
# key panel lists), marked for the catalogue; tests/tui/test_german.py keeps the list complete.
TEXTUAL_DESCRIPTIONS = (
    N_("palette"),
    N_("Open the command palette"),
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Delete character left"),
    N_("Select all"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Delete character right"),
    N_("Submit"),
    N_("Delete left to start of word"),
    N_("Delete all to the left"),
    N_("Delete right to start of word"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Copy selected text"),
    N_("Paste text from the clipboard"),
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
    N_("Page Up"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Press button"),
    N_("Toggle"),
    N_("Select"),
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Cursor right"),
    N_("Cursor left"),
    N_("Page up"),
    N_("Page down"),
    N_("Top"),
    N_("Bottom"),
    N_("Home"),
    N_("End"),
    N_("Show menu"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cursor line start"),
    N_("Cursor line end"),
    N_("Cursor page up"),
    N_("Cursor page down"),
    N_("Cursor left word select"),
    N_("Cursor right word select"),
    N_("Cursor line start select"),
    N_("Cursor line end select"),
    N_("Cursor up select"),
    N_("Cursor down select"),
    N_("Cursor left select"),
    N_("Cursor right select"),
    N_("Select line"),
    N_("Cut"),
    N_("Copy"),
    N_("Paste"),
    N_("Delete to line start"),
    N_("Delete to line end"),
    N_("Delete line"),
    N_("Undo"),
    N_("Redo"),
    N_("Down"),
    N_("Last"),
    N_("First"),
    N_("Up"),
    N_("Next option"),
    N_("Previous option"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Dismiss menu"),
)


def localized(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """``Screen.active_bindings`` with descriptions and tooltips in the UI's language."""
    return {key: _localized(active) for key, active in bindings.items()}


def _localized(active: ActiveBinding) -> ActiveBinding:
    binding = active.binding
    shown = replace(binding, description=_(binding.description), tooltip=_(binding.tooltip))
    return active._replace(binding=shown, tooltip=_(active.tooltip))
