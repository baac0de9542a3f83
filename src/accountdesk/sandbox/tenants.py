"""Tenants: name, storefront client id and per-tenant switches."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

# The spec's tenant parameter: lowercase letter, then letters/digits, 3-16 characters.
TENANT_NAME = re.compile(r"^[a-z][a-z0-9]{2,15}$")
DEMO_TENANT = "demo"
DEMO_CLIENT_ID = "demo-storefront"


@dataclass(frozen=True)
class Tenant:
    name: str
    client_id: str
    double_opt_in: bool
    password_min_length: int
    password_max_length: int


def get_tenant(conn: sqlite3.Connection, name: str) -> Tenant | None:
    row = conn.execute("SELECT * FROM tenants WHERE name = ?", (name,)).fetchone()
    if row is None:
        return None
    return Tenant(
        name=row["name"],
        client_id=row["client_id"],
        double_opt_in=bool(row["double_opt_in"]),
        password_min_length=row["password_min_length"],
        password_max_length=row["password_max_length"],
    )


def create_tenant(conn: sqlite3.Connection, tenant: Tenant) -> None:
    conn.execute(
        "INSERT INTO tenants (name, client_id, double_opt_in, password_min_length,"
        " password_max_length, next_customer_number) VALUES (?, ?, ?, ?, ?, ?)",
        (
            tenant.name,
            tenant.client_id,
            int(tenant.double_opt_in),
            tenant.password_min_length,
            tenant.password_max_length,
            13869000,
        ),
    )


def ensure_tenant(conn: sqlite3.Connection, tenant: Tenant) -> None:
    """Create the tenant, or update its client id if it already exists (command-line tenants)."""
    if get_tenant(conn, tenant.name) is None:
        create_tenant(conn, tenant)
    else:
        conn.execute(
            "UPDATE tenants SET client_id = ? WHERE name = ?", (tenant.client_id, tenant.name)
        )


def next_customer_number(conn: sqlite3.Connection, tenant: str) -> str:
    """Eight-digit, sequential per tenant, like the spec's `13869000`."""
    row = conn.execute(
        "UPDATE tenants SET next_customer_number = next_customer_number + 1"
        " WHERE name = ? RETURNING next_customer_number",
        (tenant,),
    ).fetchone()
    return str(row[0] - 1)
