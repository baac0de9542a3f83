"""Regenerate the SVG screenshots in screenshots/ (one per screen) against the embedded sandbox.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--size 110x34] [--only kiosk]
    .venv/bin/python scripts/screenshots.py --web [--out screenshots]
    .venv/bin/python scripts/screenshots.py --german [--out screenshots] [--size 80x24]

Runs the real app headless (``App.run_test``), with its own throwaway config and data
directories, walks to each screen and saves it with ``App.save_screenshot``. At the end every
SVG is scanned for the passwords and tokens used on the way (the scan the app's screenshot key
runs, `accountdesk.session.secret_scan`); any hit fails the run.

``--web`` instead takes the browser picture, web-account.png: ``accountdesk web --kiosk`` in
Debian's headless Chromium (the browser test's harness), the demo customer logged in by
keyboard. The terminal's text is scanned for the password before the picture is kept.

``--german`` takes only the German pictures (login-de, signup-de, account-de), with the app's
language set to German, at 80x24 unless ``--size`` says otherwise: German words are longer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-Password-42"  # noqa: S105 - the documented public demo login
NEW_EMAIL = "grace@example.com"
NEW_PASSWORD = "Correct-Horse-Battery-9"  # noqa: S105 - throwaway sandbox customer


def isolate_user_dirs(root: Path) -> None:
    """Keep the developer's config, keyring and sandbox data out of the pictures."""
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = root / variable.lower()
        path.mkdir()
        os.environ[variable] = str(path)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    for variable in [name for name in os.environ if name.startswith("ACCOUNTDESK_")]:
        del os.environ[variable]


