"""Turning validated request models into stored profile and address data.

`prefix` is the JSON path of the object in the request (`customerDetails.`, `customerAddress.`
or empty), so every problem names the field exactly where the client sent it. Problems are
recorded in the caller's `FieldProblems`; the returned data is only used once it has none.
"""

from __future__ import annotations

from typing import Any

from accountdesk.sandbox.schemas import AddressIn, CustomerDetailsIn
from accountdesk.sandbox.validation import (
    FieldProblems,
    check_country,
    check_currency,
    check_email,
    check_lengths,
    require_text,
)

MAX_TAGS = 50
MAX_TAG_LENGTH = 64


def profile_changes(
    problems: FieldProblems, details: CustomerDetailsIn, prefix: str
) -> dict[str, Any]:
    """The profile fields present in the request, checked; explicit nulls stay None."""
    changes = details.model_dump(
        by_alias=True, exclude_unset=True, exclude={"metadata", "b2b", "mixins"}
    )
    check_lengths(problems, prefix, changes)
    if changes.get("contactEmail") is not None:
        changes["contactEmail"] = check_email(
            problems, f"{prefix}contactEmail", changes["contactEmail"]
        )
    if changes.get("preferredCurrency") is not None:
        check_currency(problems, f"{prefix}preferredCurrency", changes["preferredCurrency"])
    if "b2b" in details.model_fields_set:
        changes["b2b"] = (
            None
            if details.b2b is None
            else details.b2b.model_dump(by_alias=True, exclude_none=True)
        )
    if "mixins" in details.model_fields_set:
        changes["mixins"] = details.mixins
    return changes


def check_b2b_rule(problems: FieldProblems, profile: dict[str, Any], prefix: str) -> None:
    """Spec: with a companyRegistrationId, firstName, lastName and company are required."""
    b2b = profile.get("b2b")
    if isinstance(b2b, dict) and b2b.get("companyRegistrationId"):
        for name in ("firstName", "lastName", "company"):
            if not profile.get(name):
                problems.invalid(
                    f"{prefix}{name}", "Required when a company registration id is given."
                )


def address_changes(problems: FieldProblems, address: AddressIn, prefix: str) -> dict[str, Any]:
    """The address fields present in the request, checked; explicit nulls stay None."""
    changes = address.model_dump(
        by_alias=True, exclude_unset=True, exclude={"metadata", "isDefault"}
    )
    check_lengths(problems, prefix, changes)
    if changes.get("country") is not None:
        changes["country"] = check_country(problems, f"{prefix}country", changes["country"])
    if "contactName" in changes:
        require_text(problems, f"{prefix}contactName", changes["contactName"])
    tags = changes.get("tags")
    if tags is not None:
        changes["tags"] = normalise_tags(problems, tags, f"{prefix}tags")
    return changes


def normalise_tags(problems: FieldProblems, tags: list[str], field: str) -> list[str]:
    """Trimmed, non-empty, de-duplicated (first occurrence wins), at most MAX_TAGS."""
    result: list[str] = []
    for index, tag in enumerate(tags):
        cleaned = tag.strip()
        if not cleaned:
            problems.invalid(f"{field}[{index}]", "Tags must not be empty.")
        elif len(cleaned) > MAX_TAG_LENGTH:
            problems.invalid(f"{field}[{index}]", f"Tags have at most {MAX_TAG_LENGTH} characters.")
        elif cleaned not in result:
            result.append(cleaned)
    if len(result) > MAX_TAGS:
        problems.invalid(field, f"An address has at most {MAX_TAGS} tags.")
    return result


def new_address_data(problems: FieldProblems, address: AddressIn, prefix: str) -> dict[str, Any]:
    """A complete new address: `contactName` is required (the spec's `Address` schema)."""
    require_text(problems, f"{prefix}contactName", address.contact_name)
    changes = address_changes(problems, address, prefix)
    return {name: value for name, value in changes.items() if value is not None}
