"""A password manager submits the moment the login screen shows, often before the app has
connected: the login waits for the connection instead of failing with "still connecting"."""

from __future__ import annotations

from collections.abc import Callable

from helpers import DEMO_EMAIL, DEMO_PASSWORD, wait_mode
from textual.widgets import Input

from accountdesk.session import Environment
from accountdesk.tui.app import AccountDeskApp

EMBEDDED = Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront")


async def test_a_login_sent_while_connecting_waits_and_logs_in(
    make_app: Callable[..., AccountDeskApp],
) -> None:
    app = make_app(environment=EMBEDDED)
    async with app.run_test(size=(80, 24)) as pilot:
        # What auto-type leaves behind, submitted while the embedded sandbox still starts.
        login = app.screen
        login.query_one("#login-email", Input).value = DEMO_EMAIL
        login.query_one("#login-password", Input).value = DEMO_PASSWORD
        assert app.backend_state == "connecting"
        await pilot.press("ctrl+s")
        await wait_mode(pilot, app, "account")
        assert app.customer_email == DEMO_EMAIL
