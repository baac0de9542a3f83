"""The sandbox-only endpoints: outbox, clock, tenants, and tenant isolation."""

from __future__ import annotations

from datetime import datetime

from sandbox_harness import Harness, fields, new_tenant, unique_email


async def test_outbox_lists_oldest_first_filters_and_empties(api: Harness) -> None:
    first, second = unique_email("a"), unique_email("b")
    await api.signup(first)
    await api.signup(second)
    everything = await api.mails()
    assert [mail["to"] for mail in everything] == [first, second]
    assert int(everything[0]["id"]) < int(everything[1]["id"])
    assert everything[0]["subject"]
    datetime.fromisoformat(everything[0]["createdAt"].replace("Z", "+00:00"))
    assert [mail["to"] for mail in await api.mails(second.upper())] == [second]
    cleared = await api.client.delete(f"/_sandbox/{api.tenant}/outbox")
    assert cleared.status_code == 204
    assert await api.mails() == []


async def test_outbox_of_unknown_tenant_is_not_found(api: Harness) -> None:
    response = await api.client.get("/_sandbox/nosuchtenant/outbox")
    assert response.status_code == 404
    assert response.json()["type"] == "resource_not_found"
    assert (await api.client.delete("/_sandbox/nosuchtenant/outbox")).status_code == 404


async def test_clock_moves_forward_only(api: Harness) -> None:
    before = (await api.client.get("/_sandbox/clock")).json()["now"]
    moved = await api.client.post("/_sandbox/clock", json={"advanceSeconds": 3600})
    assert moved.status_code == 200
    delta = datetime.fromisoformat(
        moved.json()["now"].replace("Z", "+00:00")
    ) - datetime.fromisoformat(before.replace("Z", "+00:00"))
    assert 3600 <= delta.total_seconds() < 3700
    backwards = await api.client.post("/_sandbox/clock", json={"advanceSeconds": -5})
    assert backwards.status_code == 400
    assert fields(backwards) == {"advanceSeconds": "invalid_value"}
    missing = await api.client.post("/_sandbox/clock", json={})
    assert fields(missing) == {"advanceSeconds": "missing_value"}


async def test_tenant_creation_rules(api: Harness) -> None:
    duplicate = await api.client.post(
        "/_sandbox/tenants", json={"name": api.tenant, "clientId": "x", "doubleOptIn": True}
    )
    assert duplicate.status_code == 409
    for name in ("ab", "Upper", "1abc", "a" * 17, "with-dash"):
        bad = await api.client.post("/_sandbox/tenants", json={"name": name, "clientId": "x"})
        assert bad.status_code == 400, name
        assert fields(bad) == {"name": "invalid_value"}


async def test_tenant_without_double_opt_in_activates_at_signup(api: Harness) -> None:
    tenant, client_id = await new_tenant(api.client, double_opt_in=False)
    other = Harness(api.client, tenant, client_id)
    email = unique_email()
    assert (await other.signup(email)).status_code == 201
    assert await other.mails() == []
    assert (await other.login(email, "Sandbox-Pass-1")).status_code == 200


async def test_tenants_do_not_see_each_others_customers(api: Harness) -> None:
    email = unique_email()
    await api.register(email)
    tenant, client_id = await new_tenant(api.client)
    other = Harness(api.client, tenant, client_id)
    assert (await other.login(email, "Sandbox-Pass-1")).status_code == 401
    # The same email can register independently in the other tenant.
    assert (await other.signup(email)).status_code == 201
    assert await other.mails(email) != []
    assert len(await api.mails(email)) == 1
