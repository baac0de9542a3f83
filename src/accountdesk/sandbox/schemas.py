"""Request bodies, as pydantic models with the spec's camelCase names.

Unknown properties are ignored, as Spring Boot services (Emporix included) do by default. Only
structure lives here (types, required properties); value rules (formats, lengths, the password
policy) are checked in the routes with `validation.FieldProblems`, so one answer names every bad
value, and pydantic's own errors (which stop the request before the route) stay structural.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

from accountdesk.sandbox.errors import INVALID_VALUE, bad_request, field_error


def _unencodable_paths(value: Any, path: str) -> list[str]:
    """The JSON paths of the strings (and keys) that are not valid Unicode text.

    JSON allows escaped lone surrogates (`"\\ud800"`); Python accepts them, UTF-8 cannot encode
    them, so they are refused at the door rather than failing deep inside storage.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return [path or "body"]
        return []
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            found += _unencodable_paths(key, child) or _unencodable_paths(item, child)
    if isinstance(value, list):
        for index, item in enumerate(value):
            found += _unencodable_paths(item, f"{path}[{index}]")
    return found


class TextSafeModel(BaseModel):
    """Refuses bodies carrying text that cannot be stored (lone UTF-16 surrogates)."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_unencodable_text(cls, data: Any) -> Any:
        paths = _unencodable_paths(data, "")
        if paths:
            # Raised as the API error itself: it carries the exact paths from the body's root.
            details = [
                field_error(path, INVALID_VALUE, "The text contains invalid Unicode characters.")
                for path in paths
            ]
            raise bad_request("The request contains invalid data.", details)
        return data


class RequestBody(TextSafeModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class MetadataIn(RequestBody):
    version: int | None = None
    mixins: dict[str, Any] | None = None


class B2BIn(RequestBody):
    company_registration_id: str | None = None


class CustomerDetailsIn(RequestBody):
    """`CustomerUpdateDto` / `CustomerPatchDto`."""

    title: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    company: str | None = None
    preferred_language: str | None = None
    preferred_currency: str | None = None
    preferred_site: str | None = None
    b2b: B2BIn | None = None
    metadata: MetadataIn | None = None
    mixins: dict[str, Any] | None = None


class AddressIn(RequestBody):
    """`AddressCreateDto`."""

    contact_name: str | None = None
    company_name: str | None = None
    street: str | None = None
    street_number: str | None = None
    street_appendix: str | None = None
    extra_line1: str | None = None
    extra_line2: str | None = None
    extra_line3: str | None = None
    extra_line4: str | None = None
    zip_code: str | None = None
    city: str | None = None
    country: str | None = None
    state: str | None = None
    contact_phone: str | None = None
    tags: list[str] | None = None
    metadata: MetadataIn | None = None
    mixins: dict[str, Any] | None = None


class AddressPatchIn(AddressIn):
    """`AddressUpdateDto`."""

    is_default: bool | None = None


class PasswordAuthenticationIn(RequestBody):
    email: str
    password: str


class SignupIn(RequestBody):
    email: str
    password: str
    customer_details: CustomerDetailsIn | None = None
    customer_address: AddressIn | None = None
    signup: PasswordAuthenticationIn | None = None


class EmailIn(RequestBody):
    """`RefreshToken` (resend activation)."""

    email: str


class ChangeEmailIn(RequestBody):
    email: str | None = None
    password: str | None = None
    new_email: str | None = None
    sync_contact_email: bool = False


class TokenIn(RequestBody):
    """`UpdateEmail`."""

    token: str | None = None


class PasswordResetRequestIn(RequestBody):
    email: str
    site: str | None = None


class PasswordUpdateIn(RequestBody):
    token: str
    password: str


class PasswordChangeIn(RequestBody):
    current_password: str
    new_password: str
