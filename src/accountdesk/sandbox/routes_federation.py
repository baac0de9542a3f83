"""Social login and token exchange, backed by the built-in fake identity provider."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query

from accountdesk.sandbox.auth import AnyPrincipal
from accountdesk.sandbox.errors import invalid_field
from accountdesk.sandbox.idp import federated_customer, redeem_code, verify_subject_token
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.secrets_util import random_token
from accountdesk.sandbox.sessions import start_customer_session
from accountdesk.sandbox.tokens import CUSTOMER_SCOPES

router = APIRouter(
    prefix="/customer/{tenant}",
    tags=["Authentication and authorization"],
    responses=ERROR_RESPONSES,
)

KNOWN_EXCHANGE_CONFIGS = {"default"}


@router.post("/socialLogin", operation_id="POST-customer-login-customer-by-auth0")
async def social_login(
    principal: AnyPrincipal,
    code: Annotated[str, Query()],
    redirect_uri: Annotated[str, Query()],
    code_verifier: Annotated[str | None, Query()] = None,
    session_id: Annotated[str | None, Header(alias="session-id")] = None,
) -> dict[str, Any]:
    """Redeem a code from `/_sandbox/social/authorize`. The body follows the spec's inline
    schema: `expires_in` and `refresh_token_expires_in` are strings and there is no session_id.
    """
    sandbox = principal.sandbox
    now = sandbox.clock.now()
    lifetimes = sandbox.settings.lifetimes
    with sandbox.db.transaction() as conn:
        identity = redeem_code(
            conn,
            tenant=principal.tenant,
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=code_verifier,
            now=now,
        )
        customer = federated_customer(conn, tenant=principal.tenant, identity=identity, now=now)
        pair, saas = start_customer_session(
            conn, sandbox, customer, session_id or principal.token.session_id
        )
    return {
        "social_access_token": random_token(32),
        "social_id_token": random_token(64),
        "refresh_token": pair.refresh_token,
        "refresh_token_expires_in": str(lifetimes.customer_refresh),
        "session_idle_time": lifetimes.social_session_idle,
        "token_type": "Bearer",
        "access_token": pair.access_token,
        "saas_token": saas,
        "expires_in": str(lifetimes.customer_access),
        "scope": f"{CUSTOMER_SCOPES} tenant={principal.tenant}",
    }


@router.post("/exchangeauthtoken", operation_id="POST-customer-exchange-authtoken")
async def exchange_token(
    principal: AnyPrincipal,
    subject_access_token: Annotated[str, Query(alias="subjectAccessToken")],
    config: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Swap a subject JWT of the sandbox IdP for a customer token; unknown users are
    provisioned (Emporix's default). Only the configuration `default` exists."""
    sandbox = principal.sandbox
    if config is not None and config not in KNOWN_EXCHANGE_CONFIGS:
        raise invalid_field("config", f"Unknown exchange configuration '{config}'.")
    now = sandbox.clock.now()
    lifetimes = sandbox.settings.lifetimes
    identity = verify_subject_token(
        secret=sandbox.idp_secret, tenant=principal.tenant, token=subject_access_token, now=now
    )
    with sandbox.db.transaction() as conn:
        customer = federated_customer(conn, tenant=principal.tenant, identity=identity, now=now)
        pair, saas = start_customer_session(conn, sandbox, customer, principal.token.session_id)
    return {
        "subject_access_token": subject_access_token,
        "access_token": pair.access_token,
        "saas_token": saas,
        "refresh_token": pair.refresh_token,
        "refresh_token_expires_in": lifetimes.customer_refresh,
        "session_idle_time": lifetimes.exchange_session_idle,
        "token_type": "Bearer",
        "expires_in": lifetimes.customer_access,
        "scope": f"{CUSTOMER_SCOPES} tenant={principal.tenant}",
        "session_id": pair.session_id,
    }
