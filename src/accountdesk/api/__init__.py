"""Typed async client for the Emporix storefront Customer Service (customer-managed).

    from accountdesk.api import CustomerApiClient, errors, models

Re-exported here: the client, every error class, the tracing types, and the models a caller
builds or receives. The request-body models the client fills in from keyword arguments
(`ChangeEmailRequest`, `PasswordChange`, …) stay in `accountdesk.api.models`.
"""

from accountdesk.api import errors, models, redaction
from accountdesk.api.client import USER_AGENT, CustomerApiClient
from accountdesk.api.errors import (
    ApiError,
    BadRequestError,
    ConflictError,
    FieldError,
    ForbiddenError,
    InvalidTokenError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    TokenError,
    TokenExpiredError,
    TransportError,
    UnauthorizedError,
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
    "ExchangedToken",
    "FieldError",
    "ForbiddenError",
    "InvalidTokenError",
    "LegalEntity",
    "MalformedResponseError",
    "Metadata",
    "NetworkError",
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
    "errors",
    "models",
    "redaction",
]
