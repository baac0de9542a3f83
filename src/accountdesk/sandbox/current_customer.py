"""The customer behind a request's token, and their `Customer` body."""

from __future__ import annotations

import sqlite3
from typing import Any

from accountdesk.sandbox.addresses import list_addresses, render_address
from accountdesk.sandbox.auth import Principal
from accountdesk.sandbox.customers import CustomerRecord, get_customer, render_customer
from accountdesk.sandbox.errors import TokenFault


def load_customer(conn: sqlite3.Connection, principal: Principal) -> CustomerRecord:
    customer = get_customer(conn, principal.tenant, principal.customer_id)
    if customer is None:
        # The account was deleted while this token was still in a client's hands.
        raise TokenFault()
    return customer


def customer_body(
    conn: sqlite3.Connection, customer: CustomerRecord, *, expand_addresses: bool
) -> dict[str, Any]:
    addresses = [
        render_address(address) for address in list_addresses(conn, customer.tenant, customer.id)
    ]
    default = next((address for address in addresses if address["isDefault"]), None)
    return render_customer(
        customer, addresses=addresses, default_address=default, expand_addresses=expand_addresses
    )
