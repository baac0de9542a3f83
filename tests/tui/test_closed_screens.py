"""A closed screen is freed: nothing the app keeps (its watchers above all) holds on to it."""

from __future__ import annotations

import gc
import weakref

from helpers import settle, wait_until

from accountdesk.session import Environment, MemoryTokenStore, Settings
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.signup import SignUpScreen

# Port 9 (discard) refuses: the app stays "not connected", which is all this needs.
_NOWHERE = Environment(
    name="nowhere", base_url="http://127.0.0.1:9", tenant="demo", client_id="demo-storefront"
)


async def test_a_closed_flow_is_freed() -> None:
    app = AccountDeskApp(Settings(), _NOWHERE, token_store=MemoryTokenStore())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, SignUpScreen), what="sign-up")
        await settle(pilot)
        closed = weakref.ref(app.screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), what="login")
        await settle(pilot)
        gc.collect()
        # Its header watched the app's title, which never changes: that alone kept it.
        assert closed() is None
