"""Parsing of response bodies (spec quirks included) and serialization of request bodies."""

from __future__ import annotations

from datetime import datetime

import pytest

from accountdesk.api import (
    AddressCreate,
    AddressUpdate,
    AnonymousToken,
    Customer,
    CustomerDetails,
    CustomerPatch,
    CustomerSignup,
    CustomerToken,
    ExchangedToken,
    Metadata,
    RefreshedCustomerToken,
    SocialLoginToken,
    TokenValidation,
)
from accountdesk.api.models import ChangeEmailRequest, PasswordChange


def test_login_token_from_the_spec_example_parses() -> None:
    token = CustomerToken.model_validate(
        {
            "access_token": "aYR3",
            "saas_token": "eyJ.x.y",
            "expires_in": 2591999,
            "refresh_token": "94tK",
            "refresh_token_expires_in": 86399,
            "token_type": "Bearer",
            "session_id": "6d4d",
            "initialPassword": False,
        }
    )
    assert token.access_token == "aYR3"
    assert token.saas_token == "eyJ.x.y"
    assert token.refresh_token == "94tK"
    assert token.expires_in == 2591999
    assert token.initial_password is False


def test_token_with_only_deprecated_camel_case_fields_parses() -> None:
    token = CustomerToken.model_validate(
        {
            "accessToken": "camel-access",
            "refreshToken": "camel-refresh",
            "saasToken": "camel-saas",
            "expiresIn": 100,
            "refreshTokenExpiresIn": 200,
        }
    )
    assert token.access_token == "camel-access"
    assert token.refresh_token == "camel-refresh"
    assert token.saas_token == "camel-saas"
    assert token.expires_in == 100
    assert token.refresh_token_expires_in == 200


def test_snake_case_wins_when_both_spellings_are_present() -> None:
    token = RefreshedCustomerToken.model_validate(
        {
            "access_token": "snake",
            "accessToken": "camel",
            "expires_in": 1,
            "expiresIn": 2,
        }
    )
    assert token.access_token == "snake"
    assert token.expires_in == 1
    # The dropped twin must not linger as an extra (it would be a second copy of a secret).
    assert token.model_extra == {}


def test_unknown_response_fields_are_kept() -> None:
    customer = Customer.model_validate({"firstName": "Ada", "loyaltyTier": "gold"})
    assert customer.first_name == "Ada"
    assert customer.model_extra == {"loyaltyTier": "gold"}


@pytest.mark.parametrize(("raw", "expected"), [(False, False), ("false", False), ("true", True)])
def test_initial_password_accepts_bool_or_string(raw: object, expected: bool) -> None:
    token = CustomerToken.model_validate({"access_token": "a", "initialPassword": raw})
    assert token.initial_password is expected


def test_social_login_lifetimes_arrive_as_strings() -> None:
    token = SocialLoginToken.model_validate(
        {
            "access_token": "a",
            "saas_token": "s",
            "refresh_token": "r",
            "expires_in": "2591999",
            "refresh_token_expires_in": "86399",
            "session_idle_time": 3600,
        }
    )
    assert token.expires_in == 2591999
    assert token.refresh_token_expires_in == 86399
    assert token.session_id is None


def test_anonymous_token_reads_camel_case_session_id_and_undeclared_refresh_fields() -> None:
    token = AnonymousToken.model_validate(
        {
            "token_type": "Bearer",
            "access_token": "tpYg",
            "expires_in": 3599,
            "refresh_token": "7Fnv",
            "refresh_token_expires_in": 86399,
            "sessionId": "6d4d4d5e",
            "scope": "tenant=demo",
        }
    )
    assert token.session_id == "6d4d4d5e"
    assert token.refresh_token == "7Fnv"
    assert token.refresh_token_expires_in == 86399


def test_session_id_snake_case_wins_over_camel_case() -> None:
    token = AnonymousToken.model_validate(
        {"access_token": "a", "session_id": "snake", "sessionId": "camel"}
    )
    assert token.session_id == "snake"


def test_validation_response_parses() -> None:
    validation = TokenValidation.model_validate(
        {
            "token_type": "Bearer",
            "expires_in": 2591974,
            "scope": "customer.customer_read_own tenant=demo",
            "sessionId": "415c",
            "email": "customer@example.com",
            "legalEntityId": "53ac",
        }
    )
    assert validation.email == "customer@example.com"
    assert validation.session_id == "415c"
    assert validation.legal_entity_id == "53ac"
    assert validation.expires_in == 2591974


