"""Field checks shared by several routes; each failure names the offending JSON path."""

from __future__ import annotations

import re
from typing import Any

import pycountry
from email_validator import EmailNotValidError, validate_email

from accountdesk.sandbox.errors import ApiProblem, invalid_field
from accountdesk.sandbox.passwords import policy_violation
from accountdesk.sandbox.tenants import Tenant

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
MAX_TEXT_LENGTH = 255


def check_email(field: str, value: str) -> str:
    """A syntactically valid address (no DNS lookups), returned normalised."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise invalid_field(field, f"This is not a valid email address: {error}") from None
    return result.normalized.lower()


def check_password(field: str, value: str, tenant: Tenant) -> None:
    problem = policy_violation(
        value, min_length=tenant.password_min_length, max_length=tenant.password_max_length
    )
    if problem is not None:
        raise invalid_field(field, problem)


def check_country(field: str, value: str) -> str:
    """ISO 3166-1 alpha-2 (the spec's `country` has exactly two characters); stored upper-case."""
    if not _COUNTRY.match(value) or pycountry.countries.get(alpha_2=value.upper()) is None:
        raise invalid_field(field, "Use a two-letter ISO 3166 country code, for example DE.")
    return value.upper()


def check_currency(field: str, value: str) -> None:
    if not _CURRENCY.match(value) or pycountry.currencies.get(alpha_3=value) is None:
        raise invalid_field(field, "Use a three-letter ISO 4217 currency code, for example EUR.")


def check_lengths(prefix: str, values: dict[str, Any]) -> None:
    """Refuse absurdly long free-text values instead of storing megabytes."""
    for name, value in values.items():
        if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH:
            raise invalid_field(
                f"{prefix}{name}", f"At most {MAX_TEXT_LENGTH} characters are allowed."
            )


def require_text(field: str, value: str | None) -> str:
    if value is None or not value.strip():
        raise ApiProblem(
            400,
            "bad_request",
            "The request is missing required data.",
            [{"field": field, "type": "missing_value", "message": "This field is required."}],
        )
    return value
