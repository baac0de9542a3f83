"""The personal part of a profile (title, names, contact details, preferences), shared by the
signup form and the profile editor.

Every id derives from a prefix: the control of ``firstName`` is ``#<prefix>-first-name`` and
its `FormField` ``#<prefix>-first-name-field``, so two forms can hold one each and tests can
find them. Values are exchanged by model attribute name (``first_name``), the way
`CustomerDetails` / `CustomerPatch` take them; server problems arrive by JSON path
(``firstName`` or ``customerDetails.firstName``), see `personal_field_paths`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import pycountry
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from accountdesk.api import Customer, CustomerDetails
from accountdesk.tui import i18n
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.validation import email_problem, phone_problem
from accountdesk.tui.widgets.form_field import Check, FormField

PersonalValues = dict[str, str | None]
"""Model attribute name (``first_name``) -> the value, None when blank or not chosen."""


@dataclass(frozen=True, slots=True)
class PersonalField:
    key: str
    """The JSON name in request and response bodies (``firstName``)."""
    attribute: str
    """The attribute of `Customer` / `CustomerDetails` (``first_name``)."""
    label: str
    id_suffix: str
    choice: bool = False
    """Picked from a list (a `Select`) rather than typed."""


FIELDS = (
    PersonalField("title", "title", N_("Title"), "title", choice=True),
    PersonalField("firstName", "first_name", N_("First name"), "first-name"),
    PersonalField("middleName", "middle_name", N_("Middle name"), "middle-name"),
    PersonalField("lastName", "last_name", N_("Last name"), "last-name"),
    PersonalField("contactEmail", "contact_email", N_("Contact email"), "contact-email"),
    PersonalField("contactPhone", "contact_phone", N_("Phone"), "phone"),
    PersonalField("company", "company", N_("Company"), "company"),
    PersonalField(
        "preferredLanguage", "preferred_language", N_("Preferred language"), "language", choice=True
    ),
    PersonalField(
        "preferredCurrency", "preferred_currency", N_("Preferred currency"), "currency", choice=True
    ),
    PersonalField("preferredSite", "preferred_site", N_("Preferred site"), "site"),
)
_BY_KEY = {field.key: field for field in FIELDS}
_BY_ATTRIBUTE = {field.attribute: field for field in FIELDS}

ALL_PARTS = tuple(field.key for field in FIELDS)
# At signup the login email is the contact email, and the site is the storefront's business.
SIGNUP_PARTS = (
    "title",
    "firstName",
    "lastName",
    "contactPhone",
    "company",
    "preferredLanguage",
    "preferredCurrency",
)

_TITLES = ((N_("Mr"), "MR"), (N_("Ms"), "MS"), (N_("Mrs"), "MRS"), (N_("Dr"), "DR"))
_PHONE_HINT = N_("With the country code: +44 20 7946 0018")


def language_options() -> tuple[tuple[str, str], ...]:
    """ISO 639-1 languages as "English (en)", sorted by name, in the UI's language."""
    return _language_options(i18n.language())


@cache
def _language_options(ui_language: str) -> tuple[tuple[str, str], ...]:
    languages = (
        (i18n.pycountry_name("iso639-3", name, ui_language), code)
        for name, code in _two_letter_languages()
    )
    ordered = sorted(languages, key=lambda pair: pair[0].casefold())
    return tuple((f"{name} ({code})", code) for name, code in ordered)


def _two_letter_languages() -> Iterator[tuple[str, str]]:
    """(English name, ISO 639-1 code) of each language that has one, read from pycountry's
    own file: `pycountry.languages` would keep all 7,923 ISO 639-3 languages and their
    indexes in memory (6 MiB) to offer these 184."""
    with open(pycountry.languages.filename, encoding="utf-8") as file:
        entries = json.load(file)[pycountry.languages.root_key]
    return ((entry["name"], entry["alpha_2"]) for entry in entries if "alpha_2" in entry)


def currency_options() -> tuple[tuple[str, str], ...]:
    """ISO 4217 currencies as "Euro (EUR)", sorted by name, in the UI's language."""
    return _currency_options(i18n.language())