async def wait_for(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    for _ in range(600):
        if condition():
            await pilot.pause(0.1)
            return
        await pilot.pause(0.05)
    raise SystemExit(f"screenshots: timed out waiting for {what}")


async def take(out: Path, size: tuple[int, int]) -> list[str]:
    """Walk through the app, saving one SVG per screen; returns the secrets seen on the way."""
    import httpx
    from textual.widgets import DataTable, Input, Static

    from accountdesk.api import AddressCreate, CustomerSignup
    from accountdesk.session import MemoryTokenStore, Settings
    from accountdesk.tui.app import SESSION_EXPIRED_REASON, AccountDeskApp
    from accountdesk.tui.screens.account import AccountScreen
    from accountdesk.tui.screens.activation import ActivationScreen
    from accountdesk.tui.screens.forgot_password import ForgotPasswordScreen, ResetPasswordScreen
    from accountdesk.tui.screens.login import LoginScreen
    from accountdesk.tui.screens.mailbox import MailboxScreen
    from accountdesk.tui.screens.signup import SignUpScreen
    from accountdesk.tui.widgets.api_log import ApiLogPanel

    settings = Settings()
    app = AccountDeskApp(settings, settings.resolve_environment(), token_store=MemoryTokenStore())
    secrets = [DEMO_PASSWORD, NEW_PASSWORD]

    def save(name: str) -> None:
        app.save_screenshot(f"{name}.svg", path=str(out))
        print(f"  {out / name}.svg")

    async with app.run_test(size=size) as pilot:

        async def open_and_save(pilot: Any, key: str, name: str) -> None:
            """Press ``key`` on the account screen, save what opens, and go back."""
            await pilot.press(key)
            await wait_for(pilot, lambda: not isinstance(app.screen, AccountScreen), name)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            save(name)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, AccountScreen), "the account")
            await app.workers.wait_for_complete()

        async def save_pushed(screen: Any, name: str) -> None:
            """Show ``screen`` over the current one, save it, and close it again."""
            await app.push_screen(screen)
            await pilot.pause(0.3)
            save(name)
            app.pop_screen()

        await wait_for(pilot, lambda: app.backend_state == "ready", "the sandbox")
        account = app.account

        login = app.screen
        login.query_one("#login-email", Input).value = DEMO_EMAIL
        login.query_one("#login-password", Input).value = DEMO_PASSWORD
        await pilot.pause()
        save("login")

        await save_pushed(SignUpScreen(email=NEW_EMAIL), "signup")

        await save_pushed(ForgotPasswordScreen(email=DEMO_EMAIL), "forgot-password")

        # Mail for the mailbox: a signup waiting for activation and a password reset.
        await account.sign_up(CustomerSignup(email=NEW_EMAIL, password=NEW_PASSWORD))
        await account.request_password_reset(DEMO_EMAIL)
        base_url = app.base_url
        assert base_url is not None
        async with httpx.AsyncClient(timeout=10) as http:
            outbox = (await http.get(f"{base_url}/_sandbox/demo/outbox")).json()
        secrets += [mail["token"] for mail in outbox if mail.get("token")]

        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, MailboxScreen), "the mailbox")
        mailbox = app.screen
        table = mailbox.query_one("#mailbox-list", DataTable)
        await wait_for(pilot, lambda: table.row_count >= 2, "the mails")
        table.move_cursor(row=1)
        await pilot.pause(0.2)
        save("mailbox")
        app.pop_screen()

        # Token fields left empty on purpose: the pictures must not show a live token.
        await save_pushed(ActivationScreen(email=NEW_EMAIL), "activation")
        await save_pushed(ResetPasswordScreen(email=DEMO_EMAIL), "reset-password")

        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: not isinstance(app.screen, LoginScreen), "the Auth0 step")
        await pilot.pause(0.3)
        save("social-login")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")

        await account.log_in(DEMO_EMAIL, DEMO_PASSWORD)
        await wait_for(pilot, lambda: isinstance(app.screen, AccountScreen), "the account")
        # A second address, tagged, so the overview and the book show what they can do.
        second = await account.add_address(
            AddressCreate(
                contact_name="Ada Lovelace",
                street="Pennsylvania Avenue NW",
                street_number="1600",
                zip_code="20500",
                city="Washington",
                state="DC",
                country="US",
                tags=["BILLING"],
            )
        )
        await app.workers.wait_for_complete()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        name = app.screen.query_one("#account-name", Static)
        await wait_for(pilot, lambda: "Lovelace" in str(name.render()), "the profile")
        secrets += app.session.live_secrets()
        save("account")

        await open_and_save(pilot, "e", "edit-profile")
        await open_and_save(pilot, "a", "addresses")
        await open_and_save(pilot, "p", "change-password")
        await open_and_save(pilot, "m", "change-email")
        await open_and_save(pilot, "d", "delete-account")
        await account.delete_address(second)

        await pilot.press("f2")
        panel = app.screen.query_one(ApiLogPanel)
        log_table = panel.query_one(DataTable)
        login_row = next(
            row
            for row in range(log_table.row_count)
            if str(log_table.get_row_at(row)[3]).endswith("/login")
        )
        log_table.move_cursor(row=login_row)
        await pilot.pause(0.2)
        save("api-log")
        await pilot.press("f2")

        await pilot.press("ctrl+l")
        await pilot.pause(0.3)
        save("logout-confirm")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("ctrl+t")
        await pilot.pause(0.3)
        save("account-light")
        await pilot.press("ctrl+t")
        await pilot.press("f9")
        await pilot.pause(0.3)
        save("account-high-contrast")
        await pilot.press("f9")

        # A real expiry: past the customer token's 30 days and its refresh token's day.
        async with httpx.AsyncClient(timeout=10) as http:
            await http.post(f"{base_url}/_sandbox/clock", json={"advanceSeconds": 2_700_000})
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), "the expiry login")
        reason = app.screen.query_one("#login-reason", Static)
        await wait_for(pilot, lambda: SESSION_EXPIRED_REASON in str(reason.render()), "reason")
        save("session-expired")
    return secrets


async def take_german(out: Path, size: tuple[int, int]) -> list[str]:
    """The login, signup and account screens in German; returns the secrets used."""
    from textual.widgets import Input, Static

    from accountdesk.session import MemoryTokenStore, Settings
    from accountdesk.tui import i18n
    from accountdesk.tui.app import AccountDeskApp
    from accountdesk.tui.screens.account import AccountScreen
    from accountdesk.tui.screens.signup import SignUpScreen

    settings = Settings(language="de")
    app = AccountDeskApp(settings, settings.resolve_environment(), token_store=MemoryTokenStore())

    def save(name: str) -> None:
        app.save_screenshot(f"{name}.svg", path=str(out))
        print(f"  {out / name}.svg")

    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.backend_state == "ready", "the sandbox")
        login = app.screen
        login.query_one("#login-email", Input).value = DEMO_EMAIL
        login.query_one("#login-password", Input).value = DEMO_PASSWORD
        await pilot.pause(0.3)
        save("login-de")

        await app.push_screen(SignUpScreen(email=NEW_EMAIL))
        await pilot.pause(0.3)
        save("signup-de")
        app.pop_screen()

        await app.account.log_in(DEMO_EMAIL, DEMO_PASSWORD, remember=False)
        # The demo customer prefers British English, which the account follows; the operator
        # switches it to German (f10).
        await wait_for(pilot, lambda: i18n.language() == "en", "the customer's language")
        await app.workers.wait_for_complete()
        await pilot.press("f10")

        def german_account() -> bool:
            screen = app.screen
            return (
                isinstance(screen, AccountScreen)
                and screen.card.border_title == "Ihr Konto"
                and "Lovelace" in str(screen.query_one("#account-name", Static).render())
            )

        await wait_for(pilot, german_account, "the account in German")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        save("account-de")
    return [DEMO_PASSWORD]


