"""Sandbox-only endpoints under `/_sandbox`: mailbox, clock and tenants.

They exist for tests and for the TUI's mailbox view; a real Emporix tenant has none of them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import ConfigDict, Field

from accountdesk.sandbox import outbox
from accountdesk.sandbox.context import SandboxDep, require_known_tenant
from accountdesk.sandbox.cors import save_allowed_origins
from accountdesk.sandbox.errors import conflict, invalid_field
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.schemas import TextSafeModel
from accountdesk.sandbox.tenants import TENANT_NAME, Tenant, create_tenant, get_tenant

router = APIRouter(prefix="/_sandbox", tags=["Sandbox only"], responses=ERROR_RESPONSES)

# What a browser sends in `Origin`: scheme, host and an optional port, nothing else.
ORIGIN = re.compile(
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https?://\[[0-9A-Fa-f:]+\](:[0-9]{1,5})?$"
)


class ClockAdvance(TextSafeModel):
    model_config = ConfigDict(extra="ignore")

    advance_seconds: float = Field(alias="advanceSeconds", ge=0, le=10 * 365 * 86400)


class TenantIn(TextSafeModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    name: str
    client_id: str = Field(alias="clientId", min_length=1, max_length=128)
    double_opt_in: bool = Field(default=True, alias="doubleOptIn")
    password_min_length: int = Field(default=8, alias="passwordMinLength", ge=1, le=128)
    password_max_length: int = Field(default=128, alias="passwordMaxLength", ge=1, le=4096)
    allowed_origins: list[str] = Field(default_factory=list, alias="allowedOrigins", max_length=50)


@router.get("/{tenant}/outbox")
async def read_outbox(
    sandbox: SandboxDep,
    tenant: Annotated[str, Path()],
    to: Annotated[str | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Every mail sent in this tenant (optionally only to one address), oldest first."""
    require_known_tenant(sandbox, tenant)
    with sandbox.db.transaction() as conn:
        return outbox.list_mail(conn, tenant, to)


@router.delete("/{tenant}/outbox", status_code=204)
async def empty_outbox(sandbox: SandboxDep, tenant: Annotated[str, Path()]) -> Response:
    require_known_tenant(sandbox, tenant)
    with sandbox.db.transaction() as conn:
        outbox.clear_mail(conn, tenant)
    return Response(status_code=204)


@router.get("/clock")
async def read_clock(sandbox: SandboxDep) -> dict[str, str]:
    return {"now": sandbox.clock.isoformat()}


@router.post("/clock")
async def advance_clock(sandbox: SandboxDep, body: ClockAdvance) -> dict[str, str]:
    """Move the emulated time forward (never back), e.g. to expire tokens without sleeping."""
    return {"now": sandbox.clock.isoformat(sandbox.clock.advance(body.advance_seconds))}


@router.post("/tenants", status_code=201)
async def add_tenant(sandbox: SandboxDep, body: TenantIn) -> dict[str, Any]:
    if not TENANT_NAME.match(body.name):
        raise invalid_field(
            "name", "3-16 characters: a lowercase letter, then lowercase letters or digits."
        )
    if body.password_min_length > body.password_max_length:
        raise invalid_field("passwordMinLength", "Must not exceed passwordMaxLength.")
    for index, origin in enumerate(body.allowed_origins):
        if not ORIGIN.match(origin):
            raise invalid_field(
                f"allowedOrigins[{index}]",
                "An origin is scheme://host[:port], e.g. https://shop.example.",
            )
    tenant = Tenant(
        name=body.name,
        client_id=body.client_id,
        double_opt_in=body.double_opt_in,
        password_min_length=body.password_min_length,
        password_max_length=body.password_max_length,
    )
    with sandbox.db.transaction() as conn:
        if get_tenant(conn, body.name) is not None:
            raise conflict(f"Tenant '{body.name}' already exists.")
        create_tenant(conn, tenant)
        save_allowed_origins(conn, tenant.name, body.allowed_origins)
    return {
        "name": tenant.name,
        "clientId": tenant.client_id,
        "doubleOptIn": tenant.double_opt_in,
        "passwordMinLength": tenant.password_min_length,
        "passwordMaxLength": tenant.password_max_length,
        "allowedOrigins": body.allowed_origins,
    }
