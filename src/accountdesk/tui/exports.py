"""What the demo keys save: file names, the folder offered, and the secrets a picture must not show.

The HAR and curl text come from `accountdesk.api.har`, the scan from
`accountdesk.session.secret_scan`; this module only gathers what the TUI knows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Literal

import platformdirs
from textual.screen import Screen
from textual.widgets import Input

from accountdesk.session import Settings
from accountdesk.tui.widgets.password_strength import PasswordInput
from accountdesk.tui.widgets.token_input import TokenInput

ExportKind = Literal["screenshot", "har"]

# Pictures go where pictures go, HAR files where downloads go, when that folder exists.
_USUAL_FOLDER: dict[ExportKind, Callable[[], Path]] = {
    "screenshot": platformdirs.user_pictures_path,
    "har": platformdirs.user_downloads_path,
}
_SUFFIX: dict[ExportKind, str] = {"screenshot": "svg", "har": "har"}


def file_name(kind: ExportKind, moment: datetime) -> str:
    """``accountdesk-20250624-093000.svg``: sorts by time, never collides within a demo."""
    stem = "accountdesk" if kind == "screenshot" else "accountdesk-api-log"
    return f"{stem}-{moment:%Y%m%d-%H%M%S}.{_SUFFIX[kind]}"


def default_folder(settings: Settings, kind: ExportKind, last_used: Path | None) -> Path:
    """The folder the save prompt offers: the one chosen last in this run, the configured
    ``export_dir``, the user's pictures (or downloads) folder, or the working directory."""
    if last_used is not None:
        return last_used
    if settings.export_dir is not None:
        return settings.export_dir.expanduser()
    usual = _USUAL_FOLDER[kind]()
    return usual if usual.is_dir() else Path.cwd()


def typed_secrets(screens: Iterable[Screen[object]]) -> list[str]:
    """Passwords and emailed codes typed into the ``screens`` (shown or masked)."""
    return [
        widget.value
        for screen in screens
        for widget in screen.query(Input)
        if isinstance(widget, PasswordInput | TokenInput) and widget.value
    ]
