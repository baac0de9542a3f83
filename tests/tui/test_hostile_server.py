"""The real TUI against a hostile or failing server, driven with Pilot.

One request of each flow (log in, load the account, save the profile, add an address, change
the password) is answered by a fault: refused, reset, cut off, timed out, hung, trickled,
garbage, an HTML page, a bracket bomb, 5xx with odd bodies, 200 with the wrong shape, more than
the client reads. Everything else goes to the real test sandbox (respx passes it through).

For every pair: the app stays up on the same screen, says what happened in the app's own
words (never an exception name, a traceback or the server's JSON), keeps what was typed and
keeps the session; once the fault is lifted, the same key does the job and the screen shows
the server's true state with one current message.
"""

from __future__ import annotations

import asyncio
import functools
import html
import io
import re
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import respx
from helpers import (
    CUSTOMER_PASSWORD,
    create_active_customer,
    environment_for,
    log_in,
    settle,
    unique_email,
    wait_mode,
    wait_ready,
    wait_until,
)
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from accountdesk.api import CustomerApiClient, CustomerPatch, TraceEvent, UnauthorizedError
from accountdesk.api.redaction import redact_body
from accountdesk.session import SessionState
from accountdesk.session import account as account_module
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.address_form import AddressFormScreen
from accountdesk.tui.screens.addresses import AddressBookScreen
from accountdesk.tui.screens.change_password import PASSWORD_CHANGED, ChangePasswordScreen
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.profile import EditProfileScreen
from accountdesk.tui.widgets.api_log import describe_call
from accountdesk.tui.widgets.country_select import CountrySelect
from accountdesk.tui.widgets.form_field import FormStatus
from accountdesk.tui.wording import UNEXPECTED_FAILURE_TITLE

MakeApp = Callable[..., AccountDeskApp]
SIZE = (120, 40)
NEW_PASSWORD = "amber-lantern-orchard-71"
# For the faults that only a deadline ends (a hung or trickling answer): the client's total
# deadline per attempt, shortened from 10 s so the suite does not wait for it.
SHORT_DEADLINE = 3.0

# What the user reads: the TUI's sentences for a request that failed on the way.
UNREACHABLE = "Can't reach the server at {host}. Check your connection and try again."
# Reached, but the answer did not arrive (whole) in time: not a connection problem.
TOO_SLOW = "The server at {host} took too long to answer. Try again in a moment."
SERVER_PROBLEM = "The server had a problem. Try again in a moment."

# Anything that is not plain words: exception names, tracebacks, JSON, markup of a web page.
NOT_WORDS = re.compile(r"\w+(Error|Exception)\b|Traceback|[{}]|\[\[|<html|<!DOCTYPE|httpx", re.I)


# -- the faults ----------------------------------------------------------------------------

Answer = Callable[[httpx.Request], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class Fault:
    name: str
    answer: Answer
    words: str  # UNREACHABLE, TOO_SLOW or SERVER_PROBLEM
    # A 2xx whose body is wrong: only a fault where the operation's answer carries data (the
    # spec documents no body for PATCH /me's 200 and POST /password/change's 204).
    wrong_success: bool = False
    # Ended only by the client's deadline.
    slow: bool = False


def raising(exception: type[httpx.TransportError], text: str) -> Answer:
    async def answer(request: httpx.Request) -> httpx.Response:
        raise exception(text, request=request)

    return answer


def responding(status: int, body: bytes, **headers: str) -> Answer:
    async def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    return answer


def streaming(status: int, chunks: Callable[[], AsyncIterator[bytes]], **headers: str) -> Answer:
    async def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=chunks(), headers=headers)

    return answer


async def cut_off() -> AsyncIterator[bytes]:
    yield b'{"id": "4c1f", "firstName": "Ad'
    raise httpx.ReadError("Connection reset by peer")


async def trickle() -> AsyncIterator[bytes]:
    # A byte now and then: each read is quick, only the total deadline ends it.
    for byte in b'{"id": "4c1f", "firstName": "Ada", "lastName": "Lovelace"}' * 100:
        yield bytes([byte])
        await asyncio.sleep(0.1)


async def nine_mebibytes() -> AsyncIterator[bytes]:
    # No Content-Length: the client has to count while it reads.
    yield b'{"id": "4c1f", "pad": "'
    for _ in range(9):
        yield b"x" * (1024 * 1024)
    yield b'"}'


