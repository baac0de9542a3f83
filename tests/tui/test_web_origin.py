"""Only the page ``accountdesk web`` serves may open the app's websocket: textual-serve alone
accepts any origin, so any site the user visits could start an app on their machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
from web_browser import WebServer, web_server


@pytest.fixture
def server(isolated_user_dirs: Path) -> Iterator[WebServer]:
    with web_server() as server:
        yield server


async def test_the_served_page_may_connect_by_either_loopback_name(server: WebServer) -> None:
    port = urlsplit(server.url).port
    async with aiohttp.ClientSession() as http:
        for host in ("127.0.0.1", "localhost"):
            origin = f"http://{host}:{port}"
            async with http.ws_connect(f"{server.url}ws", origin=origin) as websocket:
                assert not websocket.closed, origin


async def test_any_other_origin_is_refused(server: WebServer) -> None:
    origins = ["http://attacker.example", "http://127.0.0.1:1", "null", None]
    async with aiohttp.ClientSession() as http:
        for origin in origins:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"{server.url}ws", origin=origin)
            assert refused.value.status == 403, origin
