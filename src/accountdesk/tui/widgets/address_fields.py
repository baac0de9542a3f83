"""The postal address fields, with the chosen country's rules (Google's address data).

The country decides which fields are required, what the postal code looks like, what the
city and state/region are called, and whether the state/region is picked from a list (US
states, Canadian provinces…) or typed. Phone numbers are checked for the chosen country.
Widget ids all start with the given prefix (``address-street``, ``signup-zip``…), so two
forms can use the same fields without clashing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from accountdesk.api import Address, AddressCreate, AddressUpdate, Metadata
from accountdesk.tui.address_rules import (
    CITY,
    STATE,
    STREET,
    ZIP,
    CountryRules,
    phone_problem,
    postal_code_problem,
    rules_for,
    state_value,
)
from accountdesk.tui.i18n import _
from accountdesk.tui.widgets.country_select import CountrySelect, match_countries
from accountdesk.tui.widgets.form_field import Check, FormField


@dataclass(frozen=True, slots=True)
class AddressParts:
    """Which optional fields a form shows (the sign-up form asks company and phone in its
    personal section already, and keeps its first address short)."""

    company: bool = True
    appendix: bool = True
    phone: bool = True


ALL_PARTS = AddressParts()

# field key (the id suffix) -> JSON name in the address body
_JSON_NAMES = {
    "contact-name": "contactName",
    "company": "companyName",
    "street": "street",
    "street-number": "streetNumber",
    "street-appendix": "streetAppendix",
    "zip": "zipCode",
    "city": "city",
    "country": "country",
    "state": "state",
    "phone": "contactPhone",
}


def _keys(parts: AddressParts) -> list[str]:
    left_out = {
        key
        for key, shown in (
            ("company", parts.company),
            ("street-appendix", parts.appendix),
            ("phone", parts.phone),
        )
        if not shown
    }
    return [key for key in _JSON_NAMES if key not in left_out]


def address_field_paths(
    prefix: str, json_prefix: str = "", parts: AddressParts = ALL_PARTS
) -> dict[str, str]:
    """Server JSON paths (``zipCode``, ``customerAddress.street``…) -> the `FormField` ids of
    `AddressFields` with this ``prefix``, so a 400's field problems land next to the fields."""
    return {f"{json_prefix}{_JSON_NAMES[key]}": f"{prefix}-{key}-field" for key in _keys(parts)}


class StateChoice(Vertical):
    """State/region: a list when the country has one, free text otherwise."""

    DEFAULT_CSS = """
    StateChoice {
        height: auto;
    }
    StateChoice > .-hidden {
        display: none;
    }
    """

    def __init__(self, prefix: str) -> None:
        super().__init__(id=f"{prefix}-state-control")
        self._prefix = prefix

    def compose(self) -> ComposeResult:
        yield Select[str](
            (), prompt=_("(choose)"), id=f"{self._prefix}-state-choice", classes="-hidden"
        )
        yield Input(id=f"{self._prefix}-state")

    @property
    def choice(self) -> Select[str]:
        return self.query_one(Select)

    @property
    def text_input(self) -> Input:
        return self.query_one(Input)

    @property
    def offers_choices(self) -> bool:
        return not self.choice.has_class("-hidden")

    @property
    def value(self) -> str:
        if self.offers_choices:
            chosen = self.choice.value
            return chosen if isinstance(chosen, str) else ""
        return self.text_input.value

    def offer(self, choices: tuple[tuple[str, str], ...], current: str) -> None:
        """Show ``choices`` (or free text when there are none), keeping ``current`` if it is
        one of them; a stored value the list doesn't know is kept as an extra option."""
        select = self.choice
        if choices:
            values = {value for _label, value in choices}
            # Rich Text, not str: a stored value is shown as typed, never read as markup.
            extra = ((Text(current), current),) if current and current not in values else ()
            select.set_options((*extra, *choices))
            select.value = current if current else Select.NULL
        else:
            select.set_options(())
            # Leaving a country with a list: a choice like "CA" is no use as free text.
            if self.offers_choices:
                self.text_input.value = ""
        select.set_class(not choices, "-hidden")
        self.text_input.set_class(bool(choices), "-hidden")

    def focus(self, scroll_visible: bool = True) -> StateChoice:
        (self.choice if self.offers_choices else self.text_input).focus(scroll_visible)
        return self


