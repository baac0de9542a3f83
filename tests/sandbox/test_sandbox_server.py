"""The `serve` command as a real process: ready line, persistence, signals, concurrency."""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sandbox_harness import PASSWORD, Harness, bearer, unique_email

from accountdesk.sandbox.cli import build_parser, default_db_path, main
from accountdesk.sandbox.seed import DEMO_PASSWORD
from accountdesk.sandbox.server import bind_socket

READY = "Account Desk sandbox ready at "


@contextmanager
def running_sandbox(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "accountdesk.sandbox", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(READY), (line, process.stderr.read() if process.stderr else "")
        yield line.removeprefix(READY).strip(), process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


def test_ready_line_and_clean_sigterm(tmp_path: Path) -> None:
    with running_sandbox("--db", str(tmp_path / "s.db"), "--seed-demo") as (url, process):
        assert url.startswith("http://127.0.0.1:")
        assert not url.endswith(":0")
        response = httpx.get(
            f"{url}/customerlogin/auth/anonymous/login",
            params={"tenant": "demo", "client_id": "demo-storefront"},
        )
        assert response.status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert process.stdout is not None
        assert process.stdout.read() == ""  # exactly one line on stdout


def test_ctrl_c_exits_cleanly() -> None:
    with running_sandbox("--db", ":memory:") as (_url, process):
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0


def test_exits_when_the_parent_process_is_gone() -> None:
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    with running_sandbox("--db", ":memory:", "--parent-pid", str(parent.pid)) as (_url, process):
        parent.kill()
        parent.wait()
        assert process.wait(timeout=15) == 0


def test_query_string_tokens_are_not_logged(tmp_path: Path) -> None:
    with running_sandbox("--db", str(tmp_path / "s.db"), "--seed-demo") as (url, process):
        anonymous = httpx.get(
            f"{url}/customerlogin/auth/anonymous/login",
            params={"tenant": "demo", "client_id": "demo-storefront"},
        ).json()["access_token"]
        login = httpx.post(
            f"{url}/customer/demo/login",
            json={"email": "demo@example.com", "password": "Demo-Password-42"},
            headers=bearer(anonymous),
        ).json()
        access = login["access_token"]
        httpx.get(
            f"{url}/customer/demo/logout", params={"accessToken": access}, headers=bearer(access)
        )
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        assert process.stderr is not None
        logged = process.stderr.read()
    assert access not in logged
    assert "Demo-Password-42" not in logged


def test_data_survives_a_restart(tmp_path: Path) -> None:
    database = tmp_path / "persist.db"
    email = unique_email()

    async def first_run(url: str) -> str:
        async with httpx.AsyncClient(base_url=url) as client:
            tenant = Harness(client, "demo", "demo-storefront")
            access = await tenant.customer(email)
            created = await tenant.call(
                "POST", "/me/addresses", access, json={"contactName": "Kept", "country": "FR"}
            )
            await tenant.call("PATCH", "/me", access, json={"firstName": "Persisted"})
            return str(created.json()["id"])

    async def second_run(url: str, address_id: str) -> None:
        async with httpx.AsyncClient(base_url=url) as client:
            tenant = Harness(client, "demo", "demo-storefront")
            login = await tenant.login(email, PASSWORD)
            assert login.status_code == 200
            access = login.json()["access_token"]
            me = (await tenant.call("GET", "/me?expand=addresses", access)).json()
            assert me["firstName"] == "Persisted"
            assert [address["id"] for address in me["addresses"]] == [address_id]
            # The demo customer was seeded once, not twice.
            demo = await tenant.login("demo@example.com", "Demo-Password-42")
            assert demo.status_code == 200
            addresses = await tenant.call("GET", "/me/addresses", demo.json()["access_token"])
            assert len(addresses.json()) == 2

    with running_sandbox("--db", str(database), "--seed-demo") as (url, _process):
        address_id = asyncio.run(first_run(url))
    with running_sandbox("--db", str(database), "--seed-demo") as (url, _process):
        asyncio.run(second_run(url, address_id))


def test_every_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    """A 2xx is a promise: with the process SIGKILLed right after the last answer (no shutdown,
    no checkpoint), every acknowledged profile change and address is there on the next start."""
    database = tmp_path / "killed.db"
    email = unique_email()

    async def write(url: str) -> list[str]:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            tenant = Harness(client, "demo", "demo-storefront")
            access = await tenant.customer(email)
            created = await asyncio.gather(
                *(
                    tenant.call(
                        "POST",
                        "/me/addresses",
                        access,
                        json={"contactName": f"c{i}", "country": "DE"},
                    )
                    for i in range(20)
                )
            )
            assert {response.status_code for response in created} == {201}
            patched = await tenant.call("PATCH", "/me", access, json={"middleName": "last-write"})
            assert patched.status_code == 200
            return sorted(str(response.json()["id"]) for response in created)

    async def read(url: str) -> tuple[str, list[str]]:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            tenant = Harness(client, "demo", "demo-storefront")
            login = await tenant.login(email, PASSWORD)
            access = login.json()["access_token"]
            me = (await tenant.call("GET", "/me?expand=addresses", access)).json()
            return me["middleName"], sorted(address["id"] for address in me["addresses"])

    with running_sandbox("--db", str(database)) as (url, process):
        address_ids = asyncio.run(write(url))
        process.kill()
        process.wait(timeout=15)
    with running_sandbox("--db", str(database)) as (url, _process):
        assert asyncio.run(read(url)) == ("last-write", address_ids)


def test_extra_tenants_from_the_command_line() -> None:
    with running_sandbox("--db", ":memory:", "--tenant", "acme=acme-shop") as (url, _process):
        response = httpx.get(
            f"{url}/customerlogin/auth/anonymous/login",
            params={"tenant": "acme", "client_id": "acme-shop"},
        )
        assert response.status_code == 200


def test_concurrent_writers_do_not_corrupt_the_database(tmp_path: Path) -> None:
    database = tmp_path / "busy.db"

    async def hammer(url: str) -> None:
        limits = httpx.Limits(max_connections=60)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
            tenant = Harness(client, "demo", "demo-storefront")
            access = await tenant.customer()
            start = (await tenant.call("GET", "/me", access)).json()["metadata"]["version"]
            patches = [
                tenant.call("PATCH", "/me", access, json={"middleName": f"n{index}"})
                for index in range(50)
            ]
            creates = [
                tenant.call(
                    "POST",
                    "/me/addresses",
                    access,
                    json={"contactName": f"c{index}", "country": "DE"},
                )
                for index in range(50)
            ]
            responses = await asyncio.gather(*patches, *creates)
            assert [response.status_code for response in responses] == [200] * 50 + [201] * 50
            me = (await tenant.call("GET", "/me", access)).json()
            assert me["metadata"]["version"] == start + 50
            addresses = (await tenant.call("GET", "/me/addresses", access)).json()
            assert len(addresses) == 50
            assert len({address["id"] for address in addresses}) == 50
            assert sum(address["isDefault"] for address in addresses) == 1

    with running_sandbox("--db", str(database)) as (url, _process):
        asyncio.run(hammer(url))
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_seed_command_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = str(tmp_path / "seed.db")
    assert main(["seed", "--db", database]) == 0
    assert main(["seed", "--db", database]) == 0
    printed = capsys.readouterr().out
    assert "demo@example.com" in printed
    assert DEMO_PASSWORD not in printed

    with sqlite3.connect(database) as connection:
        count = connection.execute(
            "SELECT COUNT(*) FROM customers WHERE login_email = 'demo@example.com'"
        ).fetchone()[0]
    assert count == 1


def test_cli_arguments() -> None:
    parser = build_parser()
    args = parser.parse_args(["serve"])
    assert args.port == 8765
    assert args.host == "127.0.0.1"
    assert args.db == str(default_db_path())
    assert default_db_path().name == "sandbox.db"
    for bad in (
        ["serve", "--tenant", "noequals"],
        ["serve", "--tenant", "X=y"],
        ["serve", "--port", "70000"],
    ):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)


def test_port_in_use_is_reported(tmp_path: Path) -> None:
    with running_sandbox("--db", ":memory:") as (url, _process):
        port = url.rsplit(":", 1)[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "accountdesk.sandbox",
                "serve",
                "--port",
                port,
                "--db",
                ":memory:",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert "cannot listen" in result.stderr
    assert result.stdout == ""


def test_unusable_database_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_database = tmp_path / "garbage.db"
    not_a_database.write_bytes(b"this is not sqlite" * 100)
    assert main(["serve", "--port", "0", "--db", str(not_a_database)]) == 1
    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert main(["seed", "--db", str(blocked / "sub" / "s.db")]) == 1
    errors = capsys.readouterr().err
    assert "cannot open the database" in errors


def test_the_listening_socket_is_created_as_tcp_so_answers_are_not_delayed() -> None:
    """asyncio sets TCP_NODELAY only on sockets created as TCP; with protocol 0 every
    keep-alive answer waited for the delayed ACK (about 40 ms: 23 requests a second)."""
    sock = bind_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
