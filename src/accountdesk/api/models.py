"""Pydantic models for every request and response body of the Customer Service API.

Conventions:
- Python attributes are snake_case; the wire names are camelCase aliases (``first_name`` <->
  ``firstName``), except the token responses, whose wire names are snake_case already.
  Both spellings are accepted when building a model (``populate_by_name``).
- Responses keep fields this client does not know (``extra="allow"``, see ``model_extra``) so a
  newer server never breaks parsing; requests reject unknown fields so typos fail early.
- Token responses accept the deprecated camelCase twins (``accessToken``…) when the snake_case
  field is absent; when both are present the snake_case value wins and the twin is dropped.
- Secrets stay ordinary ``str`` attributes (``token.access_token`` is the token itself, ready for
  a header) but are excluded from ``repr()``/``str()``, so printing or logging a model never shows
  them; unknown fields whose names look secret are hidden from ``repr()`` too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from accountdesk.api.redaction import is_secret_key

__all__ = [
    "AccountId",
    "Address",
    "AddressCreate",
    "AddressUpdate",
    "AnonymousToken",
    "B2BCreate",
    "B2BInfo",
    "ChangeEmailRequest",
    "ConfirmEmailChange",
    "Credentials",
    "Customer",
    "CustomerDetails",
    "CustomerPatch",
    "CustomerSignup",
    "CustomerToken",
    "DeletionOutcome",
    "ExchangedToken",
    "LegalEntity",
    "Metadata",
    "PasswordChange",
    "PasswordResetRequest",
    "PasswordResetUpdate",
    "RefreshedCustomerToken",
    "ResendActivation",
    "ResourceLocation",
    "SocialLoginToken",
    "TokenValidation",
]


class _ResponseModel(BaseModel):
    """Base of everything the server sends: tolerant, camelCase on the wire."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
    )

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            # Unknown fields come through as extras; hide any whose name says it is a secret.
            if name is not None and name not in type(self).model_fields and is_secret_key(name):
                continue
            yield name, value


class _RequestModel(BaseModel):
    """Base of everything the client sends: strict about field names, camelCase on the wire."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        alias_generator=to_camel,
    )

    def to_body(self) -> dict[str, Any]:
        """The JSON body: wire names, unset optional fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


# --- tokens --------------------------------------------------------------------------------


