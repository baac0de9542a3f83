"""Every sentence the app says about errors and notices, in one table.

The core (api, session) reports *what* happened as a code with parameters; this module decides
how to say it. Keeping the words here, not in the core, is what lets the UI be translated: a
second language replaces these templates, and plurals and dates go through `plural` and
`local_time` rather than f-strings scattered over the screens.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from accountdesk.api.errors import (
    AccountDeskError,
    ApiError,
    BadRequestError,
    EmailTakenError,
    ForbiddenError,
    InvalidCodeError,
    MalformedResponseError,
    NotActivatedError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TokenError,
    TransportError,
    UnauthorizedError,
    VersionConflictError,
)
from accountdesk.session.choice import StoreNotice
from accountdesk.tui import i18n
from accountdesk.tui.i18n import N_, _, ngettext

RECONNECT_ADVICE = N_("Press F5 to reconnect.")
SANDBOX_STOPPED = N_("The sandbox stopped.")
NOT_CONNECTED = N_("Not connected.")
SANDBOX_RESTARTED_LOG_IN = N_("The sandbox restarted and your session ended. Log in again.")
UNEXPECTED_FAILURE_TITLE = N_("Something went wrong")
MAILBOX_UNREADABLE = N_("The sandbox mailbox could not be read.")
MAILBOX_NOT_EMPTIED = N_("The sandbox mailbox could not be emptied.")

# By code: the session layer's own conditions.
_BY_CODE = {
    "session_expired": N_("Your session expired. Log in again to continue."),
    "not_logged_in": N_("You are not logged in. Log in to continue."),
    "backend_connecting": N_("Still connecting to the server; try again in a moment."),
    "backend_failed": N_("Not connected to the server. Press F5 to reconnect."),
}

# Social login (session/social.py): what went wrong between the app, the browser and the IdP.
_SOCIAL = {
    "social_not_configured": N_(
        'Log in with Auth0 is not set up for the environment "{environment}". Add its '
        "storefront's Auth0 settings to config.toml: auth0_domain and client_id under "
        "[environments.{environment}.social_login]."
    ),
    "social_timeout": N_("The sign-in did not finish within {duration}. Start it again."),
    "social_state_mismatch": N_(
        "The browser came back with an answer that does not belong to this sign-in, so it "
        "was refused. Start the sign-in again."
    ),
    "social_refused": N_("The sign-in was cancelled at the identity provider ({reason})."),
    "social_bad_redirect": N_("The identity provider came back without a sign-in code."),
    "social_listener_failed": N_(
        "Can't wait for the browser: port {port} on this computer is taken. Close what uses "
        "it, or set another redirect_port under social_login in config.toml."
    ),
}

_STORE_NOTICES = {
    StoreNotice.KIOSK: N_('Kiosk mode: "Remember me" is off and nothing is saved.'),
    StoreNotice.MEMORY_CONFIGURED: N_(
        '"Remember me" is off because token_store is set to "memory".'
    ),
    StoreNotice.KEYRING_UNRESPONSIVE: N_(
        '"Remember me" is off: the OS keyring did not answer (it may be locked). Unlock it and '
        'reconnect, or set token_store = "file" in config.toml.'
    ),
    StoreNotice.NO_KEYRING: N_(
        '"Remember me" is unavailable because no OS keyring was found. To remember sessions in '
        'a private file instead, set token_store = "file" in config.toml or '
        "ACCOUNTDESK_TOKEN_STORE=file."
    ),
}


ERROR_MARK = "✗"
SUCCESS_MARK = "✓"


def marked_error(message: str) -> str:
    """An error as shown on screen: the mark tells it apart where colour cannot."""
    return f"{ERROR_MARK} {message}"


def marked_success(message: str) -> str:
    return f"{SUCCESS_MARK} {message}"


def plural(count: int, one: str, other: str) -> str:
    """``one`` or ``other`` by ``count`` (by the UI language's plural rules), with ``{n}``
    replaced by the count, written the language's way."""
    return ngettext(one, other, count).replace("{n}", number(count))


def number(value: int) -> str:
    """A number as the UI's language writes it (1,234 or 1.234)."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=i18n.babel_locale())


def sentences(*parts: str) -> str:
    """Sentences joined by one space, each ending in exactly one full stop (or ! or ?).

    Messages are built from pieces (a description, then the advice); a piece that already
    ends its sentence must not get a second stop ("available.)." or "reconnect.."), and one
    that does not gets one.
    """
    joined = []
    for part in parts:
        text = part.strip()
        if not text:
            continue
        if text.rstrip(")")[-1:] not in (".", "!", "?"):
            text += "."
        joined.append(text)
    return " ".join(joined)


def with_reconnect_advice(message: str) -> str:
    """``message`` followed by the one advice that helps a lost connection, never twice."""
    advice = _(RECONNECT_ADVICE)
    if advice in message:
        return sentences(message)
    return sentences(message, advice)


def seconds_text(seconds: int) -> str:
    return plural(seconds, "{n} second", "{n} seconds")


def duration_text(seconds: int) -> str:
    """A wait as people say it: seconds up to two minutes, whole minutes beyond."""
    if seconds < 120:
        return seconds_text(seconds)
    return plural(round(seconds / 60), "{n} minute", "{n} minutes")


def wait_to_retry(seconds: int) -> str:
    """The server refused more attempts for ``seconds`` (a lockout, counted down on screen)."""
    return _("Too many attempts. Wait {duration}, then try again.").format(
        duration=seconds_text(seconds)
    )


def ready_to_retry() -> str:
    """A lockout is over."""
    return _("You can try again now.")


def local_time(moment: datetime) -> str:
    """A moment in the user's local time, short (day, month, time), the UI language's way."""
    from babel.dates import format_datetime

    # TRANSLATORS: a CLDR date pattern (day, short month, time), not a sentence.
    pattern = _("dd MMM HH:mm:ss")
    return format_datetime(moment.astimezone(), pattern, locale=i18n.babel_locale())


def host_of(base_url: str | None) -> str:
    return urlsplit(base_url).netloc if base_url else ""


def describe(error: BaseException, base_url: str | None = None) -> str:
    """The sentence a screen shows for a failed request that no single field explains."""
    if not isinstance(error, AccountDeskError):
        return _("Something went wrong: {error}.").format(error=type(error).__name__)
    if error.code in _BY_CODE:
        return _(_BY_CODE[error.code])
    if error.code in _SOCIAL:
        params = dict(error.params)
        if "seconds" in params:
            params["duration"] = duration_text(int(params["seconds"]))
        return _(_SOCIAL[error.code]).format_map(_Blank(params))
    if isinstance(error, TransportError):
        host = host_of(base_url) or error.params.get("server", "")
        if error.code == "timeout":
            # The server was reached (or the request sent): it is slow, not out of reach.
            if host:
                return _(
                    "The server at {host} took too long to answer. Try again in a moment."
                ).format(host=host)
            return _("The server took too long to answer. Try again in a moment.")
        if host:
            return _(
                "Can't reach the server at {host}. Check your connection and try again."
            ).format(host=host)
        return _("Can't reach the server. Check your connection and try again.")
    if isinstance(error, RateLimitedError):
        wait = error.params.get("retry_after")
        if wait is None:
            return _("Too many attempts. Wait a few minutes, then try again.")
        return wait_to_retry(int(wait))
    if isinstance(error, NotActivatedError):
        return _(
            "This account isn't activated yet. Open the link in the activation email, "
            "or send a new one."
        )
    if isinstance(error, UnauthorizedError) and not isinstance(error, TokenError):
        return _("Email or password is incorrect.")
    if isinstance(error, InvalidCodeError):
        return _("This code is not valid: it may have expired or been used already.")
    if isinstance(error, EmailTakenError):
        return _("An account with this email already exists.")
    if isinstance(error, VersionConflictError):
        return _("This was changed elsewhere in the meantime. Reload it and try again.")
    if isinstance(error, NotFoundError):
        return _("That no longer exists on the server; it may have been deleted elsewhere.")
    if isinstance(error, ServerError | MalformedResponseError):
        return _("The server had a problem. Try again in a moment.")
    if isinstance(error, ForbiddenError):
        return _("The server does not allow this for your account.")
    if isinstance(error, BadRequestError | ApiError):
        # The server's own sentence: it names the rule that was broken.
        return _server_sentence(error.message)
    return _server_sentence(error.message)


class _Blank(dict[str, str]):
    """Template values; a missing one reads as an empty string, not a KeyError."""

    def __missing__(self, key: str) -> str:
        return ""


def _server_sentence(message: str) -> str:
    message = message.strip()
    if message and message[-1] not in ".!?":
        message += "."
    return message or _("The server refused the request.")


def store_notice_text(notice: StoreNotice | None) -> str:
    """Why "remember me" is off, and how to turn it on."""
    if notice is None:
        return _(
            'Remember me is off: sessions are kept in memory only. Set token_store = "file" '
            'or "keyring" in config.toml to keep them.'
        )
    return _(_STORE_NOTICES[notice])


# -- kiosk mode (a shared terminal) ------------------------------------------------------------

# Command-line errors, printed before the UI's language is chosen: English, like argparse's.
KIOSK_REFUSES_ENVIRONMENT = (
    'kiosk mode: the environment comes from the config file; add "environment" to '
    "allow under [kiosk_options] to choose it on the command line"
)
KIOSK_REFUSES_CONFIG_PATH = (
    'kiosk mode: the config path is not shown; add "config_path" to allow under [kiosk_options]'
)
START_OVER = N_("Start over")
START_OVER_HELP = N_("End the session and wipe everything entered, for the next customer.")
STILL_THERE_TITLE = N_("Still there?")
STILL_THERE_STAY = N_("I'm still here")
STILL_THERE_HINT = N_("Press any key to stay.")
OPERATOR_PIN_TITLE = N_("Operator")
OPERATOR_PIN_LABEL = N_("PIN")
OPERATOR_PIN_WRONG = N_("Wrong PIN.")
OPERATOR_UNLOCK = N_("Unlock")
OPERATOR_MENU_TITLE = N_("Operator menu")
OPERATOR_QUIT = N_("Quit Account Desk")
OPERATOR_RECONNECT = N_("Reconnect")
OPERATOR_CLOSE = N_("Close")
OPERATOR_HELP = N_("Operator menu (PIN): quit, reconnect.")


def kiosk_banner(idle_seconds: int) -> str:
    """The line every kiosk screen shows under the status line."""
    return _("Shared terminal · your session ends and is wiped after {duration} idle").format(
        duration=duration_text(idle_seconds)
    )


def session_ends_in(seconds: int) -> str:
    """The countdown before an idle kiosk session ends."""
    return _("Your session ends in {duration} and everything entered is wiped.").format(
        duration=seconds_text(seconds)
    )


# -- accessibility and demo exports (binding names, dialogs, notices) -----------------------

HIGH_CONTRAST_KEY = N_("High contrast")
HIGH_CONTRAST_TOOLTIP = N_("Switch the high-contrast theme on or off (dark or light, as now).")
COPY_CURL_KEY = N_("Copy as curl")
COPY_CURL_TOOLTIP = N_(
    "Copy the selected API request as a curl command; tokens and passwords read ***."
)
SAVE_HAR_KEY = N_("Save HAR")
SAVE_HAR_TOOLTIP = N_(
    "Save the whole API log as a HAR file that browsers' developer tools open; "
    "tokens and passwords read ***."
)
SCREENSHOT_KEY = N_("Screenshot")
SCREENSHOT_TOOLTIP = N_(
    "Save the current screen as an SVG picture (not saved if it shows a password or token)."
)

SAVE = N_("Save")
CANCEL = N_("Cancel")
CLOSE = N_("Close")
FOLDER_LABEL = N_("Folder")
NO_SUCH_FOLDER = N_("There is no folder at this path.")
SAVE_SCREENSHOT_TITLE = N_("Save a picture of this screen")
SAVE_HAR_TITLE = N_("Save the API log as a HAR file")
CURL_TITLE = N_("The request as a curl command")
CURL_NOTE = N_(
    "Sent to the terminal's clipboard (OSC 52); if your terminal ignores that, select it "
    "below. Put your own token or password where it reads ***."
)
NO_REQUEST_SELECTED = N_("Select a request in the API log first.")
API_LOG_EMPTY = N_("The API log is empty: there is nothing to save yet.")
NOT_SAVED_TITLE = N_("Not saved")
SAVED_TITLE = N_("Saved")
SCREENSHOT_REFUSED = N_(
    "The screen shows a password or token, so the picture was not saved. Hide it (ctrl+o) "
    "or clear the field, then try again."
)

# What the command palette also matches, by binding id: the words a user types for an action
# whose name does not contain them ("theme" for Light/dark). Translated where matched.
PALETTE_KEYWORDS = {
    "toggle-theme": N_("theme colours dark light mode"),
    "toggle-contrast": N_("theme colours contrast accessibility"),
    "account-addresses": N_("address book"),
    "addresses-add": N_("new address"),
    "screenshot": N_("picture svg save screen"),
    "api-log-save-har": N_("export har network devtools"),
    "api-log-copy-curl": N_("request curl clipboard"),
    "switch-language": N_("language english german deutsch sprache translate"),
}


def saved_as_hint(file_name: str) -> str:
    return _("Saved as {file_name}").format(file_name=file_name)


def saved_to(path: object) -> str:
    return _("Saved to {path}.").format(path=path)


def save_failed(error: BaseException) -> str:
    reason = getattr(error, "strerror", None) or type(error).__name__
    return _("Could not save the file: {reason}.").format(reason=reason)
