"""The customer's addresses and their tags."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from accountdesk.sandbox.addresses import (
    AddressRecord,
    add_address,
    delete_address,
    get_address,
    list_addresses,
    render_address,
    save_address,
)
from accountdesk.sandbox.auth import CustomerPrincipal, Principal
from accountdesk.sandbox.body_limits import MAX_ADDRESSES, check_stored
from accountdesk.sandbox.current_customer import load_customer
from accountdesk.sandbox.errors import ApiProblem, conflict, invalid_field
from accountdesk.sandbox.inputs import address_changes, new_address_data, normalise_tags
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.schemas import AddressIn, AddressPatchIn
from accountdesk.sandbox.validation import FieldProblems

router = APIRouter(
    prefix="/customer/{tenant}/me/addresses", tags=["Addresses"], responses=ERROR_RESPONSES
)

AddressId = Annotated[str, Path(alias="addressId", min_length=1)]
Tags = Annotated[str, Query(min_length=1, description="Comma-separated tags.")]


def _find(conn: sqlite3.Connection, principal: Principal, address_id: str) -> AddressRecord:
    customer = load_customer(conn, principal)
    address = get_address(conn, principal.tenant, customer.id, address_id)
    if address is None:
        raise ApiProblem(
            404,
            "resource_not_found",
            f"Address {address_id} of customer {customer.id} not found.",
        )
    return address


def _parse_tags(tags: str) -> list[str]:
    parts = [part for part in tags.split(",") if part.strip()]
    if not parts:
        raise invalid_field("tags", "Give at least one tag, for example BILLING,SHIPPING.")
    with FieldProblems() as problems:
        return normalise_tags(problems, parts, "tags")


@router.post("", status_code=201, operation_id="POST-customer-add-address")
async def create_address(principal: CustomerPrincipal, body: AddressIn) -> dict[str, str]:
    """Add an address; the customer's first address becomes the default."""
    with FieldProblems(AddressIn) as problems:
        data = new_address_data(problems, body, "")
    with principal.sandbox.db.transaction() as conn:
        customer = load_customer(conn, principal)
        # Counted in the same transaction as the insert: parallel requests cannot overshoot.
        if len(list_addresses(conn, principal.tenant, customer.id)) >= MAX_ADDRESSES:
            raise ApiProblem(
                400, "bad_request", f"A customer has at most {MAX_ADDRESSES} addresses."
            )
        return {"id": add_address(conn, principal.tenant, customer.id, data)}


@router.get("", operation_id="GET-customer-list-customer-addresses")
async def get_addresses(principal: CustomerPrincipal) -> list[dict[str, Any]]:
    with principal.sandbox.db.read() as conn:
        customer = load_customer(conn, principal)
        return [render_address(a) for a in list_addresses(conn, principal.tenant, customer.id)]


@router.get("/{addressId}", operation_id="GET-customer-retrieve-address-by-id")
async def get_one_address(principal: CustomerPrincipal, address_id: AddressId) -> dict[str, Any]:
    with principal.sandbox.db.read() as conn:
        return render_address(_find(conn, principal, address_id))


@router.patch("/{addressId}", operation_id="PATCH-customer-update-customer-address")
async def patch_address(
    principal: CustomerPrincipal, address_id: AddressId, body: AddressPatchIn
) -> dict[str, Any]:
    """Present non-null fields replace, nulls clear (except `contactName`, which is required).
    `isDefault: true` makes it the only default; `false` leaves the customer without one."""
    with FieldProblems(AddressPatchIn) as problems:
        changes = address_changes(problems, body, "")
    with principal.sandbox.db.transaction() as conn:
        address = _find(conn, principal, address_id)
        expected = None if body.metadata is None else body.metadata.version
        if expected is not None and expected != address.version:
            raise conflict(
                "The address was changed in the meantime (metadata.version is stale)."
                " Reload and retry."
            )
        data = dict(address.data)
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        is_default = address.is_default if body.is_default is None else body.is_default
        check_stored(data, "address")
        save_address(conn, address, data, is_default)
        return render_address(_find(conn, principal, address_id))


@router.delete(
    "/{addressId}", status_code=204, operation_id="DELETE-customer-remove-customer-address-by-id"
)
async def remove_address(principal: CustomerPrincipal, address_id: AddressId) -> Response:
    """Deleting the default promotes no other address."""
    with principal.sandbox.db.transaction() as conn:
        delete_address(conn, _find(conn, principal, address_id))
    return Response(status_code=204)


@router.post("/{addressId}/tags", status_code=204, operation_id="POST-customer-add-address-tags")
async def add_tags(principal: CustomerPrincipal, address_id: AddressId, tags: Tags) -> Response:
    wanted = _parse_tags(tags)
    with principal.sandbox.db.transaction() as conn:
        address = _find(conn, principal, address_id)
        current = list(address.data.get("tags") or [])
        with FieldProblems() as problems:
            merged = normalise_tags(
                problems, current + [tag for tag in wanted if tag not in current], "tags"
            )
        save_address(conn, address, {**address.data, "tags": merged}, address.is_default)
    return Response(status_code=204)


@router.delete(
    "/{addressId}/tags", status_code=204, operation_id="DELETE-customer-remove-address-tags"
)
async def remove_tags(principal: CustomerPrincipal, address_id: AddressId, tags: Tags) -> Response:
    """Tags that the address does not carry are ignored."""
    unwanted = set(_parse_tags(tags))
    with principal.sandbox.db.transaction() as conn:
        address = _find(conn, principal, address_id)
        kept = [tag for tag in address.data.get("tags") or [] if tag not in unwanted]
        save_address(conn, address, {**address.data, "tags": kept}, address.is_default)
    return Response(status_code=204)
