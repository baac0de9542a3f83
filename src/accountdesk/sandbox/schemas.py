"""Request bodies, as pydantic models with the spec's camelCase names.

Unknown properties are ignored, as Spring Boot services (Emporix included) do by default. Only
the spec's structural rules live here; rules that need the tenant or the database (password
policy, duplicates) are checked in the routes so their errors point at the right field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class RequestBody(BaseModel):
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
