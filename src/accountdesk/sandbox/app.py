"""The ASGI application factory of the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from accountdesk.sandbox import (
    routes_addresses,
    routes_anonymous,
    routes_auth,
    routes_credentials,
    routes_federation,
    routes_idp,
    routes_profile,
    routes_sandbox,
    routes_signup,
)
from accountdesk.sandbox.body_limits import BodyLimits
from accountdesk.sandbox.clock import Clock
from accountdesk.sandbox.context import Sandbox, load_secret
from accountdesk.sandbox.cors import TenantCors
from accountdesk.sandbox.db import Database
from accountdesk.sandbox.errors import install_error_handlers
from accountdesk.sandbox.host_check import SandboxHostCheck
from accountdesk.sandbox.http_methods import HttpMethods
from accountdesk.sandbox.seed import ensure_builtin_tenants, seed_demo_customer
from accountdesk.sandbox.settings import SandboxSettings

DESCRIPTION = """\
A stateful local emulator of the Emporix storefront Customer Service (customer-managed).
Emporix paths sit at the root of this server; sandbox-only helpers live under `/_sandbox`.
"""


def create_app(
    db_path: str | Path = ":memory:",
    *,
    seed_demo: bool = True,
    tenants: dict[str, str] | None = None,
    settings: SandboxSettings | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """Build the emulator.

    `db_path` is a SQLite file (created if missing) or `:memory:`. The built-in tenant `demo`
    (client id `demo-storefront`) always exists; `tenants` adds more (name -> client id).
    `seed_demo` creates the demo customer if it is missing.
    """
    settings = settings or SandboxSettings()
    database = Database(db_path)
    clock = clock or Clock()
    with database.transaction() as conn:
        ensure_builtin_tenants(conn, settings, tenants or {})
        if seed_demo:
            seed_demo_customer(conn, clock.now())
        saas_secret = load_secret(conn, "saas_secret")
        idp_secret = load_secret(conn, "idp_secret")

    app = FastAPI(
        title="Account Desk sandbox: Emporix Customer Service emulator",
        description=DESCRIPTION,
        version="1.0.0",
        docs_url="/_sandbox/docs",
        redoc_url=None,
        # `/me/` is not `/me`: a 404 in the Emporix shape, not a 307 with an empty body.
        redirect_slashes=False,
    )
    app.state.sandbox = Sandbox(
        db=database,
        clock=clock,
        settings=settings,
        saas_secret=saas_secret,
        idp_secret=idp_secret,
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimits)
    app.add_middleware(HttpMethods, routes=app.router.routes)
    app.add_middleware(TenantCors, db=database, routes=app.router.routes)
    app.add_middleware(SandboxHostCheck, allowed_hosts=settings.allowed_hosts)
    for module in (
        routes_anonymous,
        routes_signup,
        routes_auth,
        routes_profile,
        routes_addresses,
        routes_credentials,
        routes_federation,
        routes_sandbox,
        routes_idp,
    ):
        # The routes themselves, complete (prefix, tags, responses): `include_router` would
        # put each module behind a wrapper that every request is matched through.
        app.router.routes.extend(module.router.routes)
    if settings.put_as_patch:
        _accept_put_as_patch(app)
    _drop_validation_error_docs(app)
    return app


def _accept_put_as_patch(app: FastAPI) -> None:
    """PUT as an alias of PATCH (application/json) on the profile and on one address."""
    app.add_api_route(
        "/customer/{tenant}/me",
        routes_profile.patch_me,
        methods=["PUT"],
        operation_id="PUT-customer-update-customer-sandbox-alias",
        tags=["Sandbox option: PUT as PATCH"],
    )
    app.add_api_route(
        "/customer/{tenant}/me/addresses/{addressId}",
        routes_addresses.patch_address,
        methods=["PUT"],
        operation_id="PUT-customer-update-customer-address-sandbox-alias",
        tags=["Sandbox option: PUT as PATCH"],
    )


def _drop_validation_error_docs(app: FastAPI) -> None:
    """FastAPI documents a 422 on every route; this app answers validation errors with 400."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            for item in document.get("paths", {}).values():
                for operation in item.values():
                    operation.get("responses", {}).pop("422", None)
            for route in app.routes:
                if isinstance(route, APIRoute) and route.openapi_extra:
                    for method in route.methods or ():
                        # `openapi_extra` lands after `responses`; a declared dependency or
                        # parameter would come before it: the same document, key for key.
                        operation = document["paths"][route.path_format][method.lower()]
                        operation["responses"] = operation.pop("responses")
            schemas = document.get("components", {}).get("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
