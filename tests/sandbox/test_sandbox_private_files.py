"""The sandbox database holds emailed tokens and signing secrets: private to the user.

Before, sandbox.db was 0644 in a 0755 directory.
"""

from __future__ import annotations

import stat
from pathlib import Path

import httpx

from accountdesk.sandbox import create_app


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_database_and_its_new_directory_are_private(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "nested" / "sandbox.db"
    transport = httpx.ASGITransport(app=create_app(db, seed_demo=True))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        anonymous = await client.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": "demo", "client_id": "demo-storefront"},
        )
        assert anonymous.status_code == 200
    assert mode(db.parent) == 0o700
    assert mode(db) == 0o600
    wal = db.with_name("sandbox.db-wal")
    assert wal.exists()
    assert mode(wal) == 0o600


def test_an_existing_readable_database_is_made_private(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    create_app(db, seed_demo=False)
    db.chmod(0o644)
    create_app(db, seed_demo=False)
    assert mode(db) == 0o600


def test_a_directory_the_user_chose_keeps_its_mode(tmp_path: Path) -> None:
    chosen = tmp_path / "shared"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    create_app(chosen / "sandbox.db", seed_demo=False)
    assert mode(chosen) == 0o755
    assert mode(chosen / "sandbox.db") == 0o600
