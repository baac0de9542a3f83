"""Field checks of request bodies, collected so one 400 names every bad field at once.

A route opens `with FieldProblems(ItsRequestModel) as problems:` and runs its checks; each
check records what is wrong with its field and carries on. Leaving the block raises a single
`bad_request` whose `details` list every problem in the order the fields have in the request
model (the spec's order), whatever order the checks ran in. Checks that need the database
(duplicates, the current password, `metadata.version`) run after the block, on valid input.
"""

from __future__ import annotations

import re
import types
from types import TracebackType
from typing import Any, Self, Union, get_args, get_origin

import pycountry
from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel

from accountdesk.sandbox.errors import INVALID_VALUE, MISSING_VALUE, bad_request, field_error
from accountdesk.sandbox.passwords import policy_violation
from accountdesk.sandbox.tenants import Tenant

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_PATH_SEGMENT = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
MAX_TEXT_LENGTH = 255
# C0 and C1 controls and DEL: tabs, line breaks, escape sequences (the free-text fields are
# single-line; bidi marks and emoji are text and stay allowed).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The official spec's minLength of `PasswordAuthentication.password` (login, `signup.signup`).
SPEC_PASSWORD_MIN_LENGTH = 6


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside `Model`, `Model | None` or `list[Model]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType, list):
        for argument in get_args(annotation):
            found = _nested_model(argument)
            if found is not None:
                return found
    return None


def schema_position(schema: type[BaseModel] | None, path: str) -> tuple[int, ...]:
    """Sort key of a JSON path such as `customerAddress.tags[1]` by declaration order.

    Names the model does not declare sort after the declared ones (stable, in recording order).
    """
    key: list[int] = []
    model = schema
    for index, name in _PATH_SEGMENT.findall(path):
        if index:
            key.append(int(index))
            continue
        aliases = [] if model is None else [f.alias or n for n, f in model.model_fields.items()]
        if model is None or name not in aliases:
            key.append(len(aliases))
            model = None
            continue
        position = aliases.index(name)
        key.append(position)
        model = _nested_model(list(model.model_fields.values())[position].annotation)
    return tuple(key)


class FieldProblems:
    """Every field problem of one request, raised together as one 400 when the block ends.

    At most one problem per field is kept (the first): a form shows one message per field.
    """

    def __init__(self, schema: type[BaseModel] | None = None) -> None:
        self._schema = schema
        self._details: dict[str, dict[str, str]] = {}

    def invalid(self, field: str, message: str) -> None:
        self._details.setdefault(field, field_error(field, INVALID_VALUE, message))

    def missing(self, field: str) -> None:
        self._details.setdefault(
            field, field_error(field, MISSING_VALUE, "This field is required.")
        )

    def __contains__(self, field: object) -> bool:
        return field in self._details

    def raise_if_any(self) -> None:
        if not self._details:
            return
        details = sorted(
            self._details.values(),
            key=lambda detail: schema_position(self._schema, detail["field"]),
        )
        if all(detail["type"] == MISSING_VALUE for detail in details):
            raise bad_request("The request is missing required data.", details)
        raise bad_request("The request contains invalid data.", details)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # An exception from inside the block wins; the collected problems only matter after
        # every check has run.
        if exc_type is None:
            self.raise_if_any()


def check_email(problems: FieldProblems, field: str, value: str) -> str:
    """A syntactically valid address (no DNS lookups), returned normalised.

    An invalid one is recorded and returned as given; it is never used, since the block raises.
    """
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        problems.invalid(field, f"This is not a valid email address: {error}")
        return value
    return result.normalized.lower()


def check_password(
    problems: FieldProblems, field: str, value: str, tenant: Tenant, *, at_least: int = 0
) -> None:
    """The tenant's password policy; `at_least` raises its minimum (the spec's own minLength)."""
    problem = policy_violation(
        value,
        min_length=max(tenant.password_min_length, at_least),
        max_length=tenant.password_max_length,
    )
    if problem is not None:
        problems.invalid(field, problem)


def check_country(problems: FieldProblems, field: str, value: str) -> str:
    """ISO 3166-1 alpha-2 (the spec's `country` has exactly two characters); stored upper-case."""
    if not _COUNTRY.match(value) or pycountry.countries.get(alpha_2=value.upper()) is None:
        problems.invalid(field, "Use a two-letter ISO 3166 country code, for example DE.")
    return value.upper()


def check_currency(problems: FieldProblems, field: str, value: str) -> None:
    if not _CURRENCY.match(value) or pycountry.currencies.get(alpha_3=value) is None:
        problems.invalid(field, "Use a three-letter ISO 4217 currency code, for example EUR.")


def check_lengths(problems: FieldProblems, prefix: str, values: dict[str, Any]) -> None:
    """Refuse absurdly long free-text values instead of storing megabytes, and control
    characters (a tab in a phone number, ``ESC[31m`` in a surname) that no form should send
    and that would reach every terminal and page showing the value."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if len(value) > MAX_TEXT_LENGTH:
            problems.invalid(
                f"{prefix}{name}", f"At most {MAX_TEXT_LENGTH} characters are allowed."
            )
        elif _CONTROL.search(value):
            problems.invalid(f"{prefix}{name}", "Control characters are not allowed.")


def require_text(problems: FieldProblems, field: str, value: str | None) -> str:
    """Non-blank text; a missing or blank value is recorded and returned as an empty string."""
    if value is None or not value.strip():
        problems.missing(field)
        return ""
    return value
