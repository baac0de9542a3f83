"""The built-in tenant and the demo customer (documented credentials, idempotent)."""

from __future__ import annotations

import sqlite3

from accountdesk.sandbox.addresses import add_address
from accountdesk.sandbox.customers import find_by_login_email, insert_customer
from accountdesk.sandbox.passwords import hash_password
from accountdesk.sandbox.settings import SandboxSettings
from accountdesk.sandbox.tenants import (
    DEMO_CLIENT_ID,
    DEMO_TENANT,
    Tenant,
    ensure_tenant,
    next_customer_number,
)

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Password-42"  # noqa: S105 - published demo credentials

DEMO_PROFILE = {
    "title": "MRS",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "contactEmail": DEMO_EMAIL,
    "contactPhone": "+44 20 7946 0018",
    "company": "Analytical Engines Ltd",
    "preferredLanguage": "en_GB",
    "preferredCurrency": "GBP",
    "preferredSite": "main",
}

DEMO_ADDRESSES = (
    {
        "contactName": "Ada Lovelace",
        "companyName": "Analytical Engines Ltd",
        "street": "St James's Square",
        "streetNumber": "12",
        "zipCode": "SW1Y 4JH",
        "city": "London",
        "country": "GB",
        "contactPhone": "+44 20 7946 0018",
        "tags": ["BILLING", "SHIPPING"],
    },
    {
        "contactName": "Ada Lovelace",
        "street": "Platz der Republik",
        "streetNumber": "1",
        "zipCode": "11011",
        "city": "Berlin",
        "country": "DE",
        "tags": ["SHIPPING"],
    },
)


def demo_tenant(settings: SandboxSettings) -> Tenant:
    return Tenant(
        name=DEMO_TENANT,
        client_id=DEMO_CLIENT_ID,
        double_opt_in=True,
        password_min_length=settings.password_min_length,
        password_max_length=settings.password_max_length,
    )


def seed_demo_customer(
    conn: sqlite3.Connection, now: float, password_hash: str | None = None
) -> bool:
    """Create the demo customer in tenant `demo` unless it exists. Returns True if created."""
    if find_by_login_email(conn, DEMO_TENANT, DEMO_EMAIL) is not None:
        return False
    customer_id = next_customer_number(conn, DEMO_TENANT)
    insert_customer(
        conn,
        tenant=DEMO_TENANT,
        customer_id=customer_id,
        login_email=DEMO_EMAIL,
        password_hash=password_hash or hash_password(DEMO_PASSWORD),
        active=True,
        profile=dict(DEMO_PROFILE),
        now=now,
    )
    for address in DEMO_ADDRESSES:
        add_address(conn, DEMO_TENANT, customer_id, dict(address))
    return True


def ensure_builtin_tenants(
    conn: sqlite3.Connection, settings: SandboxSettings, extra: dict[str, str]
) -> None:
    ensure_tenant(conn, demo_tenant(settings))
    for name, client_id in extra.items():
        ensure_tenant(
            conn,
            Tenant(
                name=name,
                client_id=client_id,
                double_opt_in=True,
                password_min_length=settings.password_min_length,
                password_max_length=settings.password_max_length,
            ),
        )