async def hang(request: httpx.Request) -> httpx.Response:
    never: asyncio.Future[httpx.Response] = asyncio.get_running_loop().create_future()
    return await never


HTML_PAGE = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
TRACEBACK_JSON = (
    b'{"status": 500, "message": "Traceback (most recent call last):\\n  File \\"app.py\\"\\n'
    b'RecursionError: maximum recursion depth exceeded", "details": [{"field": "email"}]}'
)
BOMB = b"[" * 100_000 + b"]" * 100_000

FAULTS = [
    Fault("refused", raising(httpx.ConnectError, "[Errno 111] Connection refused"), UNREACHABLE),
    Fault("reset", raising(httpx.RemoteProtocolError, "Server disconnected"), UNREACHABLE),
    Fault("reset-mid-body", streaming(200, cut_off), UNREACHABLE),
    Fault("connect-timeout", raising(httpx.ConnectTimeout, "timed out"), UNREACHABLE),
    Fault("timeout", raising(httpx.ReadTimeout, "The read operation timed out"), TOO_SLOW),
    Fault("hang", hang, TOO_SLOW, slow=True),
    Fault("trickle", streaming(200, trickle), TOO_SLOW, slow=True),
    Fault("html-502", responding(502, HTML_PAGE, content_type="text/html"), SERVER_PROBLEM),
    Fault("500-traceback", responding(500, TRACEBACK_JSON), SERVER_PROBLEM),
    Fault("500-bomb", responding(500, BOMB), SERVER_PROBLEM),
    Fault("503-odd-retry-after", responding(503, b"", retry_after="soon"), SERVER_PROBLEM),
    Fault("huge", streaming(200, nine_mebibytes), SERVER_PROBLEM),
    *(
        Fault(name, responding(200, body), SERVER_PROBLEM, wrong_success=True)
        for name, body in (
            ("200-not-json", b"OK then"),
            ("200-truncated", b'{"id": "4c1f", "na'),
            ("200-bomb", BOMB),
            ("200-wrong-shape", b'[{"id": 7}]'),
        )
    ),
]
FAULTS_BY_NAME = {fault.name: fault for fault in FAULTS}


class HostileServer:
    """Answers one operation with a fault while armed; every other request, and that one
    once the fault is lifted, goes through to the real sandbox."""

    def __init__(self, router: respx.MockRouter) -> None:
        # One route: respx merges routes without a pattern into one.
        router.route().mock(side_effect=self._answer)
        self._target: tuple[str, str] | None = None
        self._fault: Fault | None = None
        self.hits = 0

    def arm(self, method: str, path: str, fault: Fault) -> None:
        self._target, self._fault, self.hits = (method, path), fault, 0

    def lift(self) -> None:
        self._target = self._fault = None

    async def _answer(self, request: httpx.Request) -> httpx.Response | httpx.Request:
        if self._fault is None or (request.method, request.url.path) != self._target:
            return request  # respx passes it through to the sandbox
        self.hits += 1
        return await self._fault.answer(request)


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    with respx.mock(assert_all_called=False) as router:
        yield HostileServer(router)


# -- the flows -----------------------------------------------------------------------------


@dataclass
class Case:
    """One test's app and customer."""

    pilot: Pilot[Any]
    app: AccountDeskApp
    target: Any  # the fresh tenant
    email: str
    notices: list[tuple[str, str]]


class Flow:
    """One user action: how to get there and type, which request to fault, where the app
    says what happened, and what "it worked" looks like on screen and on the server."""

    name: str
    method: str
    operation: str  # the path under /customer/{tenant}/
    answers_with_data: bool
    logged_in_before = True
    key = "ctrl+s"
    screen_type: type[object]

    async def arrive(self, case: Case) -> None:
        await log_in(case.pilot, case.app, case.email, CUSTOMER_PASSWORD)

    def typed(self, app: AccountDeskApp) -> dict[str, str]:
        return {str(field.id): field.value for field in app.screen.query(Input)}

    def message(self, app: AccountDeskApp) -> str:
        return app.screen.query_one(FormStatus).message

    async def while_faulted(self, case: Case) -> None:
        """What happens elsewhere meanwhile."""

    async def check_done(self, case: Case) -> None:
        raise NotImplementedError


