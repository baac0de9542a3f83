"""Address CRUD, tags and the default-address rules."""

from __future__ import annotations

from sandbox_harness import Harness, fields


async def _add(api: Harness, access: str, name: str, **extra: object) -> str:
    response = await api.call(
        "POST", "/me/addresses", access, json={"contactName": name, "country": "DE", **extra}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _defaults(api: Harness, access: str) -> list[str]:
    listed = (await api.call("GET", "/me/addresses", access)).json()
    return [address["id"] for address in listed if address["isDefault"]]


async def test_first_address_becomes_the_default(api: Harness) -> None:
    access = await api.customer()
    first = await _add(api, access, "First", tags=["BILLING"])
    second = await _add(api, access, "Second")
    listed = (await api.call("GET", "/me/addresses", access)).json()
    assert [address["id"] for address in listed] == [first, second]
    assert await _defaults(api, access) == [first]
    one = (await api.call("GET", f"/me/addresses/{first}", access)).json()
    assert one["contactName"] == "First"
    assert one["tags"] == ["BILLING"]
    assert one["isDefault"] is True
    assert len(one["id"]) == 10


async def test_marking_a_default_clears_the_other(api: Harness) -> None:
    access = await api.customer()
    first = await _add(api, access, "First")
    second = await _add(api, access, "Second")
    response = await api.call("PATCH", f"/me/addresses/{second}", access, json={"isDefault": True})
    assert response.status_code == 200
    assert await _defaults(api, access) == [second]
    assert (await api.call("GET", "/me", access)).json()["defaultAddress"]["id"] == second
    await api.call("PATCH", f"/me/addresses/{second}", access, json={"isDefault": False})
    assert await _defaults(api, access) == []
    assert first


async def test_deleting_the_default_promotes_none(api: Harness) -> None:
    access = await api.customer()
    first = await _add(api, access, "First")
    await _add(api, access, "Second")
    assert (await api.call("DELETE", f"/me/addresses/{first}", access)).status_code == 204
    assert await _defaults(api, access) == []
    assert "defaultAddress" not in (await api.call("GET", "/me", access)).json()
    missing = await api.call("GET", f"/me/addresses/{first}", access)
    assert missing.status_code == 404


async def test_unknown_address_is_not_found(api: Harness) -> None:
    access = await api.customer()
    customer_id = (await api.call("GET", "/me", access)).json()["id"]
    for method in ("GET", "DELETE"):
        response = await api.call(method, "/me/addresses/abc123", access)
        assert response.status_code == 404
        assert response.json() == {
            "status": 404,
            "type": "resource_not_found",
            "message": f"Address abc123 of customer {customer_id} not found.",
        }
    patch = await api.call("PATCH", "/me/addresses/abc123", access, json={"city": "X"})
    assert patch.status_code == 404
    tags = await api.call("POST", "/me/addresses/abc123/tags", access, params={"tags": "A"})
    assert tags.status_code == 404


async def test_addresses_of_other_customers_are_invisible(api: Harness) -> None:
    owner = await api.customer()
    other = await api.customer()
    address = await _add(api, owner, "Mine")
    assert (await api.call("GET", f"/me/addresses/{address}", other)).status_code == 404
    assert (await api.call("DELETE", f"/me/addresses/{address}", other)).status_code == 404
    assert (await api.call("GET", "/me/addresses", other)).json() == []


async def test_patch_address_fields_and_version(api: Harness) -> None:
    access = await api.customer()
    address = await _add(api, access, "Name", city="Berlin", street="Main")
    current = (await api.call("GET", f"/me/addresses/{address}", access)).json()
    version = current["metadata"]["version"]
    updated = await api.call(
        "PATCH",
        f"/me/addresses/{address}",
        access,
        json={"city": "Hamburg", "street": None, "metadata": {"version": version}},
    )
    assert updated.status_code == 200
    body = (await api.call("GET", f"/me/addresses/{address}", access)).json()
    assert body["city"] == "Hamburg"
    assert "street" not in body
    assert body["metadata"]["version"] == version + 1
    stale = await api.call(
        "PATCH",
        f"/me/addresses/{address}",
        access,
        json={"city": "X", "metadata": {"version": version}},
    )
    assert stale.status_code == 409
    unnamed = await api.call("PATCH", f"/me/addresses/{address}", access, json={"contactName": ""})
    assert unnamed.status_code == 400
    assert fields(unnamed) == {"contactName": "missing_value"}


async def test_address_validation(api: Harness) -> None:
    access = await api.customer()
    cases = [
        ({"country": "DE"}, "contactName"),
        ({"contactName": "A", "country": "Germany"}, "country"),
        ({"contactName": "A", "tags": ["ok", " "]}, "tags[1]"),
        ({"contactName": "A", "tags": "BILLING"}, "tags"),
        ({"contactName": "A", "zipCode": 12345}, "zipCode"),
    ]
    await api.assert_each_names_its_field("POST", "/me/addresses", access, cases)


async def test_tags_are_added_and_removed(api: Harness) -> None:
    access = await api.customer()
    address = await _add(api, access, "Tagged", tags=["BILLING"])
    added = await api.call(
        "POST", f"/me/addresses/{address}/tags", access, params={"tags": "SHIPPING, BILLING,HOME"}
    )
    assert added.status_code == 204
    body = (await api.call("GET", f"/me/addresses/{address}", access)).json()
    assert body["tags"] == ["BILLING", "SHIPPING", "HOME"]
    removed = await api.call(
        "DELETE", f"/me/addresses/{address}/tags", access, params={"tags": "BILLING,NOPE"}
    )
    assert removed.status_code == 204
    body = (await api.call("GET", f"/me/addresses/{address}", access)).json()
    assert body["tags"] == ["SHIPPING", "HOME"]
    empty = await api.call("POST", f"/me/addresses/{address}/tags", access, params={"tags": ",,"})
    assert empty.status_code == 400
    missing = await api.call("POST", f"/me/addresses/{address}/tags", access)
    assert missing.status_code == 400
    assert fields(missing) == {"tags": "missing_value"}


async def test_addresses_need_a_customer_token(api: Harness) -> None:
    anonymous = await api.anonymous_token()
    assert (await api.call("GET", "/me/addresses", anonymous)).status_code == 403
    response = await api.call("POST", "/me/addresses", anonymous, json={"contactName": "A"})
    assert response.status_code == 403
    assert (await api.call("GET", "/me/addresses")).status_code == 401
