"""Which language the UI speaks at each moment: the terminal's, the customer's, or the one the
operator picked.

- Nobody logged in: the terminal's language (``--lang``, the config, the locale), which the
  operator may change on the login screen.
- A customer logged in: their ``preferredLanguage`` when it is one we ship, unless the setting
  ``follow_customer_language`` is off or the operator switched during this session (the
  operator's choice holds until the session ends).
- The session ended (logout, expiry, deletion, a kiosk's wipe): the terminal's language again,
  so the next customer does not meet the previous one's. A kiosk's wipe also forgets a switch
  made on its welcome screen: the next visitor starts where the kiosk was configured.
"""

from __future__ import annotations

from accountdesk.tui.i18n import SHIPPED_LANGUAGES, shipped_language


class LanguageChoice:
    def __init__(self, configured: str, *, follow_customer: bool) -> None:
        self._configured = configured
        self._terminal = configured
        self._follow_customer = follow_customer
        self._operator_override = False

    @property
    def terminal_language(self) -> str:
        """The language of the login screen (nobody logged in)."""
        return self._terminal

    def for_customer(self, preferred_language: str | None, current: str) -> str | None:
        """The language to switch to now that the customer's ``preferred_language`` is known,
        or None to stay in ``current``."""
        if not self._follow_customer or self._operator_override:
            return None
        wanted = shipped_language(preferred_language)
        return wanted if wanted is not None and wanted != current else None

    def operator_chose(self, language: str, *, logged_in: bool) -> None:
        if logged_in:
            self._operator_override = True
        else:
            self._terminal = language

    def session_ended(self) -> str:
        """Back to the terminal's language; the next session follows its customer again."""
        self._operator_override = False
        return self._terminal

    def wiped(self) -> str:
        """A kiosk's "Start over": the language the kiosk was configured with."""
        self._terminal = self._configured
        return self.session_ended()


def next_language(current: str) -> str:
    """The shipped language after ``current``, round the list (the switch key's target)."""
    index = SHIPPED_LANGUAGES.index(current) if current in SHIPPED_LANGUAGES else -1
    return SHIPPED_LANGUAGES[(index + 1) % len(SHIPPED_LANGUAGES)]