class _TokenModel(_ResponseModel):
    """Token responses: snake_case on the wire, with deprecated camelCase twins tolerated."""

    model_config = ConfigDict(alias_generator=None)

    # Deprecated twin -> current field (research notes §4.1, §7 Q6).
    _TWINS: ClassVar[dict[str, str]] = {
        "accessToken": "access_token",
        "refreshToken": "refresh_token",
        "expiresIn": "expires_in",
        "refreshTokenExpiresIn": "refresh_token_expires_in",
        "saasToken": "saas_token",
        "sessionId": "session_id",
        "tokenType": "token_type",
    }

    @model_validator(mode="before")
    @classmethod
    def _prefer_snake_case(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        merged = dict(data)
        for camel, snake in cls._TWINS.items():
            if camel in merged:
                twin = merged.pop(camel)
                if merged.get(snake) is None:
                    merged[snake] = twin
        return merged


class AnonymousToken(_TokenModel):
    """An anonymous (guest) session: needed for signup, login, refresh, opt-in and resets.

    The spec's schema omits the refresh fields, but real answers carry them (notes §7 Q1).
    """

    access_token: str = Field(repr=False)
    token_type: str | None = None
    expires_in: int | None = None
    refresh_token: str | None = Field(default=None, repr=False)
    refresh_token_expires_in: int | None = None
    session_id: str | None = None
    scope: str | None = None


class RefreshedCustomerToken(_TokenModel):
    """A customer token from ``refreshauthtoken``: like a login token but without ``saas_token``."""

    access_token: str = Field(repr=False)
    refresh_token: str | None = Field(default=None, repr=False)
    expires_in: int | None = None
    refresh_token_expires_in: int | None = None
    token_type: str | None = None
    session_id: str | None = None


class CustomerToken(RefreshedCustomerToken):
    """A logged-in customer's tokens, from login or double opt-in confirmation.

    ``initial_password`` is true when the password was set by an employee; the spec types it as
    a string but sends a boolean, so both ``"true"`` and ``true`` are accepted (notes §7 Q5).
    """

    saas_token: str | None = Field(default=None, repr=False)
    initial_password: bool | None = Field(default=None, alias="initialPassword")


class TokenValidation(_TokenModel):
    """What ``validateauthtoken`` says about a customer token."""

    token_type: str | None = None
    expires_in: int | None = None
    scope: str | None = None
    session_id: str | None = None
    email: str | None = None
    legal_entity_id: str | None = Field(default=None, alias="legalEntityId")


class _FederatedToken(_TokenModel):
    """The customer token of the federated logins: token exchange and social login."""

    access_token: str = Field(repr=False)
    saas_token: str | None = Field(default=None, repr=False)
    refresh_token: str | None = Field(default=None, repr=False)
    refresh_token_expires_in: int | None = None
    session_idle_time: int | None = None
    token_type: str | None = None
    expires_in: int | None = None
    scope: str | None = None
    session_id: str | None = None


class ExchangedToken(_FederatedToken):
    """A customer token obtained by exchanging an external identity provider's token."""

    subject_access_token: str | None = Field(default=None, repr=False)


class SocialLoginToken(_FederatedToken):
    """A customer token from social login.

    The lifetimes arrive as strings (``"2591999"``) and are converted to ints; the answer has no
    ``session_id`` in the spec, but one is kept if a server sends it (notes §7 Q5, Q6).
    """

    social_access_token: str | None = Field(default=None, repr=False)
    social_id_token: str | None = Field(default=None, repr=False)


# --- profile ---------------------------------------------------------------------------------


class Metadata(BaseModel):
    """Resource metadata; ``version`` enables optimistic locking on updates when sent."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    version: int | None = None
    mixins: dict[str, Any] | None = None


class B2BCreate(_RequestModel):
    """Company registration at signup or profile update."""

    company_registration_id: str | None = None


class LegalEntity(_ResponseModel):
    """A company the customer is assigned to."""

    id: str | None = None
    name: str | None = None
    contact_assignment_id: str | None = None


class B2BInfo(_ResponseModel):
    """The B2B side of a customer profile."""

    company_registration_id: str | None = None
    legal_entities: list[LegalEntity] = Field(default_factory=list)


class AccountId(_ResponseModel):
    """A login of the customer: ``id`` is the login email; ``provider_id`` marks social logins."""

    id: str | None = None
    provider_id: str | None = None


class _AddressFields(BaseModel):
    """The postal fields every address body shares; the subclasses bring the config (strict
    request or tolerant response) and their own extra fields."""

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


class AddressCreate(_RequestModel, _AddressFields):
    """A new address. ``country`` is the two-letter ISO code; ``tags`` are free strings."""

    tags: list[str] | None = None
    mixins: dict[str, Any] | None = None


class AddressUpdate(AddressCreate):
    """Changes to an address; ``metadata.version`` (if given) must match the stored one."""

    is_default: bool | None = None
    metadata: Metadata | None = None


class _StoredResource(_ResponseModel):
    id: str | None = None


# Pydantic orders fields from the last base to the class itself: `_StoredResource` is listed
# after the shared fields so that `id` stays first in the repr and the dump.
class Address(_AddressFields, _StoredResource):
    """A stored address as the server returns it."""

    is_default: bool = False
    tags: list[str] = Field(default_factory=list)
    metadata: Metadata | None = None
    mixins: dict[str, Any] | None = None


class _PersonalFields(BaseModel):
    """The personal fields a profile shares with the signup and update bodies."""

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


class CustomerDetails(_RequestModel, _PersonalFields):
    """Personal data sent at signup. ``contact_email`` must equal the signup email if given."""

    # to_camel would spell it "b2B"; the wire name is "b2b".
    b2b: B2BCreate | None = Field(default=None, alias="b2b")
    mixins: dict[str, Any] | None = None


class CustomerPatch(CustomerDetails):
    """A partial profile update: only the fields set are sent.

    With ``metadata.version`` the server rejects the update (409) if someone changed the profile
    since it was read; without it the last write wins.
    """

    metadata: Metadata | None = None

    def to_body(self) -> dict[str, Any]:
        """The JSON body: every field set, by wire name; one set to None is sent as null.

        A null only clears the field when sent as ``application/merge-patch+json`` (see
        `clears_fields`); plain JSON PATCH ignores nulls.
        """
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    @property
    def clears_fields(self) -> bool:
        """True when a field is set to None, i.e. the patch removes a stored value."""
        return _has_null(self.to_body())


def _has_null(body: object) -> bool:
    if isinstance(body, dict):
        return any(value is None or _has_null(value) for value in body.values())
    return False


class Credentials(_RequestModel):
    """An email + password pair: login, separate signup credentials, assign account."""

    email: str
    password: str = Field(repr=False)


class CustomerSignup(_RequestModel):
    """A signup. ``signup`` optionally gives login credentials different from ``email``."""

    email: str
    password: str = Field(repr=False)
    customer_details: CustomerDetails | None = None
    customer_address: AddressCreate | None = None
    signup: Credentials | None = None


class _NumberedCustomer(_StoredResource):
    customer_number: str | None = None


class Customer(_PersonalFields, _NumberedCustomer):
    """The customer's profile (``GET /me``); ``addresses`` is filled only when expanded."""

    accounts: list[AccountId] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)
    default_address: Address | None = None
    business_model: str | None = None
    b2b: B2BInfo | None = Field(default=None, alias="b2b")
    mixins: dict[str, Any] | None = None
    metadata: Metadata | None = None
    last_login: datetime | None = None


# --- small request/response bodies ---------------------------------------------------------------


class ResourceLocation(_ResponseModel):
    """``{"id": ...}``: the answer of every create operation."""

    id: str


class ResendActivation(_RequestModel):
    """Body of the "resend activation email" call."""

    email: str


class ChangeEmailRequest(_RequestModel):
    """Start an email change; the confirmation token is mailed to ``new_email``."""

    email: str
    password: str = Field(repr=False)
    new_email: str
    sync_contact_email: bool = False


class ConfirmEmailChange(_RequestModel):
    """Confirm an email change with the mailed token."""

    token: str = Field(repr=False)


class PasswordResetRequest(_RequestModel):
    """Ask for a password-reset email."""

    email: str
    site: str | None = None


class PasswordResetUpdate(_RequestModel):
    """Set a new password with the mailed reset token."""

    token: str = Field(repr=False)
    password: str = Field(repr=False)


class PasswordChange(_RequestModel):
    """Change the password of the logged-in customer."""

    current_password: str = Field(repr=False)
    new_password: str = Field(repr=False)


class DeletionOutcome(Enum):
    """What ``DELETE /me`` did: mailed a confirmation token (202) or deleted the account (204)."""

    CONFIRMATION_SENT = "confirmation_sent"
    DELETED = "deleted"
