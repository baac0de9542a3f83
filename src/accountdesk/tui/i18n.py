"""The UI's language: gettext catalogues built with Babel, English as the source language.

Screens call `_` (and `ngettext` through `wording.plural`) when they build what they show, so
whichever language is active at that moment is the one painted. Texts fixed at import time
(``BINDINGS``, ``TITLE``, tables of sentences) are only marked with `N_` and translated where
they are shown (the footer, the palette, the header, `wording`), so a module imported before
the language was chosen still speaks it.

``python3 dev.py i18n`` extracts the messages (babel.cfg), updates the catalogues and compiles
them; the compiled ``.mo`` files ship in the wheel.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

DOMAIN = "accountdesk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
# The languages with a catalogue in LOCALE_DIR, besides the source language.
SHIPPED_LANGUAGES = (SOURCE_LANGUAGE, "de")

# gettext's order (GNU gettext manual, "Locale Environment Variables").
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def _(message: str) -> str:
    """``message`` in the UI's language (itself when the catalogue lacks it)."""
    # gettext("") is the catalogue's header, never what an empty title means.
    return _active.gettext(message) if message else message


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it yet (see the module doc)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active.ngettext(singular, plural, count)


def language() -> str:
    """The active UI language: one of `SHIPPED_LANGUAGES`."""
    return _language


def shipped_language(tag: str | None) -> str | None:
    """The shipped language a locale or language tag names ("de_DE.UTF-8", "de-AT", "DE"),
    or None."""
    if not tag:
        return None
    primary = tag.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].casefold()
    return primary if primary in SHIPPED_LANGUAGES else None


def choose_language(requested: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The language to show: ``requested`` (``--lang``, the config) if given, else the
    environment's locale the way gettext reads it, else English."""
    if requested:
        return shipped_language(requested) or SOURCE_LANGUAGE
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        # LANGUAGE is a priority list ("de:en"); the first set variable decides.
        for tag in value.split(":"):
            found = shipped_language(tag)
            if found:
                return found
        return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def use_language(tag: str) -> None:
    """Make ``tag`` (a shipped language) the one `_` answers in, from the next call on."""
    global _active, _language
    _language = shipped_language(tag) or SOURCE_LANGUAGE
    _active = _catalogue(_language)


@cache
def _catalogue(tag: str) -> gettext.NullTranslations:
    if tag == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[tag])


def babel_locale() -> str:
    """The active language as Babel names locales (for dates and numbers)."""
    return _language


@cache
def _pycountry_catalogue(domain: str, tag: str) -> gettext.NullTranslations:
    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[tag], fallback=True)


def pycountry_name(domain: str, english_name: str, tag: str | None = None) -> str:
    """A name from one of pycountry's standards ("iso3166-1" countries, "iso4217" currencies,
    "iso639-3" languages), as pycountry spells it in English, in the language ``tag`` (by
    default the UI's). Lists cached per language pass their ``tag``: the preload builds them
    on another thread, while the active language may change (from one test's app to the
    next)."""
    tag = tag or _language
    if tag == SOURCE_LANGUAGE:
        return english_name
    return _pycountry_catalogue(domain, tag).gettext(english_name)


def country_name(english_name: str, tag: str | None = None) -> str:
    return pycountry_name("iso3166-1", english_name, tag)
