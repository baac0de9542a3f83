"""The per-app state every route needs: database, clock, settings and signing secrets."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from accountdesk.sandbox.clock import Clock
from accountdesk.sandbox.db import Database
from accountdesk.sandbox.errors import ApiProblem
from accountdesk.sandbox.settings import SandboxSettings
from accountdesk.sandbox.tenants import Tenant, get_tenant
from accountdesk.sandbox.throttle import PasswordChecks


@dataclass(frozen=True)
class Sandbox:
    db: Database
    clock: Clock
    settings: SandboxSettings
    # Signs saas_token JWTs. Kept in the database so tokens stay verifiable across restarts.
    saas_secret: str
    # Signs the fake identity provider's subject tokens (used by exchangeauthtoken).
    idp_secret: str
    # Password checks in flight, reserved against the per-address lock.
    password_checks: PasswordChecks = field(default_factory=PasswordChecks)


def load_secret(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    if row is not None:
        return str(row[0])
    value = secrets.token_urlsafe(48)
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
    return value


def sandbox_of(request: Request) -> Sandbox:
    sandbox = request.app.state.sandbox
    assert isinstance(sandbox, Sandbox)
    return sandbox


async def get_sandbox(request: Request) -> Sandbox:
    # A coroutine: FastAPI would run a plain function in the thread pool.
    return sandbox_of(request)


SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


def require_tenant(conn: sqlite3.Connection, name: str) -> Tenant:
    """The tenant, or the spec's 400 for tenant problems."""
    tenant = get_tenant(conn, name)
    if tenant is None:
        raise ApiProblem(
            400, "bad_request", "The tenant information provided with the request is not valid."
        )
    return tenant


def require_known_tenant(sandbox: Sandbox, name: str) -> None:
    """For the sandbox-only endpoints, which name the tenant in the path or query: 404."""
    with sandbox.db.transaction() as conn:
        if get_tenant(conn, name) is None:
            raise ApiProblem(404, "resource_not_found", f"Tenant '{name}' does not exist.")
