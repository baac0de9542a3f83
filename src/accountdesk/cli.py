"""The ``accountdesk`` command: the TUI by default, ``accountdesk sandbox ...`` for the emulator,
``accountdesk web ...`` for the TUI in a browser.

Only the branch that runs imports its heavy dependencies, so ``--version`` and ``--help`` stay
fast and ``accountdesk sandbox`` never loads Textual.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from accountdesk import __version__

if TYPE_CHECKING:
    from accountdesk.session import Environment, Settings

EXIT_OK = 0
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accountdesk",
        description=(
            "Manage your Emporix storefront account in the terminal. Without options it talks "
            "to the embedded sandbox (demo login: demo@example.com / Demo-Password-42)."
        ),
        epilog=(
            "Run 'accountdesk sandbox --help' for the standalone emulator, "
            "'accountdesk web --help' for the app in a browser."
        ),
    )
    parser.add_argument("--env", metavar="NAME", help="a named environment from the config file")
    parser.add_argument(
        "--base-url", metavar="URL", help="API base URL (overrides the environment)"
    )
    parser.add_argument("--tenant", metavar="NAME", help="Emporix tenant")
    parser.add_argument("--client-id", metavar="ID", help="storefront client id")
    parser.add_argument(
        "--theme", metavar="NAME", help="textual-dark, textual-light, ansi-dark, ansi-light, …"
    )
    parser.add_argument(
        "--lang",
        metavar="CODE",
        help="the UI's language: en or de (default: the config's language, else the locale)",
    )
    parser.add_argument(
        "--kiosk",
        action="store_true",
        default=None,
        help=(
            "shared-terminal mode: nothing is remembered, an idle session ends and is wiped, "
            "no way out to a shell (see [kiosk_options] in the config)"
        ),
    )
    parser.add_argument(
        "--config-path", action="store_true", help="print the config file's path and exit"
    )
    parser.add_argument("--version", action="version", version=f"accountdesk {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox"]:
        from accountdesk.sandbox.cli import main as sandbox_main

        return sandbox_main(arguments[1:])
    if arguments[:1] == ["web"]:
        return _run_web(arguments[1:])
    options = build_parser().parse_args(arguments)
    if options.config_path:
        return _print_config_path(options)
    return _run_tui(options)


def _print_config_path(options: argparse.Namespace) -> int:
    from accountdesk.session import ConfigError, config_path, load_settings
    from accountdesk.session.config import kiosk_requested

    try:
        refused = not load_settings(kiosk=options.kiosk).kiosk_allows("config_path")
    except ConfigError:
        # A broken file is exactly when its path is needed, but not a kiosk's: what it allows
        # is unknown, so nothing is allowed.
        refused = kiosk_requested(options.kiosk)
    if refused:
        from accountdesk.tui.wording import KIOSK_REFUSES_CONFIG_PATH

        return _fail(KIOSK_REFUSES_CONFIG_PATH)
    print(config_path())
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"accountdesk: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def trim_startup_imports() -> None:
    """Skip imports the app never uses, before anything imports httpx.

    httpx imports its own command line (click, pygments) unless that module is missing, in
    which case it falls back to a stub. The connect worker imports httpx after the first paint,
    so this saves ~40 ms of every connection, not of the paint (posting does the same).
    """
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def _run_tui(options: argparse.Namespace) -> int:
    from accountdesk.tui import collector

    collector.pause()  # until the first frame (the app resumes it)
    trim_startup_imports()
    loaded = _load_settings(options)
    if isinstance(loaded, int):
        return loaded
    settings, environment = loaded

    from accountdesk.tui.app import AccountDeskApp

    app = AccountDeskApp(settings, environment)
    app.run()
    return app.return_code or EXIT_OK


def _load_settings(options: argparse.Namespace) -> tuple[Settings, Environment] | int:
    """The settings and environment the options ask for, or the exit code of a usage error."""
    from accountdesk.session import ConfigError, load_settings

    try:
        settings = load_settings(
            environment=options.env, theme=options.theme, kiosk=options.kiosk, language=options.lang
        )
        environment = settings.resolve_environment(
            options.env, options.base_url, options.tenant, options.client_id
        )
    except ConfigError as error:
        return _fail(str(error))
    chooses_environment = any(
        value is not None
        for value in (options.env, options.base_url, options.tenant, options.client_id)
    )
    if chooses_environment and not settings.kiosk_allows("environment"):
        # A kiosk talks to the environment its config names: a launcher that passes arguments
        # through must not be able to point it at another server.
        from accountdesk.tui.wording import KIOSK_REFUSES_ENVIRONMENT

        return _fail(KIOSK_REFUSES_ENVIRONMENT)
    if settings.kiosk:
        # Textual leaves ctrl+c and ctrl+z to the terminal (SIGINT, SIGTSTP: a way out to the
        # shell) when this is set; a kiosk keeps them as plain keys.
        os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)

    from accountdesk.tui.app import known_themes

    if settings.theme not in known_themes():
        choices = ", ".join(sorted(known_themes()))
        return _fail(f"unknown theme {settings.theme!r}; choose one of: {choices}")

    from accountdesk.tui.i18n import SHIPPED_LANGUAGES, shipped_language

    if settings.language and not shipped_language(settings.language):
        choices = ", ".join(SHIPPED_LANGUAGES)
        return _fail(f"unknown language {settings.language!r}; choose one of: {choices}")
    return settings, environment


def _run_web(arguments: list[str]) -> int:
    """Serve the app to browsers; the options the web server does not know go to the app."""
    from accountdesk import web

    parser = web.build_parser()
    options, app_options = parser.parse_known_args(arguments)
    app = build_parser().parse_args(app_options)
    if app.config_path:
        parser.error("--config-path is not an option of the served app")
    # A bad environment or theme is reported here, not in every browser tab that connects.
    loaded = _load_settings(app)
    if isinstance(loaded, int):
        return loaded
    return web.serve(parser, options, app_options)