async def open_screen(pilot: Pilot[Any], key: str, screen_type: type[object]) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), what=key)
    await settle(pilot)


def fill(app: AccountDeskApp, values: dict[str, str]) -> None:
    for input_id, value in values.items():
        app.screen.query_one(f"#{input_id}", Input).value = value


def account_error(app: AccountDeskApp) -> str:
    return str(app.screen.query_one("#account-error", Static).render())


class LogIn(Flow):
    name, method, operation, answers_with_data = "login", "POST", "login", True
    logged_in_before = False
    screen_type = LoginScreen

    async def arrive(self, case: Case) -> None:
        await wait_ready(case.pilot, case.app)
        fill(case.app, {"login-email": case.email, "login-password": CUSTOMER_PASSWORD})

    async def check_done(self, case: Case) -> None:
        app = case.app
        await wait_mode(case.pilot, app, "account")
        await settle(case.pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Hopper" in str(app.screen.query_one("#account-name", Static).render())
        assert account_error(app) == ""


class LoadAccount(Flow):
    name, method, operation, answers_with_data = "account", "GET", "me", True
    key = "r"
    screen_type = AccountScreen

    async def arrive(self, case: Case) -> None:
        await super().arrive(case)
        await settle(case.pilot)

    def message(self, app: AccountDeskApp) -> str:
        return account_error(app)

    async def while_faulted(self, case: Case) -> None:
        async with logged_in_client(case.target, case.email) as (client, token):
            await client.update_profile(token, CustomerPatch(last_name="Elsewhere"))

    async def check_done(self, case: Case) -> None:
        app = case.app
        assert account_error(app) == ""
        # Changed elsewhere while the server failed: the reload shows the server's state.
        assert str(app.screen.query_one("#account-name", Static).render()) == "Grace Elsewhere"


class SaveProfile(Flow):
    name, method, operation, answers_with_data = "profile", "PATCH", "me", False
    screen_type = EditProfileScreen

    async def arrive(self, case: Case) -> None:
        await super().arrive(case)
        await open_screen(case.pilot, "e", EditProfileScreen)
        fill(case.app, {"profile-first-name": "Grizelda", "profile-company": "Harvard Mark I"})

    async def check_done(self, case: Case) -> None:
        app = case.app
        assert isinstance(app.screen, EditProfileScreen)
        assert self.message(app) == "Profile saved."
        async with logged_in_client(case.target, case.email) as (client, token):
            stored = await client.get_profile(token)
        assert (stored.first_name, stored.company) == ("Grizelda", "Harvard Mark I")
        assert str(app.screen.query_one("#profile-dirty", Static).render()) == ""


class AddAddress(Flow):
    name, method, operation, answers_with_data = "address", "POST", "me/addresses", True
    screen_type = AddressFormScreen

    async def arrive(self, case: Case) -> None:
        pilot, app = case.pilot, case.app
        await super().arrive(case)
        await open_screen(pilot, "a", AddressBookScreen)
        await open_screen(pilot, "n", AddressFormScreen)
        fill(
            app,
            {
                "address-contact-name": "Grace Hopper",
                "address-street": "Unter den Linden",
                "address-street-number": "1",
                "address-zip": "10117",
                "address-city": "Berlin",
            },
        )
        app.screen.query_one("#address-country", CountrySelect).focus()
        await pilot.press("ctrl+a", "ctrl+k", *"germ", "enter")
        await pilot.pause()
        assert app.screen.query_one("#address-country", CountrySelect).value == "DE"

    async def check_done(self, case: Case) -> None:
        app = case.app
        book = app.screen
        # Seen once (not reproduced in 11 runs): the form still open here. Say what it said.
        assert isinstance(book, AddressBookScreen), (
            f"{type(book).__name__}: {[status.message for status in book.query(FormStatus)]}, "
            f"backend {app.backend_state}, notices {case.notices}"
        )
        assert book.query_one(FormStatus).message == "Address saved."
        stored = await app.account.list_addresses()
        assert [(a.street, a.city, a.country) for a in stored] == [
            ("Unter den Linden", "Berlin", "DE")
        ]
        assert [a.id for a in book.addresses] == [a.id for a in stored]


class ChangePassword(Flow):
    name, method, operation, answers_with_data = "password", "POST", "password/change", False
    screen_type = ChangePasswordScreen

    async def arrive(self, case: Case) -> None:
        await super().arrive(case)
        await open_screen(case.pilot, "p", ChangePasswordScreen)
        fill(
            case.app,
            {
                "change-current-password": CUSTOMER_PASSWORD,
                "change-password": NEW_PASSWORD,
                "change-password-again": NEW_PASSWORD,
            },
        )

    async def check_done(self, case: Case) -> None:
        app = case.app
        assert isinstance(app.screen, AccountScreen)
        assert account_error(app) == ""
        assert PASSWORD_CHANGED in [message for _, message in case.notices]
        assert await can_log_in(case.target, case.email, NEW_PASSWORD)
        assert not await can_log_in(case.target, case.email, CUSTOMER_PASSWORD)


FLOWS: list[Flow] = [LogIn(), LoadAccount(), SaveProfile(), AddAddress(), ChangePassword()]


async def can_log_in(target: Any, email: str, password: str) -> bool:
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        anonymous = (await client.anonymous_login()).access_token
        try:
            await client.login(anonymous, email, password)
        except UnauthorizedError:
            return False
    return True


@asynccontextmanager
async def logged_in_client(target: Any, email: str) -> AsyncIterator[tuple[CustomerApiClient, str]]:
    """The same customer on a second device: its client and access token."""
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        anonymous = (await client.anonymous_login()).access_token
        token = await client.login(anonymous, email, CUSTOMER_PASSWORD)
        yield client, token.access_token


# -- what the user sees --------------------------------------------------------------------


def screen_text(app: AccountDeskApp) -> str:
    """Every character painted on the terminal, notifications included."""
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " ")