def _relabel(field: FormField, label: str, required: bool) -> None:
    """Show the country's word for a field and whether it is required there."""
    changed = field.label != label or field.required != required
    field.label = label
    field.required = required
    if changed and field.is_mounted:
        field.query_one(".form-field--label", Label).update(f"{label} *" if required else label)


class AddressFields(Vertical):
    """Contact, company, street, number, appendix, ZIP code, city, country, state/region and
    phone of one address, checked by the chosen country's rules.

    ``optional``: an address the user may leave out entirely (nothing is required until
    something is typed). ``contact_required``: False when the form fills in the contact name
    itself (sign-up uses the customer's name).
    """

    DEFAULT_CSS = """
    AddressFields {
        height: auto;
    }
    """

    def __init__(
        self,
        prefix: str,
        *,
        parts: AddressParts = ALL_PARTS,
        optional: bool = False,
        contact_required: bool = True,
        contact_placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"{prefix}-address", classes=classes)
        self.prefix = prefix
        self.parts = parts
        self.optional = optional
        self.contact_required = contact_required
        self._contact_placeholder = contact_placeholder
        self.rules: CountryRules = rules_for("")

    # -- building ------------------------------------------------------------------------------

    def _input(self, key: str, placeholder: str = "") -> Input:
        return Input(placeholder=placeholder, id=f"{self.prefix}-{key}")

    def _field(
        self,
        label: str,
        key: str,
        placeholder: str = "",
        *,
        control: Widget | None = None,
        check: Check | None = None,
        required: bool = False,
    ) -> FormField:
        return FormField(
            label,
            control or self._input(key, placeholder),
            check=check,
            required=required,
            id=f"{self.prefix}-{key}-field",
        )

    def compose(self) -> ComposeResult:
        required_from_start = not self.optional
        contact = self._field(
            _("Contact name"),
            "contact-name",
            self._contact_placeholder,
            required=required_from_start and self.contact_required,
        )
        if self.parts.company:
            with Horizontal(classes="form-row"):
                yield contact
                yield self._field(_("Company"), "company")
        else:
            yield contact
        with Horizontal(classes="form-row"):
            yield self._field(_("Street"), "street", required=required_from_start)
            yield self._field(_("Number"), "street-number")
        if self.parts.appendix:
            yield self._field(_("Street appendix"), "street-appendix", _("floor, building, c/o…"))
        with Horizontal(classes="form-row"):
            yield self._field(
                _("ZIP code"), "zip", check=self._zip_problem, required=required_from_start
            )
            yield self._field(_("City"), "city", required=required_from_start)
        with Horizontal(classes="form-row"):
            yield self._field(
                _("Country"),
                "country",
                control=CountrySelect(id=f"{self.prefix}-country"),
                check=self._country_problem,
                required=required_from_start,
            )
            yield self._field(_("State/region"), "state", control=StateChoice(self.prefix))
        if self.parts.phone:
            yield self._field(
                _("Phone"), "phone", _("with the country code if abroad"), check=self._phone_problem
            )

    # -- reading -------------------------------------------------------------------------------

    def field(self, key: str) -> FormField:
        """The field ``key`` (``street``, ``zip``, ``country``…)."""
        return self.query_one(f"#{self.prefix}-{key}-field", FormField)

    @property
    def country_select(self) -> CountrySelect:
        return self.query_one(f"#{self.prefix}-country", CountrySelect)

    @property
    def state_choice(self) -> StateChoice:
        return self.query_one(StateChoice)

    @property
    def country(self) -> str:
        """The chosen country's code, "" for none."""
        return self.country_select.value

    def _text(self, key: str) -> str:
        return self.field(key).value.strip()

    def is_blank(self) -> bool:
        """Nothing typed or chosen at all (an optional address left out)."""
        return not any(self.field(key).entered.strip() for key in _keys(self.parts))

    def field_paths(self, json_prefix: str = "") -> dict[str, str]:
        return address_field_paths(self.prefix, json_prefix, self.parts)

    # -- the country's rules -------------------------------------------------------------------

    def apply_rules(self) -> None:
        """Labels, required marks and the state/region list for the chosen country."""
        rules = rules_for(self.country)
        country_changed = rules.code != self.rules.code
        self.rules = rules
        active = not self.optional or not self.is_blank()
        _relabel(self.field("contact-name"), _("Contact name"), active and self.contact_required)
        _relabel(self.field("street"), _("Street"), active and STREET in rules.required)
        _relabel(self.field("zip"), _(rules.postal_label), active and ZIP in rules.required)
        _relabel(self.field("city"), _(rules.city_label), active and CITY in rules.required)
        _relabel(self.field("country"), _("Country"), active)
        _relabel(self.field("state"), _(rules.state_label), active and STATE in rules.required)
        self.query_one(f"#{self.prefix}-zip", Input).placeholder = rules.postal_placeholder
        if country_changed:
            current = self.state_choice.value
            self.state_choice.offer(rules.state_choices, state_value(rules, current) or "")

    @on(CountrySelect.Changed)
    def _country_changed(self, event: CountrySelect.Changed) -> None:
        if event.country_select.id != f"{self.prefix}-country":
            return
        self.apply_rules()
        for key in ("zip", "state", *(("phone",) if self.parts.phone else ())):
            self.field(key).recheck()

    @on(Select.Changed)
    def _state_chosen(self, event: Select.Changed) -> None:
        if event.select.id == f"{self.prefix}-state-choice":
            self.field("state").recheck()
            self.field("zip").recheck()  # a ZIP code must belong to the state

    def _zip_problem(self, value: str) -> str | None:
        if not self.rules.uses_postal_code:
            return None
        return postal_code_problem(self.country, value, self.state_choice.value or None)

    def _phone_problem(self, value: str) -> str | None:
        return phone_problem(self.country, value)

    def _country_problem(self, _code: str) -> str | None:
        country = self.country_select
        if country.value:
            return None
        if not match_countries(country.text):
            return _("No country matches {text!r}; try its name or two-letter code.").format(
                text=country.text.strip()
            )
        return _("Pick a country from the list (type to filter, enter to choose).")

    def validate(self) -> list[FormField]:
        """Apply the rules, check every field and show the results; the invalid fields."""
        self.apply_rules()
        return [field for field in self.query(FormField) if not field.validate()]

    # -- loading and saving --------------------------------------------------------------------

    def load(self, address: Address) -> None:
        """Fill the fields with a stored address (the widget must be mounted)."""
        for key, text in (
            ("contact-name", address.contact_name),
            ("company", address.company_name),
            ("street", address.street),
            ("street-number", address.street_number),
            ("street-appendix", address.street_appendix),
            ("zip", address.zip_code),
            ("city", address.city),
            ("phone", address.contact_phone),
        ):
            found = self.query(f"#{self.prefix}-{key}")
            if found:
                found.only_one(Input).value = text or ""
        code = (address.country or "").strip().upper()
        try:
            self.country_select.select_code(code)
        except ValueError:
            self.country_select.query_one(Input).value = address.country or ""
        self.apply_rules()
        state = address.state or ""
        if self.rules.state_choices:
            self.state_choice.offer(
                self.rules.state_choices, state_value(self.rules, state) or state
            )
        else:
            self.state_choice.text_input.value = state

    def _values(self) -> dict[str, str]:
        """Model attribute -> the trimmed text (postal codes in capitals, as they are
        printed)."""
        values = {
            "contact_name": self._text("contact-name"),
            "street": self._text("street"),
            "street_number": self._text("street-number"),
            "zip_code": self._text("zip").upper(),
            "city": self._text("city"),
            "country": self.country,
            "state": self.state_choice.value.strip(),
        }
        if self.parts.company:
            values["company_name"] = self._text("company")
        if self.parts.appendix:
            values["street_appendix"] = self._text("street-appendix")
        if self.parts.phone:
            values["contact_phone"] = self._text("phone")
        return values

    def to_create(self, *, contact_name: str = "") -> AddressCreate:
        """A new address from the fields; blanks are left out. ``contact_name`` fills in an
        empty contact name."""
        values = self._values()
        values["contact_name"] = values["contact_name"] or contact_name
        return AddressCreate.model_validate({name: value or None for name, value in values.items()})

    def to_update(self, version: int | None = None) -> AddressUpdate:
        """The changes for a stored address: every field shown, blanks as "" so that a field
        the user emptied is emptied on the server too. With ``version`` the server refuses
        (409) if someone changed the address since it was read."""
        metadata = Metadata(version=version) if version is not None else None
        return AddressUpdate.model_validate({**self._values(), "metadata": metadata})
