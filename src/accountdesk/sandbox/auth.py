"""Bearer-token dependencies for the `/customer/{tenant}/...` routes.

Any valid token of the tenant (anonymous or customer) passes where the spec asks for an
anonymous token: a logged-in storefront that still sends its customer token to, say, the
password-reset endpoint works. Customer-only endpoints refuse anonymous tokens with 403.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from fastapi.security.base import SecurityBase

from accountdesk.sandbox.context import Sandbox, sandbox_of
from accountdesk.sandbox.errors import TokenFault, forbidden
from accountdesk.sandbox.tokens import TokenRecord, find_token


@dataclass(frozen=True)
class Principal:
    tenant: str
    token: TokenRecord
    raw_token: str
    # The routes that take a principal read the sandbox from it: a second dependency for it
    # costs FastAPI more per request (about 8 us) than the route's own query.
    sandbox: Sandbox

    @property
    def customer_id(self) -> str:
        assert self.token.customer_id is not None
        return self.token.customer_id

    @property
    def is_customer(self) -> bool:
        return self.token.kind == "customer"


class BearerPrincipal(SecurityBase):
    """The principal behind `Authorization: Bearer <token>`, else 401 with the gateway `fault`
    body; with `customers_only`, anonymous tokens get 403.

    One dependency that reads the request itself: FastAPI resolves every nested dependency on
    every request, and the chain this replaced (path parameter, HTTPBearer, sandbox, then the
    customer check) cost more CPU than the token lookup and the route together. Being a
    `SecurityBase`, it still documents the bearer scheme in the OpenAPI document. `GET /me`
    calls `authenticate` itself instead, inside its own read, and documents the scheme with
    `operation_docs`.
    """

    def __init__(self, *, customers_only: bool) -> None:
        self.model = HTTPBearerModel(
            description="An anonymous or customer access token: `Authorization: Bearer <token>`."
        )
        self.scheme_name = "HTTPBearer"
        self.customers_only = customers_only

    async def __call__(self, request: Request) -> Principal:
        sandbox = sandbox_of(request)
        with sandbox.db.read() as conn:
            return self.authenticate(conn, request, sandbox)

    def authenticate(
        self, conn: sqlite3.Connection, request: Request, sandbox: Sandbox
    ) -> Principal:
        """The check itself, for a route that runs it inside its own read (`GET /me`)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        raw = token.strip()
        if scheme.lower() != "bearer" or not raw:
            raise TokenFault()
        tenant: str = request.path_params["tenant"]
        record = find_token(conn, tenant, raw)
        if record is None or record.revoked or record.kind not in {"anonymous", "customer"}:
            raise TokenFault()
        if record.expires_at <= sandbox.clock.now():
            raise TokenFault(expired=True)
        if self.customers_only and record.kind != "customer":
            raise forbidden()
        return Principal(tenant=tenant, token=record, raw_token=raw, sandbox=sandbox)

    def operation_docs(self) -> dict[str, Any]:
        """What FastAPI documents for this dependency, for a route that calls it itself."""
        return {"security": [{self.scheme_name: []}]}


ANY_TOKEN = BearerPrincipal(customers_only=False)
AnyPrincipal = Annotated[Principal, Depends(ANY_TOKEN)]
CustomerPrincipal = Annotated[Principal, Depends(BearerPrincipal(customers_only=True))]