async def take_kiosk(out: Path, size: tuple[int, int]) -> list[str]:
    """Kiosk mode: the "Still there?" countdown over the demo customer's account."""
    from textual.widgets import Static

    from accountdesk.session import MemoryTokenStore, Settings
    from accountdesk.tui.app import AccountDeskApp
    from accountdesk.tui.screens.account import AccountScreen
    from accountdesk.tui.screens.kiosk import StillThereScreen

    now = [0.0]  # a clock that moves only when told: no waiting two minutes for the picture
    settings = Settings(kiosk=True)
    app = AccountDeskApp(
        settings,
        settings.resolve_environment(),
        token_store=MemoryTokenStore(),
        clock=lambda: now[0],
    )
    kiosk = app.kiosk
    assert kiosk is not None
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.backend_state == "ready", "the sandbox")
        await app.account.log_in(DEMO_EMAIL, DEMO_PASSWORD)
        await wait_for(pilot, lambda: isinstance(app.screen, AccountScreen), "the account")
        name = app.screen.query_one("#account-name", Static)
        await wait_for(pilot, lambda: "Lovelace" in str(name.render()), "the profile")
        token = await app.session.with_customer(_echo)
        kiosk.input_seen()
        now[0] += kiosk.options.idle_seconds - 12
        kiosk.tick()
        await wait_for(pilot, lambda: isinstance(app.screen, StillThereScreen), "the countdown")
        await app.workers.wait_for_complete()
        app.save_screenshot("kiosk-countdown.svg", path=str(out))
        print(f"  {out / 'kiosk-countdown'}.svg")
    return [DEMO_PASSWORD, token]


async def _echo(token: str) -> str:
    return token


# Each walk saves its own screenshots; --only regenerates one walk's.
WALKS = {"screens": take, "kiosk": take_kiosk}


def check_no_secrets(out: Path, secrets: list[str]) -> list[str]:
    from accountdesk.session.secret_scan import secrets_in

    return [
        f"{svg.name} shows a secret"
        for svg in sorted(out.glob("*.svg"))
        for _secret in secrets_in(svg.read_text(encoding="utf-8"), secrets)
    ]


WEB_PICTURE = "web-account.png"
WEB_VIEWPORT = (1100, 640)


def take_web(out: Path, root: Path) -> list[str]:
    """Save the account overview as a browser shows it; returns the problems found."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "tui"))
    from web_browser import CHROMIUM, browser_page, log_in_by_keyboard, web_server

    if CHROMIUM is None:
        return ["Debian's chromium is not installed (apt-get install chromium)"]
    with (
        web_server("--kiosk") as server,
        browser_page(server, root / "chromium-profile", *WEB_VIEWPORT) as page,
    ):
        screen = log_in_by_keyboard(page, server, DEMO_EMAIL, DEMO_PASSWORD)
        if DEMO_PASSWORD in screen:
            return [f"{WEB_PICTURE} would show the password"]
        page.screenshot(path=str(out / WEB_PICTURE))
    print(f"  {out / WEB_PICTURE}")
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "screenshots"
    )
    parser.add_argument("--size", help="terminal size, COLUMNSxLINES (110x34; --german: 80x24)")
    parser.add_argument(
        "--only", choices=sorted(WALKS), help="regenerate only this walk's screenshots"
    )
    parser.add_argument(
        "--web", action="store_true", help=f"only the browser picture, {WEB_PICTURE}"
    )
    parser.add_argument(
        "--german", action="store_true", help="only the German pictures (login, signup, account)"
    )
    options = parser.parse_args()
    size = options.size or ("80x24" if options.german else "110x34")
    columns, lines = (int(part) for part in size.split("x"))
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="accountdesk-screenshots-") as root:
        isolate_user_dirs(Path(root))
        print(f"Writing screenshots to {out}:")
        if options.web:
            problems = take_web(out, Path(root))
        elif options.german:
            secrets = asyncio.run(take_german(out, (columns, lines)))
            problems = check_no_secrets(out, secrets)
        else:
            secrets = []
            for name, walk in WALKS.items():
                if options.only in (None, name):
                    secrets += asyncio.run(walk(out, (columns, lines)))
            problems = check_no_secrets(out, secrets)
    for problem in problems:
        print(f"screenshots: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
