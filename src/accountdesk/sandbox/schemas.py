"""Request bodies, as pydantic models with the spec's camelCase names.

Unknown properties are ignored, as Spring Boot services (Emporix included) do by default. Only
the spec's structural rules live here; rules that need the tenant or the database (password
policy, duplicates) are checked in the routes so their errors point at the right field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from accountdesk.sandbox.errors import invalid_field


def _unencodable_path(value: Any, path: str) -> str | None:
    """The JSON path of the first string (or key) that is not valid Unicode text.

    JSON allows escaped lone surrogates (`"\\ud800"`); Python accepts them, UTF-8 cannot encode
    them, so they are refused at the door rather than failing deep inside storage.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "body"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            found = _unencodable_path(key, child) or _unencodable_path(item, child)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _unencodable_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


class TextSafeModel(BaseModel):
    """Refuses bodies carrying text that cannot be stored (lone UTF-16 surrogates)."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_unencodable_text(cls, data: Any) -> Any:
        path = _unencodable_path(data, "")
        if path is not None:
            # Raised as the API error itself: it carries the exact path from the body's root.
            raise invalid_field(path, "The text contains invalid Unicode characters.")
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
    email: str = Field(min_length=1)
    password: str = Field(min_length=6)


class SignupIn(RequestBody):
    email: str = Field(min_length=1)
    password: str = Field(min_length=1)
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
