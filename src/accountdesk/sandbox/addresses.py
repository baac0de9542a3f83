"""Customer addresses: storage, the default-address rules and the `AddressDto` JSON.

Rules (the spec is silent; chosen once and documented): the first address becomes the default;
at most one address is the default (marking one clears the others); deleting the default
promotes none, so the customer has no default until they choose one.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from accountdesk.sandbox.secrets_util import random_hex

ADDRESS_FIELDS = (
    "contactName",
    "companyName",
    "street",
    "streetNumber",
    "streetAppendix",
    "extraLine1",
    "extraLine2",
    "extraLine3",
    "extraLine4",
    "zipCode",
    "city",
    "country",
    "state",
    "contactPhone",
    "tags",
    "mixins",
)


@dataclass(frozen=True)
class AddressRecord:
    tenant: str
    customer_id: str
    id: str
    data: dict[str, Any]
    is_default: bool
    version: int


def _from_row(row: sqlite3.Row) -> AddressRecord:
    return AddressRecord(
        tenant=row["tenant"],
        customer_id=row["customer_id"],
        id=row["id"],
        data=json.loads(row["data"]),
        is_default=bool(row["is_default"]),
        version=row["version"],
    )


def list_addresses(conn: sqlite3.Connection, tenant: str, customer_id: str) -> list[AddressRecord]:
    rows = conn.execute(
        "SELECT * FROM addresses WHERE tenant = ? AND customer_id = ? ORDER BY position",
        (tenant, customer_id),
    ).fetchall()
    return [_from_row(row) for row in rows]


def get_address(
    conn: sqlite3.Connection, tenant: str, customer_id: str, address_id: str
) -> AddressRecord | None:
    row = conn.execute(
        "SELECT * FROM addresses WHERE tenant = ? AND customer_id = ? AND id = ?",
        (tenant, customer_id, address_id),
    ).fetchone()
    return None if row is None else _from_row(row)


def _clear_default(conn: sqlite3.Connection, tenant: str, customer_id: str) -> None:
    conn.execute(
        "UPDATE addresses SET is_default = 0 WHERE tenant = ? AND customer_id = ?",
        (tenant, customer_id),
    )


def add_address(
    conn: sqlite3.Connection, tenant: str, customer_id: str, data: dict[str, Any]
) -> str:
    """Store a new address; the customer's first address becomes the default."""
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM addresses"
        " WHERE tenant = ? AND customer_id = ?",
        (tenant, customer_id),
    ).fetchone()
    count, last_position = int(row[0]), int(row[1])
    address_id = random_hex(10)
    while conn.execute(
        "SELECT 1 FROM addresses WHERE tenant = ? AND id = ?", (tenant, address_id)
    ).fetchone():
        address_id = random_hex(10)
    conn.execute(
        "INSERT INTO addresses (tenant, customer_id, id, position, data, is_default, version)"
        " VALUES (?, ?, ?, ?, ?, ?, 1)",
        (tenant, customer_id, address_id, last_position + 1, json.dumps(data), int(count == 0)),
    )
    return address_id


def save_address(
    conn: sqlite3.Connection, address: AddressRecord, data: dict[str, Any], is_default: bool
) -> None:
    if is_default and not address.is_default:
        _clear_default(conn, address.tenant, address.customer_id)
    conn.execute(
        "UPDATE addresses SET data = ?, is_default = ?, version = version + 1"
        " WHERE tenant = ? AND id = ?",
        (json.dumps(data), int(is_default), address.tenant, address.id),
    )


def delete_address(conn: sqlite3.Connection, address: AddressRecord) -> None:
    conn.execute("DELETE FROM addresses WHERE tenant = ? AND id = ?", (address.tenant, address.id))


def render_address(address: AddressRecord) -> dict[str, Any]:
    """The `AddressDto` / `Address` schema of the spec."""
    body: dict[str, Any] = {"id": address.id}
    for name in ADDRESS_FIELDS:
        value = address.data.get(name)
        if value is not None:
            body[name] = value
    body.setdefault("tags", [])
    body["isDefault"] = address.is_default
    body["metadata"] = {"mixins": {}, "version": address.version}
    return body
