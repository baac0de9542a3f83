"""Session layer: who is logged in, token refresh, remembered sessions and configuration.

The names load on first use (see `accountdesk._lazy`): the TUI paints its first screen with
the light modules (events, errors, token-store notices) before the session manager, the API
client and pydantic are imported. Type checkers read the imports below.
"""

from typing import TYPE_CHECKING

from accountdesk._lazy import lazy_exports

if TYPE_CHECKING:
    from accountdesk.session.account import AccountService, open_account
    from accountdesk.session.choice import (
        KeyringProbe,
        StoreNotice,
        TokenStoreChoice,
        choose_token_store,
        pick_token_store,
        probe_keyring,
    )
    from accountdesk.session.config import ConfigError, Environment, Settings, load_settings
    from accountdesk.session.errors import (
        BackendNotReadyError,
        NotLoggedInError,
        SessionExpiredError,
    )
    from accountdesk.session.events import (
        EmailChanged,
        LoggedIn,
        LoggedOut,
        LogoutReason,
        SessionEvent,
        SessionState,
    )
    from accountdesk.session.locations import config_path
    from accountdesk.session.manager import SessionManager, refresh_margin
    from accountdesk.session.stores import (
        FileTokenStore,
        KeyringTokenStore,
        MemoryTokenStore,
        StoredSession,
        TokenStore,
        TokenStoreError,
    )

__all__ = [
    "AccountService",
    "BackendNotReadyError",
    "ConfigError",
    "EmailChanged",
    "Environment",
    "FileTokenStore",
    "KeyringProbe",
    "KeyringTokenStore",
    "LoggedIn",
    "LoggedOut",
    "LogoutReason",
    "MemoryTokenStore",
    "NotLoggedInError",
    "SessionEvent",
    "SessionExpiredError",
    "SessionManager",
    "SessionState",
    "Settings",
    "StoreNotice",
    "StoredSession",
    "TokenStore",
    "TokenStoreChoice",
    "TokenStoreError",
    "choose_token_store",
    "config_path",
    "load_settings",
    "open_account",
    "pick_token_store",
    "probe_keyring",
    "refresh_margin",
]

if not TYPE_CHECKING:  # a __getattr__ would make any misspelt import type-check as Any
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "account": (
                "AccountService",
                "open_account",
            ),
            "choice": (
                "KeyringProbe",
                "StoreNotice",
                "TokenStoreChoice",
                "choose_token_store",
                "pick_token_store",
                "probe_keyring",
            ),
            "config": (
                "ConfigError",
                "Environment",
                "Settings",
                "load_settings",
            ),
            "locations": ("config_path",),
            "errors": (
                "BackendNotReadyError",
                "NotLoggedInError",
                "SessionExpiredError",
            ),
            "events": (
                "EmailChanged",
                "LoggedIn",
                "LoggedOut",
                "LogoutReason",
                "SessionEvent",
                "SessionState",
            ),
            "manager": (
                "SessionManager",
                "refresh_margin",
            ),
            "stores": (
                "FileTokenStore",
                "KeyringTokenStore",
                "MemoryTokenStore",
                "StoredSession",
                "TokenStore",
                "TokenStoreError",
            ),
        },
    )
