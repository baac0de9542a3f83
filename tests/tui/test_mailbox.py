"""The sandbox mailbox: newest first, tokens hidden until asked, "continue" into the right flow."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from helpers import (
    CUSTOMER_PASSWORD,
    create_active_customer,
    environment_for,
    latest_mail,
    wait_mode,
    wait_ready,
    wait_until,
)
from textual.widgets import DataTable, Input

from accountdesk.api import CustomerApiClient, CustomerSignup
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.activation import ActivationScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.screens.forgot_password import ResetPasswordScreen
from accountdesk.tui.screens.mailbox import MailboxScreen

MakeApp = Callable[..., AccountDeskApp]


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}@example.com"


async def seed_mailbox(tenant: Any) -> tuple[str, str]:
    """Three mails, oldest first: opt-in for ``pending``, opt-in for ``active``, reset for it."""
    pending = unique_email("pending")
    active = unique_email("active")
    async with CustomerApiClient(tenant.base_url, tenant.tenant, tenant.client_id) as client:
        anonymous = await client.anonymous_login()
        await client.sign_up(
            anonymous.access_token, CustomerSignup(email=pending, password=CUSTOMER_PASSWORD)
        )
        await create_active_customer(tenant, active)
        await client.request_password_reset(anonymous.access_token, active)
    return pending, active


async def open_mailbox(pilot: Any, app: AccountDeskApp, rows: int) -> MailboxScreen:
    await wait_ready(pilot, app)
    await pilot.press("f3")
    await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen), what="the mailbox")
    screen = app.screen
    assert isinstance(screen, MailboxScreen)
    table = screen.query_one("#mailbox-list", DataTable)
    await wait_until(pilot, lambda: table.row_count == rows, what=f"{rows} messages")
    return screen


async def test_mailbox_lists_newest_first_and_hides_tokens(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    pending, active = await seed_mailbox(fresh_tenant)
    reset = await latest_mail(fresh_tenant, active, "customer.password-reset")
    app = make_app(environment=environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await open_mailbox(pilot, app, rows=3)
        table = screen.query_one("#mailbox-list", DataTable)
        rows = [table.get_row_at(index) for index in range(3)]
        assert [(row[1], row[2]) for row in rows] == [
            (active, "Reset your password"),
            (active, "Activate your account"),
            (pending, "Activate your account"),
        ]
        # The newest is open; its token is masked on screen until asked for.
        assert screen.selected is not None
        assert screen.selected.token == reset["token"]
        assert reset["token"] not in app.export_screenshot()
        await pilot.press("t")
        assert screen.reveal_token
        assert "••••" not in str(screen.body.render())

        # f3 again closes it.
        await pilot.press("f3")
        await pilot.pause()
        assert not isinstance(app.screen, MailboxScreen)


async def test_continue_opens_activation_with_the_token(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    pending, _active = await seed_mailbox(fresh_tenant)
    opt_in = await latest_mail(fresh_tenant, pending, "customer.opt-in")
    app = make_app(environment=environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await open_mailbox(pilot, app, rows=3)
        screen.query_one("#mailbox-list", DataTable).move_cursor(row=2)
        await pilot.pause()
        assert screen.continue_button.label.plain == "Activate account"
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ActivationScreen), what="activation")
        activation = app.screen
        assert activation.query_one("#activation-token", Input).value == opt_in["token"]
        assert activation.query_one("#activation-email", Input).value == pending

        # Activating from there logs the new customer in.
        await pilot.click("#activation-submit-button")
        await wait_until(pilot, lambda: app.current_mode == "account", what="login after opt-in")
        assert app.customer_email == pending


async def test_continue_opens_password_reset_with_the_token(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    _pending, active = await seed_mailbox(fresh_tenant)
    reset = await latest_mail(fresh_tenant, active, "customer.password-reset")
    app = make_app(environment=environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await open_mailbox(pilot, app, rows=3)
        assert screen.continue_button.label.plain == "Reset password"
        await pilot.click("#mailbox-continue")
        await wait_until(pilot, lambda: isinstance(app.screen, ResetPasswordScreen), what="reset")
        assert app.screen.query_one("#reset-token", Input).value == reset["token"]


async def test_continue_confirms_an_email_change(make_app: MakeApp, fresh_tenant: Any) -> None:
    old_email = unique_email("old")
    new_email = unique_email("new")
    await create_active_customer(fresh_tenant, old_email)
    async with CustomerApiClient(
        fresh_tenant.base_url, fresh_tenant.tenant, fresh_tenant.client_id
    ) as client:
        anonymous = await client.anonymous_login()
        token = await client.login(anonymous.access_token, old_email, CUSTOMER_PASSWORD)
        await client.request_email_change(
            token.access_token, email=old_email, password=CUSTOMER_PASSWORD, new_email=new_email
        )
    app = make_app(environment=environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await open_mailbox(pilot, app, rows=2)
        assert screen.selected is not None
        assert screen.selected.to == new_email
        assert screen.continue_button.label.plain == "Confirm new email"
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()

    async with CustomerApiClient(
        fresh_tenant.base_url, fresh_tenant.tenant, fresh_tenant.client_id
    ) as client:
        anonymous = await client.anonymous_login()
        await client.login(anonymous.access_token, new_email, CUSTOMER_PASSWORD)


async def test_mailbox_is_not_offered_for_a_real_tenant(make_app: MakeApp) -> None:
    from accountdesk.session import Environment

    # Nothing listens on this port: not a sandbox, so no mailbox (and the app survives).
    remote = Environment(
        name="prod", base_url="http://127.0.0.1:9", tenant="acme", client_id="storefront"
    )
    app = make_app(environment=remote)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.backend_state == "failed", what="connect failure")
        assert not app.is_sandbox
        assert app.check_action("open_mailbox", ()) is False
        await pilot.press("f3")
        await pilot.pause()
        assert not isinstance(app.screen, MailboxScreen)


async def test_activating_another_customer_from_the_mailbox_replaces_the_account_screens(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    pending, active = await seed_mailbox(fresh_tenant)
    app = make_app(environment=environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(active, CUSTOMER_PASSWORD)
        await wait_mode(pilot, app, "account")
        screen = await open_mailbox(pilot, app, rows=3)
        screen.query_one("#mailbox-list", DataTable).move_cursor(row=2)
        await pilot.pause()
        await pilot.press("c")
        # Someone else is logged in: the mailbox asks before switching customers.
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ActivationScreen), what="activation")
        await pilot.click("#activation-submit-button")
        await wait_until(pilot, lambda: app.customer_email == pending, what="the new customer")
        await wait_mode(pilot, app, "account")
        # A fresh stack: no mailbox or activation screen of the previous customer left.
        assert [type(s) for s in app.screen_stack] == [AccountScreen]


async def test_another_customer_s_deletion_code_is_not_tried_in_this_session(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    """Before, Continue asked to delete the other account, then the server called the good
    code "not valid" (it only works in its own customer's session)."""
    grace = unique_email("grace")
    ada = unique_email("ada")
    await create_active_customer(fresh_tenant, grace)
    await create_active_customer(fresh_tenant, ada)
    async with CustomerApiClient(
        fresh_tenant.base_url, fresh_tenant.tenant, fresh_tenant.client_id
    ) as client:
        anonymous = await client.anonymous_login()
        token = await client.login(anonymous.access_token, grace, CUSTOMER_PASSWORD)
        await client.delete_profile(token.access_token)
    app = make_app(environment=environment_for(fresh_tenant))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.account.log_in(ada, CUSTOMER_PASSWORD)
        await wait_mode(pilot, app, "account")
        screen = await open_mailbox(pilot, app, rows=3)
        assert screen.selected is not None
        assert screen.selected.event == "customer.deletion-request"
        notices_before = len(app._notifications)
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert len(app._notifications) == notices_before + 1
        assert app.customer_email == ada
