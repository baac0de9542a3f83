"""Customer records: storage and the `Customer` JSON the API returns."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from accountdesk.sandbox.clock import to_iso

# Profile fields stored verbatim in the `profile` JSON column.
PROFILE_FIELDS = (
    "title",
    "firstName",
    "middleName",
    "lastName",
    "contactEmail",
    "contactPhone",
    "company",
    "preferredLanguage",
    "preferredCurrency",
    "preferredSite",
    "b2b",
    "mixins",
)
# Defaults from the `CustomerCommonDto` schema.
PROFILE_DEFAULTS = {
    "preferredLanguage": "en_US",
    "preferredCurrency": "USD",
    "preferredSite": "main",
}

ANONYMOUS_PROFILE: dict[str, Any] = {
    "firstName": "Anonymous",
    "lastName": "Anonymous",
    "preferredSite": "default",
    "customerNumber": "00000000",
    "id": "00000000",
    "accounts": [],
}


@dataclass(frozen=True)
class CustomerRecord:
    tenant: str
    id: str
    login_email: str | None
    password_hash: str | None
    active: bool
    provider_id: str | None
    social_email: str | None
    profile: dict[str, Any]
    version: int
    last_login: float | None


def normalise_email(email: str) -> str:
    """Email addresses are compared case-insensitively and stored lower-case."""
    return email.strip().lower()


def _from_row(row: sqlite3.Row) -> CustomerRecord:
    return CustomerRecord(
        tenant=row["tenant"],
        id=row["id"],
        login_email=row["login_email"],
        password_hash=row["password_hash"],
        active=bool(row["active"]),
        provider_id=row["provider_id"],
        social_email=row["social_email"],
        profile=json.loads(row["profile"]),
        version=row["version"],
        last_login=row["last_login"],
    )


def get_customer(conn: sqlite3.Connection, tenant: str, customer_id: str) -> CustomerRecord | None:
    row = conn.execute(
        "SELECT * FROM customers WHERE tenant = ? AND id = ?", (tenant, customer_id)
    ).fetchone()
    return None if row is None else _from_row(row)


def find_by_login_email(conn: sqlite3.Connection, tenant: str, email: str) -> CustomerRecord | None:
    row = conn.execute(
        "SELECT * FROM customers WHERE tenant = ? AND login_email = ?",
        (tenant, normalise_email(email)),
    ).fetchone()
    return None if row is None else _from_row(row)


def find_by_provider(
    conn: sqlite3.Connection, tenant: str, provider_id: str
) -> CustomerRecord | None:
    row = conn.execute(
        "SELECT * FROM customers WHERE tenant = ? AND provider_id = ?", (tenant, provider_id)
    ).fetchone()
    return None if row is None else _from_row(row)


def insert_customer(
    conn: sqlite3.Connection,
    *,
    tenant: str,
    customer_id: str,
    login_email: str | None,
    password_hash: str | None,
    active: bool,
    profile: dict[str, Any],
    now: float,
    provider_id: str | None = None,
    social_email: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO customers (tenant, id, login_email, password_hash, active, provider_id,"
        " social_email, profile, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        (
            tenant,
            customer_id,
            None if login_email is None else normalise_email(login_email),
            password_hash,
            int(active),
            provider_id,
            social_email,
            json.dumps(profile),
            now,
        ),
    )


def save_profile(
    conn: sqlite3.Connection, customer: CustomerRecord, profile: dict[str, Any]
) -> int:
    """Store a new profile and bump `metadata.version`; returns the new version."""
    row = conn.execute(
        "UPDATE customers SET profile = ?, version = version + 1 WHERE tenant = ? AND id = ?"
        " RETURNING version",
        (json.dumps(profile), customer.tenant, customer.id),
    ).fetchone()
    return int(row[0])


_ACCOUNT_COLUMNS = {"login_email", "provider_id", "social_email"}


def update_columns(conn: sqlite3.Connection, customer: CustomerRecord, **columns: Any) -> None:
    """Update account columns (login email, password, activation, login time)."""
    allowed = {
        "login_email",
        "password_hash",
        "active",
        "provider_id",
        "social_email",
        "last_login",
    }
    names = sorted(columns)
    if not set(names) <= allowed:
        raise ValueError(f"not an account column: {set(names) - allowed}")
    assignments = ", ".join(f"{name} = ?" for name in names)
    # metadata.version versions the Customer representation: only changes visible in it
    # (the `accounts` list) count, not a new password, an activation or a login time.
    bump = ", version = version + 1" if set(names) & _ACCOUNT_COLUMNS else ""
    conn.execute(
        f"UPDATE customers SET {assignments}{bump} WHERE tenant = ? AND id = ?",  # noqa: S608
        (*[columns[name] for name in names], customer.tenant, customer.id),
    )


def delete_customer(conn: sqlite3.Connection, customer: CustomerRecord) -> None:
    conn.execute(
        "DELETE FROM customers WHERE tenant = ? AND id = ?", (customer.tenant, customer.id)
    )
    conn.execute(
        "DELETE FROM addresses WHERE tenant = ? AND customer_id = ?", (customer.tenant, customer.id)
    )
    conn.execute(
        "DELETE FROM mail_tokens WHERE tenant = ? AND customer_id = ?",
        (customer.tenant, customer.id),
    )


def accounts_of(customer: CustomerRecord) -> list[dict[str, str]]:
    accounts: list[dict[str, str]] = []
    if customer.login_email is not None:
        accounts.append({"id": customer.login_email})
    if customer.provider_id is not None and customer.social_email is not None:
        accounts.append({"id": customer.social_email, "providerId": customer.provider_id})
    return accounts


def render_customer(
    customer: CustomerRecord,
    *,
    addresses: list[dict[str, Any]],
    default_address: dict[str, Any] | None,
    expand_addresses: bool,
) -> dict[str, Any]:
    """The `Customer` schema of the spec."""
    body: dict[str, Any] = {"id": customer.id, "customerNumber": customer.id}
    for name in PROFILE_FIELDS:
        value = customer.profile.get(name, PROFILE_DEFAULTS.get(name))
        if value is not None and name not in {"b2b", "mixins"}:
            body[name] = value
    body["accounts"] = accounts_of(customer)
    if expand_addresses:
        body["addresses"] = addresses
    if default_address is not None:
        body["defaultAddress"] = default_address
    b2b = customer.profile.get("b2b")
    registration = b2b.get("companyRegistrationId") if isinstance(b2b, dict) else None
    body["businessModel"] = "B2B" if registration else "B2C"
    if registration:
        body["b2b"] = {"companyRegistrationId": registration, "legalEntities": []}
    mixins = customer.profile.get("mixins")
    body["mixins"] = mixins if isinstance(mixins, dict) else {}
    body["metadata"] = {"mixins": {}, "version": customer.version}
    if customer.last_login is not None:
        body["lastLogin"] = to_iso(customer.last_login)
    return body
