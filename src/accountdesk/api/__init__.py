"""Typed async client for the Emporix storefront Customer Service (customer-managed).

    from accountdesk.api import CustomerApiClient, errors, models

Re-exported here: the client, every error class, the tracing types, and the models a caller
builds or receives. The request-body models the client fills in from keyword arguments
(`ChangeEmailRequest`, `PasswordChange`, …) stay in `accountdesk.api.models`.

The names load on first use (PEP 562): the TUI needs the error classes and `TraceEvent` to
paint its first screen, not httpx and the pydantic models (~110 ms of imports), which the
client brings once it is built. Type checkers read the imports below.
"""

from typing import TYPE_CHECKING

from accountdesk._lazy import lazy_exports

if TYPE_CHECKING:
    from accountdesk.api import errors, models, redaction
    from accountdesk.api.client import USER_AGENT, CustomerApiClient
    from accountdesk.api.errors import (
        AccountDeskError,
        ApiError,
        BadRequestError,
        ConflictError,
        EmailTakenError,
        FieldError,
        ForbiddenError,
        InvalidCodeError,
        InvalidTokenError,
        MalformedResponseError,
        NetworkError,
        NotActivatedError,
        NotFoundError,
        RateLimitedError,
        RequestTimeout,
        ServerError,
        TokenError,
        TokenExpiredError,
        TransportError,
        UnauthorizedError,
        VersionConflictError,
    )
    from accountdesk.api.models import (
        AccountId,
        Address,
        AddressCreate,
        AddressUpdate,
        AnonymousToken,
        B2BCreate,
        B2BInfo,
        Credentials,
        Customer,
        CustomerDetails,
        CustomerPatch,
        CustomerSignup,
        CustomerToken,
        DeletionOutcome,
        ExchangedToken,
        LegalEntity,
        Metadata,
        RefreshedCustomerToken,
        SocialLoginToken,
        TokenValidation,
    )
    from accountdesk.api.retry import RetryPolicy
    from accountdesk.api.tracing import TraceCallback, TraceEvent

__all__ = [
    "USER_AGENT",
    "AccountDeskError",
    "AccountId",
    "Address",
    "AddressCreate",
    "AddressUpdate",
    "AnonymousToken",
    "ApiError",
    "B2BCreate",
    "B2BInfo",
    "BadRequestError",
    "ConflictError",
    "Credentials",
    "Customer",
    "CustomerApiClient",
    "CustomerDetails",
    "CustomerPatch",
    "CustomerSignup",
    "CustomerToken",
    "DeletionOutcome",
    "EmailTakenError",
    "ExchangedToken",
    "FieldError",
    "ForbiddenError",
    "InvalidCodeError",
    "InvalidTokenError",
    "LegalEntity",
    "MalformedResponseError",
    "Metadata",
    "NetworkError",
    "NotActivatedError",
    "NotFoundError",
    "RateLimitedError",
    "RefreshedCustomerToken",
    "RequestTimeout",
    "RetryPolicy",
    "ServerError",
    "SocialLoginToken",
    "TokenError",
    "TokenExpiredError",
    "TokenValidation",
    "TraceCallback",
    "TraceEvent",
    "TransportError",
    "UnauthorizedError",
    "VersionConflictError",
    "errors",
    "models",
    "redaction",
]

if not TYPE_CHECKING:  # a __getattr__ would make any misspelt import type-check as Any
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "client": (
                "USER_AGENT",
                "CustomerApiClient",
            ),
            "errors": (
                "AccountDeskError",
                "ApiError",
                "BadRequestError",
                "ConflictError",
                "EmailTakenError",
                "FieldError",
                "ForbiddenError",
                "InvalidCodeError",
                "InvalidTokenError",
                "MalformedResponseError",
                "NetworkError",
                "NotActivatedError",
                "NotFoundError",
                "RateLimitedError",
                "RequestTimeout",
                "ServerError",
                "TokenError",
                "TokenExpiredError",
                "TransportError",
                "UnauthorizedError",
                "VersionConflictError",
            ),
            "models": (
                "AccountId",
                "Address",
                "AddressCreate",
                "AddressUpdate",
                "AnonymousToken",
                "B2BCreate",
                "B2BInfo",
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
                "RefreshedCustomerToken",
                "SocialLoginToken",
                "TokenValidation",
            ),
            "retry": ("RetryPolicy",),
            "tracing": (
                "TraceCallback",
                "TraceEvent",
            ),
        },
        submodules=("errors", "models", "redaction"),
    )
