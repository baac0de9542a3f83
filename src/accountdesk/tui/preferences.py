"""What the app remembers about how it looks between runs (today: the theme).

Kept in a small JSON file in the user's state directory: a preference the user chose with a
key (ctrl+t) or the command palette, not configuration they wrote. A theme set explicitly in
config.toml, ``ACCOUNTDESK_THEME`` or ``--theme`` still wins.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import platformdirs

from accountdesk.session import Settings
from accountdesk.session.config import APP_NAME

_log = logging.getLogger(__name__)


def state_path() -> Path:
    return platformdirs.user_state_path(APP_NAME) / "preferences.json"


def _load() -> dict[str, object]:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        _log.warning("ignoring unreadable preferences: %s", error)
        return {}
    return data if isinstance(data, dict) else {}


def starting_theme(settings: Settings) -> str:
    """The theme to start with: an explicit setting, else the one last chosen, else the default."""
    if "theme" in settings.model_fields_set:
        return settings.theme
    from accountdesk.tui.themes import known_themes

    remembered = _load().get("theme")
    if isinstance(remembered, str) and remembered in known_themes():
        return remembered
    return settings.theme


def remember_theme(theme: str) -> None:
    """Save ``theme`` for the next start (a failure to save only costs the preference)."""
    path = state_path()
    data = {**_load(), "theme": theme}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        _log.warning("cannot save the theme preference: %s", error)