@cache
def _currency_options(ui_language: str) -> tuple[tuple[str, str], ...]:
    currencies = sorted(
        (
            (i18n.pycountry_name("iso4217", currency.name, ui_language), currency.alpha_3)
            for currency in pycountry.currencies
        ),
        key=lambda pair: pair[0].casefold(),
    )
    return tuple((f"{name} ({code})", code) for name, code in currencies)


def _language_label(code: str) -> str:
    """A stored language the list lacks, such as a locale ("en_GB"), named as well as we can."""
    language_code, _, region_code = code.replace("-", "_").partition("_")
    language = pycountry.languages.get(alpha_2=language_code.lower())
    region = pycountry.countries.get(alpha_2=region_code.upper()) if region_code else None
    if language is None:
        return code
    name = i18n.pycountry_name("iso639-3", language.name)
    if region is not None:
        name = f"{name}, {i18n.country_name(region.name)}"
    return f"{name} ({code})"


def _options_of(field: PersonalField) -> tuple[tuple[str, str], ...]:
    if field.key == "title":
        return tuple((_(label), code) for label, code in _TITLES)
    if field.key == "preferredLanguage":
        return language_options()
    return currency_options()


def _label_for_unlisted(field: PersonalField, value: str) -> str:
    if field.key == "preferredLanguage":
        return _language_label(value)
    if field.key == "title":
        return value.capitalize() if value.isupper() else value
    return value


def display_value(attribute: str, value: str | None) -> str:
    """A value as the form shows it ("Euro (EUR)" for ``EUR``); "(empty)" when blank."""
    if not value:
        return _("(empty)")
    field = _BY_ATTRIBUTE[attribute]
    if not field.choice:
        return value
    listed = {code: label for label, code in _options_of(field)}
    return listed.get(value) or _label_for_unlisted(field, value)


def label_of(attribute: str) -> str:
    return _(_BY_ATTRIBUTE[attribute].label)


def personal_field_paths(
    prefix: str, parts: Collection[str] = ALL_PARTS, *, body_prefixes: Iterable[str] = ("",)
) -> dict[str, str]:
    """JSON path -> `FormField` id for a form's ``FIELD_PATHS``; the choices (fixed lists)
    have no `FormField`, so their complaints go to the form's status line.

    ``body_prefixes``: where the fields sit in the request, e.g. ``("customerDetails.",)``
    at signup, ``("",)`` for ``PATCH /me``.
    """
    return {
        f"{body_prefix}{field.key}": f"{prefix}-{field.id_suffix}-field"
        for body_prefix in body_prefixes
        for field in FIELDS
        if field.key in parts and not field.choice
    }