def status_line(app: AccountDeskApp) -> str:
    return str(app.screen.query_one("#status-customer", Static).render())


def notices_of(app: AccountDeskApp, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every notification the app shows from now on, as (title, message)."""
    shown: list[tuple[str, str]] = []
    original = app.notify

    def record(message: str, **options: Any) -> None:
        shown.append((str(options.get("title", "")), message))
        original(message, **options)

    monkeypatch.setattr(app, "notify", record)
    return shown


# Every fault against the account's load; against each form, one fault of each kind the app
# tells apart (no answer, a deadline, a failing server with a body, a body the API log must
# survive, a wrong success): every form fails through the same `FormScreen.request`.
EVERY_FAULT = set(FAULTS_BY_NAME)
ONE_OF_EACH = {"refused", "trickle", "html-502", "500-bomb", "200-bomb", "200-wrong-shape"}
CASES = [
    pytest.param(flow, fault, id=f"{flow.name}-{fault.name}")
    for flow in FLOWS
    for fault in FAULTS
    if fault.name in (EVERY_FAULT if isinstance(flow, LoadAccount) else ONE_OF_EACH)
    and (flow.answers_with_data or not fault.wrong_success)
]


@pytest.mark.parametrize(("flow", "fault"), CASES)
async def test_the_app_survives_a_hostile_server_and_recovers(
    flow: Flow,
    fault: Fault,
    make_app: MakeApp,
    fresh_tenant: Any,
    hostile: HostileServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    email = unique_email("hostile")
    await create_active_customer(fresh_tenant, email)
    if fault.slow:
        monkeypatch.setattr(
            account_module,
            "CustomerApiClient",
            functools.partial(CustomerApiClient, timeout=SHORT_DEADLINE),
        )
    app = make_app(environment_for(fresh_tenant))
    notices = notices_of(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        case = Case(pilot, app, fresh_tenant, email, notices)
        await flow.arrive(case)
        screen = app.screen
        assert isinstance(screen, flow.screen_type)
        typed = flow.typed(app)

        hostile.arm(flow.method, f"/customer/{fresh_tenant.tenant}/{flow.operation}", fault)
        await pilot.press(flow.key)
        await settle(pilot)

        assert hostile.hits >= 1
        assert app.is_running
        assert app.screen is screen
        host = httpx.URL(fresh_tenant.base_url).netloc.decode()
        assert flow.message(app) == fault.words.format(host=host)
        assert NOT_WORDS.search(screen_text(app)) is None, screen_text(app)
        assert flow.typed(app) == typed
        assert app.logged_in is flow.logged_in_before
        if flow.logged_in_before:
            assert app.session.state is SessionState.LOGGED_IN
        await flow.while_faulted(case)

        hostile.lift()
        await pilot.press(flow.key)
        await settle(pilot)

        await flow.check_done(case)
        assert status_line(app) == f"Logged in as {email}"
        assert NOT_WORDS.search(screen_text(app)) is None, screen_text(app)
        assert [title for title, _ in notices if title == UNEXPECTED_FAILURE_TITLE] == []
    assert app.return_code in (None, 0)


def test_the_api_log_shows_a_bracket_bomb_as_text() -> None:
    # Before: the log's JSON view raised RecursionError on the (shortened) bomb, and as the
    # panel follows the newest request even while hidden, the app died with it.
    event = TraceEvent("GET", "/customer/demo/me", 200, 1.0, None, redact_body(BOMB), None)
    output = io.StringIO()
    Console(width=80, file=output).print(describe_call(event))
    assert "[[[[" in output.getvalue()


async def test_a_save_whose_answer_is_lost_after_the_server_stored_it(
    make_app: MakeApp,
    fresh_tenant: Any,
    hostile: HostileServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Mid-flow: PATCH /me reaches the server and is stored; the connection breaks on the
    # GET /me that reads the profile back. The app cannot know the save worked, so it says the
    # request failed and keeps the input; sending again finds the server already has it.
    email = unique_email("hostile")
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant))
    notices = notices_of(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        case = Case(pilot, app, fresh_tenant, email, notices)
        flow = SaveProfile()
        await flow.arrive(case)
        typed = flow.typed(app)
        hostile.arm("GET", f"/customer/{fresh_tenant.tenant}/me", FAULTS_BY_NAME["reset"])
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert hostile.hits == 1
        host = httpx.URL(fresh_tenant.base_url).netloc.decode()
        assert flow.message(app) == UNREACHABLE.format(host=host)
        assert flow.typed(app) == typed
        assert app.session.state is SessionState.LOGGED_IN

        hostile.lift()
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert flow.message(app) == "Your profile matches the server's now; nothing to save."
        assert flow.typed(app) == typed
        assert str(app.screen.query_one("#profile-dirty", Static).render()) == ""
        async with logged_in_client(fresh_tenant, email) as (client, token):
            stored = await client.get_profile(token)
        assert (stored.first_name, stored.company) == ("Grizelda", "Harvard Mark I")
        assert status_line(app) == f"Logged in as {email}"
        assert [title for title, _ in notices if title == UNEXPECTED_FAILURE_TITLE] == []


async def stored_then_reset(request: httpx.Request) -> httpx.Response:
    """The request reaches the real sandbox (sent past respx, with urllib) and is stored; the
    connection then breaks before the answer arrives."""

    def forward() -> None:
        sent = urllib.request.Request(  # noqa: S310 - the test sandbox on loopback
            str(request.url), data=request.content, headers=dict(request.headers), method="POST"
        )
        with urllib.request.urlopen(sent, timeout=10) as answer:  # noqa: S310
            assert answer.status == 201

    await asyncio.to_thread(forward)
    raise httpx.ReadError("Connection reset by peer", request=request)


async def test_an_address_whose_answer_is_lost_is_not_added_twice(
    make_app: MakeApp,
    fresh_tenant: Any,
    hostile: HostileServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The API has no idempotency key: without care, pressing save again after a lost answer
    # stores a second copy. The retry finds the first one in the address book instead.
    email = unique_email("hostile")
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant))
    notices = notices_of(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        case = Case(pilot, app, fresh_tenant, email, notices)
        flow = AddAddress()
        await flow.arrive(case)
        typed = flow.typed(app)
        lost = Fault("stored-then-reset", stored_then_reset, UNREACHABLE)
        hostile.arm("POST", f"/customer/{fresh_tenant.tenant}/me/addresses", lost)
        await pilot.press(flow.key)
        await settle(pilot)

        assert hostile.hits == 1
        host = httpx.URL(fresh_tenant.base_url).netloc.decode()
        assert flow.message(app) == UNREACHABLE.format(host=host)
        assert flow.typed(app) == typed
        assert len(await app.account.list_addresses()) == 1  # stored, though the app can't know

        hostile.lift()
        await pilot.press(flow.key)
        await settle(pilot)

        await flow.check_done(case)  # exactly one address, shown in the book
