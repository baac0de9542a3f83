"""Where Account Desk keeps its files.

Apart from `accountdesk.session.config` (which needs pydantic), so the TUI can find its state
and data directories before its first paint.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "accountdesk"
CONFIG_ENV_VAR = "ACCOUNTDESK_CONFIG"


def config_path() -> Path:
    """Where the TOML configuration file is read from (``ACCOUNTDESK_CONFIG`` wins)."""
    override = os.environ.get(CONFIG_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "config.toml"
