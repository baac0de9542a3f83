"""What lands in the database: hashes, never working secrets (the outbox aside, by design)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import jwt
from sandbox_harness import PASSWORD, Harness, new_tenant, unique_email

from accountdesk.sandbox import create_app


def _dump(database: Path, *, skip_tables: set[str]) -> str:
    with sqlite3.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        text = []
        for table in tables:
            if table in skip_tables:
                continue
            for row in connection.execute(f"SELECT * FROM {table}"):  # noqa: S608
                text.append(" ".join(str(value) for value in row))
    return "\n".join(text)


async def test_passwords_and_tokens_are_stored_hashed(tmp_path: Path) -> None:
    database = tmp_path / "hashed.db"
    app = create_app(database, seed_demo=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        tenant, client_id = await new_tenant(client)
        api = Harness(client, tenant, client_id)
        email = unique_email()
        anonymous = await api.anonymous()
        customer = await api.register(email)
        await api.call("POST", "/password/reset", anonymous["access_token"], json={"email": email})
        reset = await api.latest(email, "customer.password-reset")
    stored = _dump(database, skip_tables={"outbox"})
    for secret in (
        PASSWORD,
        anonymous["access_token"],
        anonymous["refresh_token"],
        customer["access_token"],
        customer["refresh_token"],
        reset["token"],
    ):
        assert secret not in stored
    with sqlite3.connect(database) as connection:
        hashes = [row[0] for row in connection.execute("SELECT password_hash FROM customers")]
        secret = connection.execute("SELECT value FROM meta WHERE key = 'saas_secret'").fetchone()[
            0
        ]
        customer_id = connection.execute(
            "SELECT id FROM customers WHERE login_email = ?", (email,)
        ).fetchone()[0]
    assert all(value.startswith("$argon2id$") for value in hashes)
    claims = jwt.decode(customer["saas_token"], secret, algorithms=["HS256"])
    assert claims["sub"] == customer_id
    assert claims["exp"] - claims["iat"] == 2591999
