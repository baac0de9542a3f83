"""`accountdesk sandbox ...` / `python -m accountdesk.sandbox ...`."""

from __future__ import annotations

import argparse
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import platformdirs

from accountdesk.sandbox.app import create_app
from accountdesk.sandbox.host_check import is_loopback
from accountdesk.sandbox.seed import DEMO_EMAIL
from accountdesk.sandbox.server import serve
from accountdesk.sandbox.settings import SandboxSettings
from accountdesk.sandbox.tenants import TENANT_NAME


class _Terminated(Exception):
    """SIGTERM arrived (after uvicorn's graceful shutdown)."""


def _terminated(_signum: int, _frame: FrameType | None) -> None:
    raise _Terminated


def default_db_path() -> Path:
    return platformdirs.user_data_path("accountdesk") / "sandbox.db"


def _tenant_pair(text: str) -> tuple[str, str]:
    name, separator, client_id = text.partition("=")
    if not separator or not client_id:
        raise argparse.ArgumentTypeError(f"expected NAME=CLIENT_ID, got {text!r}")
    if not TENANT_NAME.match(name):
        raise argparse.ArgumentTypeError(
            f"tenant name {name!r}: 3-16 characters, a lowercase letter then letters or digits"
        )
    return name, client_id


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("port must be between 0 and 65535")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accountdesk sandbox",
        description="A local emulator of the Emporix storefront Customer Service API.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def add_common(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--db",
            default=str(default_db_path()),
            help="SQLite file (created if missing) or :memory: (default: %(default)s)",
        )
        command.add_argument(
            "--tenant",
            action="append",
            type=_tenant_pair,
            default=[],
            metavar="NAME=CLIENT_ID",
            help="an extra tenant and its storefront client id (repeatable)",
        )

    serve_command = commands.add_parser("serve", help="run the emulator")
    add_common(serve_command)
    serve_command.add_argument("--host", default="127.0.0.1")
    serve_command.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a Host name besides loopback and --host that may use /_sandbox/* (repeatable)",
    )
    serve_command.add_argument("--port", type=_port, default=8765, help="0 picks a free port")
    serve_command.add_argument(
        "--seed-demo", action="store_true", help=f"create the demo customer {DEMO_EMAIL}"
    )
    serve_command.add_argument(
        "--put-as-patch",
        action="store_true",
        help="accept PUT /me and PUT /me/addresses/{id} as PATCH (for storefronts that send PUT)",
    )
    serve_command.add_argument(
        "--parent-pid", type=int, default=None, help="exit when this process is gone"
    )
    seed_command = commands.add_parser("seed", help="create the demo customer and exit")
    add_common(seed_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    tenants = dict(args.tenant)
    serving_elsewhere = args.command == "serve" and not is_loopback(args.host)
    allowed = [args.host, *args.allow_host] if args.command == "serve" else []
    settings = SandboxSettings(
        allowed_hosts=tuple(allowed),
        put_as_patch=args.command == "serve" and args.put_as_patch,
    )
    try:
        app = create_app(
            args.db,
            seed_demo=args.command == "seed" or args.seed_demo,
            tenants=tenants,
            settings=settings,
        )
    except (OSError, sqlite3.Error) as error:
        print(f"accountdesk sandbox: cannot open the database {args.db}: {error}", file=sys.stderr)
        return 1
    if args.command == "seed":
        # No password on the terminal, not even the public demo one: its place is the README.
        print(f"Demo customer ready: {DEMO_EMAIL} (tenant demo; password in the README)")
        return 0
    # Uvicorn shuts down gracefully on SIGTERM and then re-raises it; turning the re-raised
    # signal into an exception lets a terminated sandbox exit with status 0, like Ctrl-C.
    signal.signal(signal.SIGTERM, _terminated)
    if serving_elsewhere:
        print(
            f"accountdesk sandbox: WARNING: listening on {args.host}, not loopback. Anyone who "
            "can reach this address can use the sandbox, read its mailbox (with every emailed "
            "code) and move its clock. Use it only on a network you trust.",
            file=sys.stderr,
        )
    try:
        serve(app, host=args.host, port=args.port, parent_pid=args.parent_pid)
    except OSError as error:
        print(
            f"accountdesk sandbox: cannot listen on {args.host}:{args.port}: {error}",
            file=sys.stderr,
        )
        return 1
    except (KeyboardInterrupt, _Terminated):
        return 0
    return 0
