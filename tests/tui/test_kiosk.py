"""Kiosk mode: an idle session is counted down, ended on the server and wiped; nothing of the
customer stays on screen, in a log or on the disk; no key leads out of the app but the
operator's, behind the PIN."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    EMBEDDED,
    OPERATOR_PIN,
    FakeClock,
    create_active_customer,
    environment_for,
    latest_mail,
    log_in,
    settle,
    unique_email,
    wait_mode,
    wait_ready,
    wait_until,
)
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, Static, TextArea

from accountdesk.api import CustomerApiClient, CustomerSignup, InvalidTokenError
from accountdesk.session import Settings
from accountdesk.session.config import KioskOptions
from accountdesk.tui import pin_guard as pin_guard_module
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.commands import BoundActionsProvider
from accountdesk.tui.kiosk import kiosk_keymap
from accountdesk.tui.pin_guard import FREE_ATTEMPTS, lockout_seconds
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.kiosk import (
    OperatorMenuScreen,
    OperatorPinScreen,
    StillThereScreen,
)
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.mailbox import MailboxScreen
from accountdesk.tui.widgets.form_field import RememberMe

MakeApp = Callable[..., AccountDeskApp]
IDLE = 120
WARNING = 20


def kiosk(*allow: Any, pin: str | None = OPERATOR_PIN, **settings: Any) -> Settings:
    options = KioskOptions(allow=frozenset(allow), operator_pin=pin)
    return Settings(kiosk=True, kiosk_options=options, **settings)


def texts_of(app: AccountDeskApp) -> list[str]:
    """Everything a widget of the app holds: rendered text, input values, table cells,
    titles and tooltips, on every screen of the current stack."""
    widgets: list[Widget] = list(app.query("*"))
    for screen in app.screen_stack:
        widgets += [screen, *screen.query("*")]
    found: list[str] = []
    for widget in widgets:
        found += [str(widget.border_title or ""), str(widget.tooltip or "")]
        if isinstance(widget, Static):
            found.append(str(widget.render()))
        if isinstance(widget, Input):
            found.append(widget.value)
        elif isinstance(widget, TextArea):
            found.append(widget.text)
        elif isinstance(widget, DataTable):
            found += [
                str(cell) for row in range(widget.row_count) for cell in widget.get_row_at(row)
            ]
    return found


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def files_holding(root: Path, text: str) -> list[Path]:
    return [path for path in files_under(root) if text.encode() in path.read_bytes()]


async def type_login(pilot: Pilot[Any], email: str, password: str) -> None:
    """Log in through the form, key by key (the keys are what arms the idle watch)."""
    app = pilot.app
    assert isinstance(app, AccountDeskApp)
    await wait_ready(pilot, app)
    app.screen.query_one("#login-email", Input).focus()
    await pilot.press(*email, "tab", *password, "enter")
    await wait_mode(pilot, app, "account")


async def _echo(token: str) -> str:
    return token


# -- the idle path ---------------------------------------------------------------------------


async def test_an_idle_session_is_counted_down_ended_on_the_server_and_wiped(
    make_app: MakeApp,
    fresh_tenant: Any,
    outbox: Any,
    caplog: pytest.LogCaptureFixture,
    isolated_user_dirs: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    email = unique_email("kiosk")
    first_name = "Zephyrine"
    await create_active_customer(fresh_tenant, email, first_name=first_name)
    opt_in_code = (await latest_mail(fresh_tenant, email, "customer.opt-in"))["token"]
    clock = FakeClock()
    app = make_app(
        environment_for(fresh_tenant),
        settings=kiosk("api_log", "mailbox"),
        clock=clock,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await type_login(pilot, email, CUSTOMER_PASSWORD)
        name = app.screen.query_one("#account-name", Static)
        await wait_until(pilot, lambda: first_name in str(name.render()), what="the profile")
        access_token = await app.session.with_customer(_echo)
        # Everything the wipe must take: the API log open, the mailbox with a code offered.
        await pilot.press("f2")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen), what="mailbox")
        mailbox = app.screen
        table = mailbox.query_one("#mailbox-list", DataTable)
        await wait_until(pilot, lambda: table.row_count >= 1, what="the mail")
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == opt_in_code
        assert any(email in text for text in texts_of(app))

        # The last 20 seconds are counted down, each second on screen.
        clock.advance(IDLE - WARNING - 1)
        app.kiosk.tick()  # type: ignore[union-attr]
        await settle(pilot)
        assert not isinstance(app.screen, StillThereScreen)
        clock.advance(2)
        app.kiosk.tick()  # type: ignore[union-attr]
        await settle(pilot)
        countdown = app.screen
        assert isinstance(countdown, StillThereScreen)
        shown = countdown.query_one("#still-there-countdown", Static)
        assert "19 seconds" in str(shown.render())
        clock.advance(10)
        app.kiosk.tick()  # type: ignore[union-attr]
        await settle(pilot)
        assert "9 seconds" in str(shown.render())

        clock.advance(10)
        app.kiosk.tick()  # type: ignore[union-attr]
        await wait_until(pilot, lambda: not app.logged_in, what="the logout")
        await wait_mode(pilot, app, "auth")
        await settle(pilot)

        assert isinstance(app.screen, LoginScreen)
        assert len(app.screen_stack) == 1
        assert app.screen.query_one("#login-email", Input).value == ""
        assert app.customer_email is None
        assert app.clipboard == ""
        assert not app.show_api_log
        assert not app._notifications  # no "You are logged out." for the next customer to read
        leftovers = [text for text in texts_of(app) if email in text or first_name in text]
        assert leftovers == []
        # The API log (what is left of it, and any panel) holds no trace either.
        panel_rows = texts_of(app)
        logged = " ".join(
            f"{event.path} {event.request_body} {event.response_body}" for event in app.api_log
        )
        assert email not in logged
        assert first_name not in logged
        assert all(opt_in_code not in text for text in panel_rows)
        svg = app.export_screenshot()
        assert email not in svg
        assert first_name not in svg

    # Ended on the server, not only forgotten here.
    async with CustomerApiClient(
        fresh_tenant.base_url, fresh_tenant.tenant, fresh_tenant.client_id
    ) as client:
        with pytest.raises(InvalidTokenError):
            await client.get_profile(access_token)
    # The mailbox was emptied: the next customer cannot read the previous one's codes.
    assert await outbox.all(to=email) == []
    records = [record.getMessage() for record in caplog.records]
    assert records  # the run did log
    assert [line for line in records if email in line or first_name in line] == []
    assert files_holding(isolated_user_dirs, email) == []


async def test_any_key_stays_and_is_not_passed_to_the_form_underneath(
    make_app: MakeApp,
) -> None:
    clock = FakeClock()
    app = make_app(settings=kiosk(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        app.screen.query_one("#login-email", Input).focus()
        await pilot.press(*DEMO_EMAIL, "tab", *DEMO_PASSWORD)
        clock.advance(IDLE - 5)
        app.kiosk.tick()  # type: ignore[union-attr]
        await settle(pilot)
        assert isinstance(app.screen, StillThereScreen)
        await pilot.press("enter")  # would log in, were it passed on
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert not app.logged_in
        assert app.screen.query_one("#login-password", Input).value == DEMO_PASSWORD
        # The clock starts again from that key: a whole idle time before the next countdown.
        clock.advance(IDLE - WARNING - 1)
        app.kiosk.tick()  # type: ignore[union-attr]
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_an_untouched_welcome_screen_is_never_counted_down(make_app: MakeApp) -> None:
    clock = FakeClock()
    app = make_app(settings=kiosk(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        clock.advance(10 * IDLE)
        app.kiosk.tick()  # type: ignore[union-attr]
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_a_key_pressed_elsewhere_while_counting_down_hides_the_countdown(
    make_app: MakeApp,
) -> None:
    clock = FakeClock()
    app = make_app(settings=kiosk(), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_login(pilot, DEMO_EMAIL, DEMO_PASSWORD)
        clock.advance(IDLE - 3)
        app.kiosk.tick()  # type: ignore[union-attr]
        await settle(pilot)
        assert isinstance(app.screen, StillThereScreen)
        await pilot.press("ctrl+p")  # the palette is an app key: the countdown never sees it
        await settle(pilot)
        await pilot.press("escape")
        app.kiosk.tick()  # type: ignore[union-attr]
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.logged_in


# -- start over ------------------------------------------------------------------------------


@pytest.mark.parametrize("flow", ["login", "sign-up", "forgot-password", "account", "addresses"])
async def test_start_over_is_offered_on_every_screen_and_wipes_at_once(
    make_app: MakeApp, flow: str
) -> None:
    app = make_app(settings=kiosk(), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        if flow in ("sign-up", "forgot-password"):
            app.screen.query_one("#login-email", Input).value = DEMO_EMAIL
            await pilot.press("ctrl+n" if flow == "sign-up" else "ctrl+g")
            await wait_until(pilot, lambda: not isinstance(app.screen, LoginScreen))
        elif flow != "login":
            await log_in(pilot, app, DEMO_EMAIL, DEMO_PASSWORD)
            if flow == "addresses":
                await pilot.press("a")
                await wait_until(pilot, lambda: not isinstance(app.screen, AccountScreen))
        else:
            app.screen.query_one("#login-email", Input).value = DEMO_EMAIL
        await settle(pilot)
        footer_keys = [str(key.description) for key in app.screen.query("FooterKey")]
        assert "Start over" in footer_keys
        palette = [name for name, *_ in BoundActionsProvider(app.screen)._commands()]
        assert "Start over" in palette

        await pilot.press("ctrl+r")
        await wait_mode(pilot, app, "auth")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert len(app.screen_stack) == 1
        assert not app.logged_in
        assert [text for text in texts_of(app) if DEMO_EMAIL in text or "Lovelace" in text] == []


@pytest.mark.parametrize("how", ["start over", "idle", "start over, never logged in"])
async def test_a_wipe_keeps_no_token_of_the_previous_visitor(make_app: MakeApp, how: str) -> None:
    """Not even the anonymous one: it carries the guest session the visitor's login joined."""
    clock = FakeClock()
    app = make_app(settings=kiosk(), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        guest_token = await app.session.with_anonymous(_echo)
        guest_session = app.session.session_id
        if how == "start over, never logged in":
            app.screen.query_one("#login-email", Input).focus()
            await pilot.press(*DEMO_EMAIL)  # a guest who typed something
        else:
            await type_login(pilot, DEMO_EMAIL, DEMO_PASSWORD)
        held = set(app.session.live_secrets())
        assert guest_token in held

        if how == "idle":
            clock.advance(IDLE)
            app.kiosk.tick()  # type: ignore[union-attr]
        else:
            await pilot.press("ctrl+r")
        await wait_mode(pilot, app, "auth")
        await settle(pilot)

        assert not app.logged_in
        fresh = app.session.live_secrets()
        assert fresh  # the next visitor's guest token, fetched already
        assert held.isdisjoint(fresh)
        assert await app.session.with_anonymous(_echo) != guest_token
        assert app.session.session_id not in (None, guest_session)
        await app.account.resend_activation(unique_email("next"))  # and it works


# -- nothing on the disk ---------------------------------------------------------------------


async def test_a_kiosk_writes_nothing_that_names_the_customer(isolated_user_dirs: Path) -> None:
    """The embedded sandbox too: a customer who signs up at a kiosk is not kept on its disk.
    A "file" token store is configured, and a theme chosen: a kiosk still writes neither."""
    email = unique_email("kiosk-disk")
    app = AccountDeskApp(
        kiosk("theme", token_store="file"), EMBEDDED, clock=FakeClock()
    )  # no token store handed in: the app chooses, as in a real run
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        assert not app.store_remembers
        remember = app.screen.query_one(RememberMe)
        assert not remember.display
        assert not remember.query_one(Checkbox).value
        await app.account.sign_up(CustomerSignup(email=email, password=CUSTOMER_PASSWORD))
        base_url = app.base_url
        assert base_url is not None
        embedded = SimpleNamespace(base_url=base_url, tenant="demo")
        code = (await latest_mail(embedded, email, "customer.opt-in"))["token"]
        await app.account.activate(code)
        await wait_mode(pilot, app, "account")
        await pilot.press("ctrl+t")
        await pilot.press("ctrl+r")
        await wait_mode(pilot, app, "auth")
        await settle(pilot)
    assert files_holding(isolated_user_dirs, email) == []
    names = {path.name for path in files_under(isolated_user_dirs)}
    assert "sessions.json" not in names
    assert "preferences.json" not in names
    assert "sandbox.db" not in names


# -- no way out ------------------------------------------------------------------------------


async def test_ctrl_c_ctrl_z_and_quit_do_not_leave_a_kiosk(make_app: MakeApp) -> None:
    # A keymap that would quit on ctrl+c does not either.
    app = make_app(settings=kiosk(keymap={"quit": "ctrl+q,ctrl+c"}), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        theme = app.theme
        for key in ("ctrl+c", "ctrl+z", "ctrl+q", "f2", "f3", "f5", "ctrl+t"):
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running, key
        assert app.return_code is None
        assert isinstance(app.screen, LoginScreen)
        assert not app.show_api_log
        assert app.theme == theme
        assert not app._notifications  # not even "press ctrl+q to quit"
        palette = {name for name, *_ in BoundActionsProvider(app.screen)._commands()}
        assert palette.isdisjoint({"Quit", "API log", "Light/dark", "Mailbox", "Reconnect"})
        system = {command.title for command in app.get_system_commands(app.screen)}
        assert system.isdisjoint({"Quit", "Theme", "Screenshot"})
        assert "Keys" in system


async def test_what_the_config_allows_stays_on(make_app: MakeApp) -> None:
    app = make_app(settings=kiosk("api_log", "theme", "quit"), clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f2")
        assert app.show_api_log
        system = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Quit", "Theme"} <= system
        assert "Screenshot" not in system
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, what="the quit")


def test_a_kiosk_keymap_never_binds_ctrl_c_or_ctrl_z() -> None:
    assert kiosk_keymap({"quit": "ctrl+q,ctrl+c", "toggle-api-log": "ctrl+z"}) == {"quit": "ctrl+q"}


# -- the operator ----------------------------------------------------------------------------


async def test_the_operator_menu_opens_with_the_right_pin_only(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real_compare_digest = hmac.compare_digest

    def compare_digest(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real_compare_digest(a, b)

    monkeypatch.setattr(pin_guard_module.hmac, "compare_digest", compare_digest)
    app = make_app(settings=kiosk(), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, OperatorPinScreen)
        await pilot.press("1", "3", "5", "7", "enter")
        await settle(pilot)
        assert isinstance(app.screen, OperatorPinScreen)
        status = app.screen.query_one("#operator-pin-status", Static)
        assert "Wrong PIN" in str(status.render())
        assert app.screen.query_one("#operator-pin", Input).value == ""
        await pilot.press(*OPERATOR_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, OperatorMenuScreen)
        assert compared == [(b"1357", OPERATOR_PIN.encode()), (OPERATOR_PIN.encode(),) * 2]
        await pilot.click("#operator-quit")
        await wait_until(pilot, lambda: not app.is_running, what="the quit")
    assert app.return_code in (None, 0)


async def test_escape_closes_the_pin_prompt_and_the_app_stays(make_app: MakeApp) -> None:
    app = make_app(settings=kiosk(), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f12", "escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.is_running


@pytest.mark.parametrize(
    "settings",
    [kiosk(pin=None), Settings()],
    ids=["kiosk without a PIN", "not a kiosk"],
)
async def test_no_operator_key_without_a_pin_or_outside_a_kiosk(
    make_app: MakeApp, settings: Settings
) -> None:
    app = make_app(settings=settings, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_the_operator_can_reconnect(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(settings=kiosk(), clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        connect = app.backend.connect
        connects: list[None] = []

        async def counted() -> None:
            connects.append(None)
            await connect()

        monkeypatch.setattr(app.backend, "connect", counted)
        await pilot.press("f5")  # not for customers
        await settle(pilot)
        assert connects == []
        await pilot.press("f12", *OPERATOR_PIN, "enter")
        await settle(pilot)
        await pilot.click("#operator-reconnect")
        await settle(pilot)
        assert connects == [None]
        assert isinstance(app.screen, LoginScreen)
        assert app.backend_state == "ready"


def rendered(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_wrong_pins_lock_the_prompt_for_longer_and_longer(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[bytes] = []
    real_compare_digest = hmac.compare_digest

    def compare_digest(a: bytes, b: bytes) -> bool:
        compared.append(a)
        return real_compare_digest(a, b)

    monkeypatch.setattr(pin_guard_module.hmac, "compare_digest", compare_digest)
    clock = FakeClock()
    app = make_app(settings=kiosk(), clock=clock)
    wrong = ("1", "3", "5", "7", "enter")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        await pilot.press("f12")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, OperatorPinScreen)
        for _attempt in range(FREE_ATTEMPTS - 1):
            await pilot.press(*wrong)
            await settle(pilot)
            assert rendered(prompt, "#operator-pin-status") == "Wrong PIN."
        await pilot.press(*wrong)
        await settle(pilot)
        status = rendered(prompt, "#operator-pin-status")
        assert status == "Too many attempts. Wait 30 seconds, then try again."
        assert prompt.query_one("#operator-pin-unlock", Button).disabled
        # Locked out, the right PIN is refused too, and not even compared.
        await pilot.press(*OPERATOR_PIN, "enter")
        await settle(pilot)
        assert app.screen is prompt
        assert compared == [b"1357"] * FREE_ATTEMPTS
        # Counted down on the app's clock.
        clock.advance(12)
        prompt.lockout.tick()
        await settle(pilot)
        assert "Wait 18 seconds" in rendered(prompt, "#operator-pin-status")

        # Closing the prompt and starting over do not end the lockout.
        await pilot.press("escape", "ctrl+r")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, OperatorPinScreen)
        assert "Wait 18 seconds" in rendered(prompt, "#operator-pin-status")
        clock.advance(18)
        prompt.lockout.tick()
        await settle(pilot)
        assert rendered(prompt, "#operator-pin-status") == "You can try again now."
        assert not prompt.query_one("#operator-pin-unlock", Button).disabled

        # The next wrong PIN locks it again, for twice as long.
        await pilot.press(*wrong)
        await settle(pilot)
        assert "Wait 60 seconds" in rendered(prompt, "#operator-pin-status")
        clock.advance(60)
        prompt.lockout.tick()
        await pilot.press(*OPERATOR_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, OperatorMenuScreen)

        # The right PIN starts the count afresh: one wrong PIN is only wrong again.
        await pilot.press("escape", "f12", *wrong)
        await settle(pilot)
        assert isinstance(app.screen, OperatorPinScreen)
        assert rendered(app.screen, "#operator-pin-status") == "Wrong PIN."


def test_the_lockout_doubles_up_to_a_cap() -> None:
    waits = [lockout_seconds(wrong) for wrong in range(1, 13)]
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]
    assert lockout_seconds(10**6) == 900
