"""Where the app's stylesheets live, installed (wheel) or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# The wheel ships styles/ inside the package (pyproject force-include); an editable install
# reads the repository's top-level styles/ directly, so edits show up without reinstalling.
_CANDIDATES = (_PACKAGE_ROOT / "styles", _PACKAGE_ROOT.parent.parent / "styles")

# app.tcss first: the shell's layout, then the flows' form styling may refine it.
_ORDER = ("app.tcss", "forms.tcss")


def styles_dir() -> Path:
    """The first directory that holds the app stylesheet."""
    for candidate in _CANDIDATES:
        if (candidate / "app.tcss").is_file():
            return candidate
    searched = ", ".join(str(candidate) for candidate in _CANDIDATES)
    raise FileNotFoundError(f"Account Desk stylesheets not found (looked in {searched})")


def stylesheets() -> list[Path]:
    """Every ``*.tcss`` file, app.tcss first, then forms.tcss, then the rest by name."""
    directory = styles_dir()
    found = {path.name: path for path in directory.glob("*.tcss")}
    ordered = [found.pop(name) for name in _ORDER if name in found]
    return ordered + [found[name] for name in sorted(found)]
