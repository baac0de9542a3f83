"""The ISO 3166 country list behind the sign-up country picker."""

from __future__ import annotations

from textual.app import App, ComposeResult

from accountdesk.tui.widgets.country_select import (
    CountrySelect,
    all_countries,
    country_by_code,
    match_countries,
)


def test_every_iso_country_once_with_a_two_letter_code() -> None:
    countries = all_countries()
    codes = [country.code for country in countries]
    assert len(codes) == len(set(codes)) == 249
    assert all(len(code) == 2 and code.isupper() for code in codes)


def test_labels_read_code_then_name() -> None:
    germany = country_by_code("de")
    assert germany is not None
    assert germany.label == "DE — Germany"
    assert country_by_code("XX") is None


def test_common_names_are_used_where_pycountry_has_them() -> None:
    bolivia = country_by_code("BO")
    assert bolivia is not None
    assert bolivia.name == "Bolivia"


def test_exact_code_comes_first_then_names_that_start_with_the_text() -> None:
    matches = [country.code for country in match_countries("de")]
    assert matches[0] == "DE"
    # Denmark starts with "De"; Sweden merely contains it.
    assert matches.index("DK") < matches.index("SE")


def test_nothing_typed_lists_everything_and_nonsense_lists_nothing() -> None:
    assert len(match_countries("  ")) == 249
    assert match_countries("Atlantis") == []


class PickerApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[str] = []

    def compose(self) -> ComposeResult:
        yield CountrySelect(value="fr")

    def on_country_select_changed(self, message: CountrySelect.Changed) -> None:
        self.changes.append(message.value)


async def test_changed_messages_carry_the_code() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        picker = app.query_one(CountrySelect)
        assert picker.value == "FR"
        assert picker.text == "FR — France"
        picker.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"japan", "enter")
        await pilot.pause()
        assert picker.value == "JP"
        assert app.changes == ["", "JP"]  # typing dropped France, enter chose Japan