class PersonalFields(Vertical):
    """The personal fields named in ``parts`` (JSON names, see `FIELDS`), in a fixed order."""

    DEFAULT_CSS = """
    PersonalFields {
        height: auto;
    }
    """

    def __init__(
        self,
        prefix: str,
        parts: Collection[str] = ALL_PARTS,
        *,
        required: Collection[str] = ("firstName", "lastName"),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"{prefix}-personal", classes=classes)
        unknown = set(parts) - set(_BY_KEY)
        if unknown:
            raise ValueError(f"unknown personal fields: {sorted(unknown)}")
        self.prefix = prefix
        self.parts = tuple(field.key for field in FIELDS if field.key in parts)
        self.required = frozenset(required)

    # -- ids -----------------------------------------------------------------------------------

    def control_id(self, key: str) -> str:
        return f"{self.prefix}-{_BY_KEY[key].id_suffix}"

    def field_id(self, key: str) -> str:
        return f"{self.control_id(key)}-field"

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        shown = set(self.parts)
        if "title" in shown:
            yield self._select(_BY_KEY["title"])
        names = [self._text(_BY_KEY[key]) for key in ("firstName", "middleName", "lastName")]
        yield from self._rows([widget for widget in names if widget is not None], size=3)
        contact = [self._text(_BY_KEY[key]) for key in ("contactEmail", "contactPhone", "company")]
        yield from self._rows([widget for widget in contact if widget is not None], size=2)
        choices = [
            self._select(_BY_KEY[key])
            for key in ("preferredLanguage", "preferredCurrency")
            if key in shown
        ]
        yield from self._rows(choices, size=2)
        site = self._text(_BY_KEY["preferredSite"])
        if site is not None:
            yield site

    def _rows(self, widgets: Sequence[Widget], *, size: int) -> Iterator[Widget]:
        for start in range(0, len(widgets), size):
            chunk = widgets[start : start + size]
            if len(chunk) == 1:
                yield chunk[0]
            else:
                yield Horizontal(*chunk, classes="form-row")

    def _text(self, field: PersonalField) -> FormField | None:
        if field.key not in self.parts:
            return None
        check: Check | None = None
        hint = ""
        placeholder = ""
        if field.key == "contactEmail":
            check, placeholder = email_problem, "you@example.com"
        elif field.key == "contactPhone":
            check, hint = phone_problem, _(_PHONE_HINT)
        return FormField(
            _(field.label),
            Input(placeholder=placeholder, id=self.control_id(field.key)),
            hint=hint,
            check=check,
            required=field.key in self.required,
            id=self.field_id(field.key),
        )

    def _select(self, field: PersonalField) -> Vertical:
        select: Select[str] = Select(
            _options_of(field), prompt=_("(none)"), id=self.control_id(field.key)
        )
        return Vertical(
            Label(_(field.label), classes="form-field--label"), select, classes="select-field"
        )

    # -- values --------------------------------------------------------------------------------

    def _select_of(self, key: str) -> Select[str]:
        return self.query_one(f"#{self.control_id(key)}", Select)

    def form_field(self, key: str) -> FormField:
        return self.query_one(f"#{self.field_id(key)}", FormField)

    def values(self) -> PersonalValues:
        """Every shown field by attribute name; blank text and "(none)" are None."""
        result: PersonalValues = {}
        for key in self.parts:
            field = _BY_KEY[key]
            if field.choice:
                chosen = self._select_of(key).value
                result[field.attribute] = chosen if isinstance(chosen, str) else None
            else:
                result[field.attribute] = self.form_field(key).value.strip() or None
        return result

    def details(self) -> CustomerDetails:
        """The shown fields as signup's ``customerDetails``."""
        return CustomerDetails.model_validate({**self.values()})

    def set_value(self, attribute: str, value: str | None) -> None:
        """Show ``value`` in the field of ``attribute`` (a stored value the list lacks is
        added to it, so nothing loaded is dropped)."""
        field = _BY_ATTRIBUTE[attribute]
        if field.key not in self.parts:
            return
        if not field.choice:
            control = self.form_field(field.key).control
            assert isinstance(control, Input)
            control.value = value or ""
            return
        select = self._select_of(field.key)
        if not value:
            select.clear()
            return
        options = _options_of(field)
        if value not in {code for _label, code in options}:
            extra = (_label_for_unlisted(field, value), value)
            select.set_options((extra, *options))
        select.value = value

    def load(self, customer: Customer) -> None:
        """Show the customer's stored values."""
        for key in self.parts:
            attribute = _BY_KEY[key].attribute
            self.set_value(attribute, getattr(customer, attribute))

    @staticmethod
    def stored_values(customer: Customer, parts: Collection[str] = ALL_PARTS) -> PersonalValues:
        """What `values` returns right after `load` (blank strings are None)."""
        values: PersonalValues = {}
        for field in FIELDS:
            if field.key in parts:
                stored = getattr(customer, field.attribute) or ""
                values[field.attribute] = (stored if field.choice else stored.strip()) or None
        return values

    @property
    def fields_by_path(self) -> Mapping[str, FormField]:
        """JSON path (``firstName``, ``customerDetails.firstName``) -> its `FormField`."""
        fields: dict[str, FormField] = {}
        for path, field_id in personal_field_paths(
            self.prefix, self.parts, body_prefixes=("", "customerDetails.")
        ).items():
            fields[path] = self.query_one(f"#{field_id}", FormField)
        return fields
