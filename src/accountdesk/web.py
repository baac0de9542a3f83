"""``accountdesk web``: the same app in a browser, served by textual-serve.

Every browser connection starts its own ``accountdesk`` process (with the options given here),
so two tabs are two independent sessions, as two terminals would be.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import shlex
import signal
import socket
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

from aiohttp import web
from rich.logging import RichHandler
from textual_serve.server import Server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
READY_PREFIX = "Account Desk is served at "


def is_loopback(host: str) -> bool:
    """True only for addresses no other machine can reach; unknown names count as remote."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts so ``--port 0`` has a real port."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family)


class AccountDeskServer(Server):
    """textual-serve's server on a socket we bound, refusing other web pages' websockets.

    textual-serve accepts a websocket from any origin, so any page the user visits could open
    one to a loopback port and drive a fresh app (which resumes a remembered session). Only
    the page this server hands out may connect.
    """

    def __init__(self, command: str, listener: socket.socket, public_url: str | None) -> None:
        host, port = listener.getsockname()[:2]
        display_host = f"[{host}]" if ":" in host else host
        super().__init__(
            command,
            host=display_host,
            port=port,
            title="Account Desk",
            public_url=public_url,
        )
        self.listener = listener
        self.allowed_origins = {origin_of(self.public_url)}
        if public_url is None and is_loopback(host):
            # The page may have been opened as http://localhost:PORT: the same server.
            self.allowed_origins |= {
                f"http://{name}:{port}" for name in ("localhost", "127.0.0.1", "[::1]")
            }
        self.connections: set[asyncio.BaseTransport] = set()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if request.headers.get("Origin") not in self.allowed_origins:
            raise web.HTTPForbidden(text="This page may not drive Account Desk.\n")
        transport = request.transport
        if transport is None:  # the client is already gone
            raise web.HTTPBadRequest
        self.connections.add(transport)
        try:
            return await super().handle_websocket(request)
        finally:
            self.connections.discard(transport)

    async def on_shutdown(self, app: web.Application) -> None:
        # aiohttp waits (up to a minute) for open websockets on shutdown; dropping them ends
        # each connection's loop, and textual-serve then tells its app to quit.
        for transport in list(self.connections):
            transport.close()

    def initialize_logging(self) -> None:
        # textual-serve's own logging prints tracebacks with local variables, and the
        # websocket loop's locals hold what the user typed: passwords included.
        logging.basicConfig(
            level=logging.DEBUG if self.debug else logging.INFO,
            format="%(message)s",
            handlers=[RichHandler(show_path=False, show_time=False, console=self.console)],
        )

    async def on_startup(self, app: web.Application) -> None:
        # One plain line that scripts and tests can read (the library prints a wrapped banner).
        print(f"{READY_PREFIX}{self.public_url}/ (ctrl+c stops it)", flush=True)

    def serve(self, debug: bool = False) -> None:
        """Like textual-serve's own, but on ``self.listener``."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        loop.add_signal_handler(signal.SIGINT, self.request_exit)
        loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(
            self._make_app(),
            sock=self.listener,
            handle_signals=False,
            loop=loop,
            print=lambda *_args: None,
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accountdesk web",
        usage="accountdesk web [--host HOST] [--port PORT] [--allow-remote] [--public-url URL] "
        "[--kiosk] [app options]",
        description=(
            "Serve Account Desk to a browser. Every other option (--kiosk, --env, --theme, …) "
            "is passed on to the app each browser tab runs."
        ),
        epilog="The app's options: see 'accountdesk --help'.",
        # Options this parser does not know go to the app; abbreviations would steal them.
        allow_abbrev=False,
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}, this machine only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on, 0 for any free one (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (plain HTTP: put TLS in front of it)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when it differs (e.g. https://kiosk.example.com "
        "behind a TLS proxy)",
    )
    return parser


def app_command(app_options: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser connection."""
    # exec: the shell textual-serve starts becomes the app instead of waiting for it.
    return "exec " + shlex.join([sys.executable, "-m", "accountdesk", *app_options])


def remote_warning(host: str) -> str:
    return (
        f"accountdesk web: warning: listening on {host}, which other machines can reach. "
        "Anyone who reaches it gets the app, over plain HTTP: logins and customer data "
        "travel unencrypted unless a TLS proxy is in front."
    )


def serve(
    parser: argparse.ArgumentParser, options: argparse.Namespace, app_options: Sequence[str]
) -> int:
    """Check the network options, then serve until ctrl+c or SIGTERM."""
    if not is_loopback(options.host):
        if not options.allow_remote:
            parser.error(
                f"--host {options.host} can be reached from other machines; "
                "add --allow-remote if that is what you want"
            )
        print(remote_warning(options.host), file=sys.stderr, flush=True)
    if options.public_url is not None and urlsplit(options.public_url).scheme not in (
        "http",
        "https",
    ):
        parser.error("--public-url must start with http:// or https://")
    try:
        listener = bind(options.host, options.port)
    except OSError as error:
        parser.error(f"cannot listen on {options.host}:{options.port}: {error.strerror}")
    public_url = options.public_url.rstrip("/") if options.public_url else None
    AccountDeskServer(app_command(app_options), listener, public_url).serve()
    return 0
