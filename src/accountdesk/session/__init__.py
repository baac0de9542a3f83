"""Session layer: who is logged in, token refresh, remembered sessions and configuration."""

from accountdesk.session.account import AccountService, open_account
from accountdesk.session.choice import (
    KeyringProbe,
    StoreNotice,
    TokenStoreChoice,
    choose_token_store,
    pick_token_store,
    probe_keyring,
)
from accountdesk.session.config import (
    ConfigError,
    Environment,
    Settings,
    config_path,
    load_settings,
)
from accountdesk.session.errors import BackendNotReadyError, NotLoggedInError, SessionExpiredError
from accountdesk.session.events import (
    EmailChanged,
    LoggedIn,
    LoggedOut,
    LogoutReason,
    SessionEvent,
    SessionState,
)
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
