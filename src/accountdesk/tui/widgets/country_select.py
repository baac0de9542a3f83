"""Pick a country by typing part of its name or its ISO 3166-1 alpha-2 code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from accountdesk.tui import i18n
from accountdesk.tui.i18n import N_, _


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    """ISO 3166-1 alpha-2, the value the API expects."""
    name: str

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


def all_countries() -> tuple[Country, ...]:
    """Every ISO 3166-1 country, by name in the UI's language; the common name where
    pycountry has one."""
    return _all_countries(i18n.language())


@cache
def _all_countries(ui_language: str) -> tuple[Country, ...]:
    countries = (
        Country(
            entry.alpha_2,
            i18n.country_name(getattr(entry, "common_name", None) or entry.name, ui_language),
        )
        for entry in pycountry.countries
    )
    return tuple(sorted(countries, key=lambda country: country.name.casefold()))


def country_by_code(code: str) -> Country | None:
    wanted = code.strip().upper()
    return next((country for country in all_countries() if country.code == wanted), None)


def match_countries(query: str) -> list[Country]:
    """Countries for what was typed: the exact code first, then names that start with it,
    then names or labels that contain it."""
    needle = query.strip().casefold()
    if not needle:
        return list(all_countries())
    exact = [c for c in all_countries() if c.code.casefold() == needle]
    starts = [c for c in all_countries() if c.name.casefold().startswith(needle) and c not in exact]
    contains = [
        c
        for c in all_countries()
        if needle in c.label.casefold() and c not in exact and c not in starts
    ]
    return exact + starts + contains


class CountrySelect(Vertical):
    """A filter box over the ISO 3166 list; the value is only ever a code from that list.

    Typing filters; up/down move through the matches; enter picks one (or the only match on
    leaving the field). Free text never becomes the value.
    """

    DEFAULT_CSS = """
    CountrySelect {
        height: auto;
    }
    CountrySelect > OptionList {
        height: auto;
        max-height: 8;
        display: none;
    }
    CountrySelect.-open > OptionList {
        display: block;
    }
    """

    BINDINGS = [
        Binding("down", "move(1)", N_("Next country"), show=False, id="country-next"),
        Binding("up", "move(-1)", N_("Previous country"), show=False, id="country-previous"),
        Binding("escape", "close", N_("Close the country list"), show=False, id="country-close"),
    ]

    class Changed(Message):
        """The chosen country changed; `value` is the code, or "" for none."""

        def __init__(self, country_select: CountrySelect, value: str) -> None:
            super().__init__()
            self.country_select = country_select
            self.value = value

        @property
        def control(self) -> CountrySelect:
            return self.country_select

    def __init__(
        self,
        value: str = "",
        *,
        placeholder: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        chosen = country_by_code(value) if value else None
        self._country = chosen
        self._placeholder = placeholder or _("Type a country or its code, e.g. Germany or DE")

    def compose(self) -> ComposeResult:
        yield Input(
            self._country.label if self._country else "",
            placeholder=self._placeholder,
            classes="country-filter",
        )
        options = OptionList(classes="country-options")
        # Clicking a match must not move focus: leaving the filter box closes the list.
        options.can_focus = False
        yield options

    @property
    def value(self) -> str:
        return self._country.code if self._country else ""

    @property
    def is_open(self) -> bool:
        """True while the list of matches is showing."""
        return self.has_class("-open")

    @property
    def text(self) -> str:
        """What is typed in the filter box (may name no country)."""
        return self.query_one(".country-filter", Input).value

    # The form field's `ChoiceControl` protocol.
    @property
    def entered(self) -> str:
        return self.text

    @property
    def choosing(self) -> bool:
        return self.is_open

    def select_code(self, code: str) -> None:
        country = country_by_code(code)
        if country is None:
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        self._choose(country)

    def focus(self, scroll_visible: bool = True) -> CountrySelect:
        self.query_one(".country-filter", Input).focus(scroll_visible)
        return self

    def _choose(self, country: Country | None) -> None:
        changed = country != self._country
        self._country = country
        self.remove_class("-open")
        if country is not None:
            filter_input = self.query_one(".country-filter", Input)
            # Value first, then the text: the text change bubbles to the FormField, which
            # reads `value` and must already see the new code.
            filter_input.value = country.label
            filter_input.cursor_position = len(country.label)
        if changed:
            self.post_message(self.Changed(self, self.value))

    def _refill(self, query: str) -> None:
        options = self.query_one(".country-options", OptionList)
        matches = match_countries(query)
        options.set_options(Option(country.label, id=country.code) for country in matches)
        if matches:
            options.highlighted = 0
        self.set_class(bool(matches), "-open")

    @on(Input.Changed, ".country-filter")
    def _typed(self, event: Input.Changed) -> None:
        if self._country is not None and event.value == self._country.label:
            return
        if self._country is not None:
            self._country = None
            self.post_message(self.Changed(self, ""))
        if event.value.strip():
            self._refill(event.value)
        else:
            self.remove_class("-open")

    @on(Input.Submitted, ".country-filter")
    def _enter(self, event: Input.Submitted) -> None:
        if not self.has_class("-open"):
            return  # let the form submit
        event.stop()
        self._pick_highlighted()

    @on(Input.Blurred, ".country-filter")
    def _left(self, event: Input.Blurred) -> None:
        if self._country is not None or not event.value.strip():
            return
        matches = match_countries(event.value)
        exact = [
            c
            for c in matches
            if event.value.strip().casefold() in (c.code.casefold(), c.name.casefold())
        ]
        if len(exact) == 1 or len(matches) == 1:
            self._choose((exact or matches)[0])
        else:
            self.remove_class("-open")

    @on(OptionList.OptionSelected, ".country-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._choose(country_by_code(event.option.id))
        self.query_one(".country-filter", Input).focus()

    def _pick_highlighted(self) -> None:
        options = self.query_one(".country-options", OptionList)
        if options.highlighted is None:
            return
        option_id = options.get_option_at_index(options.highlighted).id
        if option_id is not None:
            self._choose(country_by_code(option_id))

    def action_move(self, step: int) -> None:
        if not self.has_class("-open"):
            if not self.text.strip() or self._country is not None:
                raise SkipAction()
            self._refill(self.text)
            return
        options = self.query_one(".country-options", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_close(self) -> None:
        if not self.has_class("-open"):
            raise SkipAction()
        self.remove_class("-open")
