"""Bearer-token dependencies for the `/customer/{tenant}/...` routes.

Any valid token of the tenant (anonymous or customer) passes where the spec asks for an
anonymous token: a logged-in storefront that still sends its customer token to, say, the
password-reset endpoint works. Customer-only endpoints refuse anonymous tokens with 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from accountdesk.sandbox.context import SandboxDep
from accountdesk.sandbox.errors import TokenFault, forbidden
from accountdesk.sandbox.tokens import TokenRecord, find_token

_bearer = HTTPBearer(
    auto_error=False,
    description="An anonymous or customer access token: `Authorization: Bearer <token>`.",
)


@dataclass(frozen=True)
class Principal:
    tenant: str
    token: TokenRecord
    raw_token: str

    @property
    def customer_id(self) -> str:
        assert self.token.customer_id is not None
        return self.token.customer_id

    @property
    def is_customer(self) -> bool:
        return self.token.kind == "customer"


async def authenticate(
    tenant: Annotated[str, Path()],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    sandbox: SandboxDep,
) -> Principal:
    """Any live access token of this tenant, else 401 with the gateway `fault` body."""
    if credentials is None or not credentials.credentials.strip():
        raise TokenFault()
    raw = credentials.credentials.strip()
    with sandbox.db.transaction() as conn:
        record = find_token(conn, tenant, raw)
    if record is None or record.revoked or record.kind not in {"anonymous", "customer"}:
        raise TokenFault()
    if record.expires_at <= sandbox.clock.now():
        raise TokenFault(expired=True)
    return Principal(tenant=tenant, token=record, raw_token=raw)


AnyPrincipal = Annotated[Principal, Depends(authenticate)]


async def require_customer(principal: AnyPrincipal) -> Principal:
    if not principal.is_customer:
        raise forbidden()
    return principal


CustomerPrincipal = Annotated[Principal, Depends(require_customer)]