def test_exchange_response_parses() -> None:
    token = ExchangedToken.model_validate(
        {"access_token": "a", "subject_access_token": "ext", "session_idle_time": 120}
    )
    assert token.subject_access_token == "ext"
    assert token.session_idle_time == 120


def test_token_reprs_never_show_token_values() -> None:
    token = CustomerToken.model_validate(
        {
            "access_token": "SECRET-ACCESS",
            "refresh_token": "SECRET-REFRESH",
            "saas_token": "SECRET-SAAS",
            "saasToken": "SECRET-SAAS-CAMEL",
            "future_id_token": "SECRET-EXTRA",
            "expires_in": 5,
        }
    )
    for text in (repr(token), str(token)):
        assert "SECRET" not in text
        assert "expires_in=5" in text
    # ...while attribute access stays a plain string, ready for a header.
    assert isinstance(token.access_token, str)


def test_request_models_with_passwords_hide_them_from_repr() -> None:
    models = [
        CustomerSignup(email="a@example.com", password="SECRET-1"),
        ChangeEmailRequest(email="a@b.c", password="SECRET-2", new_email="n@b.c"),
        PasswordChange(current_password="SECRET-3", new_password="SECRET-4"),
    ]
    for model in models:
        assert "SECRET" not in repr(model)


def test_customer_profile_with_addresses_parses() -> None:
    customer = Customer.model_validate(
        {
            "id": "13869000",
            "customerNumber": "13869000",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "contactEmail": "demo@example.com",
            "accounts": [{"id": "demo@example.com"}],
            "addresses": [
                {"id": "b05c20e034", "contactName": "Ada", "country": "GB", "isDefault": True},
                {"id": "c1", "contactName": "Ada", "tags": ["BILLING"]},
            ],
            "defaultAddress": {"id": "b05c20e034", "contactName": "Ada", "isDefault": True},
            "metadata": {"version": 2},
            "lastLogin": "2026-01-02T03:04:05Z",
            "businessModel": "B2C",
        }
    )
    assert customer.customer_number == "13869000"
    assert customer.accounts[0].id == "demo@example.com"
    assert [address.is_default for address in customer.addresses] == [True, False]
    assert customer.addresses[1].tags == ["BILLING"]
    assert customer.default_address is not None
    assert customer.default_address.id == "b05c20e034"
    assert customer.metadata is not None
    assert customer.metadata.version == 2
    assert isinstance(customer.last_login, datetime)


def test_anonymous_profile_example_parses() -> None:
    customer = Customer.model_validate(
        {
            "firstName": "Anonymous",
            "lastName": "Anonymous",
            "preferredSite": "default",
            "customerNumber": "00000000",
            "id": "00000000",
            "accounts": [],
        }
    )
    assert customer.first_name == "Anonymous"
    assert customer.addresses == []


def test_signup_body_uses_camel_case_and_leaves_out_unset_fields() -> None:
    signup = CustomerSignup(
        email="a@example.com",
        password="pw-123456",
        customer_details=CustomerDetails(first_name="Ada", contact_email="a@example.com"),
        customer_address=AddressCreate(contact_name="Ada", zip_code="N1", country="GB"),
    )
    assert signup.to_body() == {
        "email": "a@example.com",
        "password": "pw-123456",
        "customerDetails": {"firstName": "Ada", "contactEmail": "a@example.com"},
        "customerAddress": {"contactName": "Ada", "zipCode": "N1", "country": "GB"},
    }


def test_request_models_accept_wire_names_too() -> None:
    details = CustomerDetails.model_validate({"firstName": "Ada", "preferredCurrency": "EUR"})
    assert details.first_name == "Ada"
    assert details.preferred_currency == "EUR"


def test_request_models_reject_unknown_fields() -> None:
    with pytest.raises(ValueError, match="frist_name"):
        CustomerDetails.model_validate({"frist_name": "Ada"})


def test_patch_bodies_carry_the_metadata_version() -> None:
    patch = CustomerPatch(last_name="Byron", metadata=Metadata(version=3))
    assert patch.to_body() == {"lastName": "Byron", "metadata": {"version": 3}}
    update = AddressUpdate(city="London", is_default=True, metadata=Metadata(version=1))
    assert update.to_body() == {"city": "London", "isDefault": True, "metadata": {"version": 1}}


def test_change_email_body_always_states_sync_contact_email() -> None:
    body = ChangeEmailRequest(email="a@b.c", password="pw", new_email="n@b.c").to_body()
    assert body == {
        "email": "a@b.c",
        "password": "pw",
        "newEmail": "n@b.c",
        "syncContactEmail": False,
    }
