"""Change password, change email and delete account, end to end against the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    CUSTOMER_PASSWORD,
    create_active_customer,
    environment_for,
    latest_mail,
    log_in,
    record_notifications,
    settle,
    unique_email,
    wait_mode,
    wait_ready,
    wait_until,
)
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from accountdesk.api import (
    BadRequestError,
    CustomerApiClient,
    FieldError,
    InvalidTokenError,
    UnauthorizedError,
)
from accountdesk.api.sandbox_extras import DELETION_REQUEST, EMAIL_CHANGE_REQUEST
from accountdesk.session import FileTokenStore
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.change_email import (
    INVALID_CODE,
    SAME_EMAIL,
    WRONG_PASSWORD,
    ChangeEmailScreen,
    ConfirmEmailChangeScreen,
    email_changed_message,
)
from accountdesk.tui.screens.change_password import (
    PASSWORD_CHANGED,
    WRONG_CURRENT_PASSWORD,
    ChangePasswordScreen,
    is_wrong_current_password,
)
from accountdesk.tui.screens.delete_account import (
    EMAIL_MISMATCH,
    DeleteAccountScreen,
)
from accountdesk.tui.screens.delete_account import INVALID_CODE as INVALID_DELETION_CODE
from accountdesk.tui.screens.login import LoginScreen
from accountdesk.tui.screens.mailbox import MailboxScreen
from accountdesk.tui.widgets.form_field import FormField
from accountdesk.tui.widgets.password_strength import PasswordInput

MakeApp = Callable[..., AccountDeskApp]
NEW_PASSWORD = "quietly-violet-harbour-telescope"
SIZE = (120, 40)


def focused_id(app: AccountDeskApp) -> str | None:
    return app.focused.id if app.focused is not None else None


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text)


async def paste(pilot: Pilot[Any], text: str) -> None:
    assert pilot.app.focused is not None
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()


async def can_log_in(target: Any, email: str, password: str) -> bool:
    async with CustomerApiClient(target.base_url, target.tenant, target.client_id) as client:
        anonymous = (await client.anonymous_login()).access_token
        try:
            await client.login(anonymous, email, password)
        except UnauthorizedError:
            return False
    return True


async def open_flow(pilot: Pilot[Any], key: str, screen_type: type[object]) -> Any:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), what=key)
    await pilot.pause()
    return pilot.app.screen


# -- change password -----------------------------------------------------------------------


async def test_password_change_by_keyboard_signs_out_other_sessions(
    make_app: MakeApp, fresh_tenant: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = unique_email()
    await create_active_customer(fresh_tenant, email)
    store_path = tmp_path / "sessions.json"
    app = make_app(environment_for(fresh_tenant), token_store=FileTokenStore(store_path))
    said = record_notifications(app, monkeypatch)
    async with (
        app.run_test(size=SIZE) as pilot,
        CustomerApiClient(fresh_tenant.base_url, fresh_tenant.tenant, fresh_tenant.client_id) as c,
    ):
        other = await c.login((await c.anonymous_login()).access_token, email, CUSTOMER_PASSWORD)
        await wait_ready(pilot, app)
        await app.session.login(email, CUSTOMER_PASSWORD, remember=True)
        await wait_mode(pilot, app, "account")
        screen = await open_flow(pilot, "p", ChangePasswordScreen)
        inputs = list(screen.query(PasswordInput))

        # Tab order: current, new, again, the button; enter moves on, enter in the last submits.
        assert focused_id(app) == "change-current-password"
        await pilot.press("tab", "tab", "tab")
        assert focused_id(app) == "change-password-submit-button"
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        assert focused_id(app) == "change-current-password"
        await type_text(pilot, CUSTOMER_PASSWORD)
        await pilot.press("enter")
        assert focused_id(app) == "change-password"
        await type_text(pilot, NEW_PASSWORD)
        await pilot.press("tab")
        assert focused_id(app) == "change-password-again"
        await type_text(pilot, NEW_PASSWORD)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="overview")
        await settle(pilot)

        assert said == [PASSWORD_CHANGED]
        assert [widget.value for widget in inputs] == ["", "", ""]
        # This session stays; the other one was signed out by the server.
        assert (await app.account.load_profile()).contact_email == email
        with pytest.raises(UnauthorizedError):
            await c.validate_token(other.access_token)

    assert not await can_log_in(fresh_tenant, email, CUSTOMER_PASSWORD)
    assert await can_log_in(fresh_tenant, email, NEW_PASSWORD)
    # This session was kept, so "remember me" still resumes it after a restart.
    restarted = make_app(environment_for(fresh_tenant), token_store=FileTokenStore(store_path))
    async with restarted.run_test(size=SIZE) as pilot:
        await wait_mode(pilot, restarted, "account")
        assert restarted.customer_email == email


def test_both_answers_for_a_wrong_current_password_are_recognised() -> None:
    # The sandbox answers 400 with the field; Emporix may answer 401 invalid_credentials.
    def refused(field: str) -> BadRequestError:
        return BadRequestError(
            "Invalid data.", status=400, details=[FieldError(field, "invalid_value", "No.")]
        )

    assert is_wrong_current_password(refused("currentPassword"))
    assert is_wrong_current_password(
        UnauthorizedError("Wrong.", status=401, type="invalid_credentials")
    )
    assert not is_wrong_current_password(refused("newPassword"))
    assert not is_wrong_current_password(InvalidTokenError("Expired.", status=401))


async def test_wrong_current_password_is_shown_next_to_it_and_input_kept(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = unique_email()
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        screen = await open_flow(pilot, "p", ChangePasswordScreen)
        for input_id, value in (
            ("change-current-password", "not-my-password-at-all"),
            ("change-password", NEW_PASSWORD),
            ("change-password-again", NEW_PASSWORD),
        ):
            screen.query_one(f"#{input_id}", Input).value = value
        screen.query_one("#change-password-again", Input).focus()
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is screen
        current = screen.query_one("#change-current-password-field", FormField)
        assert current.error == WRONG_CURRENT_PASSWORD
        assert focused_id(app) == "change-current-password"
        assert [widget.value for widget in screen.query(PasswordInput)] == [
            "not-my-password-at-all",
            NEW_PASSWORD,
            NEW_PASSWORD,
        ]
    assert await can_log_in(fresh_tenant, email, CUSTOMER_PASSWORD)


# -- change email --------------------------------------------------------------------------


async def test_email_change_confirmed_with_the_code_and_remembered_session_resumes(
    make_app: MakeApp, fresh_tenant: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_email, new_email = unique_email("old"), unique_email("new")
    await create_active_customer(fresh_tenant, old_email)
    store_path = tmp_path / "remembered" / "sessions.json"
    app = make_app(environment_for(fresh_tenant), token_store=FileTokenStore(store_path))
    said = record_notifications(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(old_email, CUSTOMER_PASSWORD, remember=True)
        await wait_mode(pilot, app, "account")
        await open_flow(pilot, "m", ChangeEmailScreen)
        assert focused_id(app) == "change-email-new"
        await type_text(pilot, new_email)
        await pilot.press("enter")
        assert focused_id(app) == "change-email-password"
        await type_text(pilot, CUSTOMER_PASSWORD)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ConfirmEmailChangeScreen), what="confirm step"
        )
        await pilot.pause()
        mail = await latest_mail(fresh_tenant, new_email, EMAIL_CHANGE_REQUEST)
        # The whole link from the email works as well as the bare code.
        await paste(pilot, f"https://shop.example/account/email?token={mail['token']}")
        assert app.screen.query_one("#confirm-email-token", Input).value == mail["token"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="overview")
        await settle(pilot)

        assert app.customer_email == new_email
        assert new_email in str(app.screen.query_one("#status-customer", Static).render())
        overview = app.screen.query_one("#account-email", Static)
        await wait_until(pilot, lambda: new_email in str(overview.render()), what="overview")
        assert said == [email_changed_message(new_email)]

    assert not await can_log_in(fresh_tenant, old_email, CUSTOMER_PASSWORD)
    assert await can_log_in(fresh_tenant, new_email, CUSTOMER_PASSWORD)

    restarted = make_app(environment_for(fresh_tenant), token_store=FileTokenStore(store_path))
    async with restarted.run_test(size=SIZE) as pilot:
        await wait_mode(pilot, restarted, "account")
        assert restarted.customer_email == new_email


async def test_email_change_errors_land_next_to_their_fields(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email, taken = unique_email(), unique_email("taken")
    await create_active_customer(fresh_tenant, email)
    await create_active_customer(fresh_tenant, taken)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        screen = await open_flow(pilot, "m", ChangeEmailScreen)
        new_field = screen.query_one("#change-email-new-field", FormField)
        password_field = screen.query_one("#change-email-password-field", FormField)

        async def submit(new_email: str, password: str) -> None:
            screen.query_one("#change-email-new", Input).value = new_email
            screen.query_one("#change-email-password", Input).value = password
            await pilot.press("ctrl+s")
            await settle(pilot)

        await submit(email.upper(), CUSTOMER_PASSWORD)
        assert new_field.error == SAME_EMAIL
        await submit(taken, CUSTOMER_PASSWORD)
        assert new_field.error == "An account with this email already exists."
        assert focused_id(app) == "change-email-new"
        await submit(unique_email("next"), "not-my-password-at-all")
        assert password_field.error == WRONG_PASSWORD
        assert screen.query_one("#change-email-password", Input).value == "not-my-password-at-all"
        assert app.screen is screen

        await submit(unique_email("next"), CUSTOMER_PASSWORD)
        assert isinstance(app.screen, ConfirmEmailChangeScreen)
        app.screen.query_one("#confirm-email-token", Input).value = "not-a-real-code"
        await pilot.press("enter")
        await settle(pilot)
        code_field = app.screen.query_one("#confirm-email-token-field", FormField)
        assert code_field.error == INVALID_CODE
        assert app.customer_email == email


async def test_email_change_confirmed_in_the_mailbox_closes_the_confirm_step(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email, new_email = unique_email(), unique_email("new")
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        await wait_until(pilot, lambda: app.is_sandbox, what="sandbox detection")
        screen = await open_flow(pilot, "m", ChangeEmailScreen)
        screen.query_one("#change-email-new", Input).value = new_email
        screen.query_one("#change-email-password", Input).value = CUSTOMER_PASSWORD
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEmailChangeScreen))
        await open_flow(pilot, "f3", MailboxScreen)
        button = app.screen.query_one("#mailbox-continue", Button)
        await wait_until(pilot, lambda: bool(button.display and not button.disabled))
        await pilot.press("c")
        await wait_until(pilot, lambda: app.customer_email == new_email, what="EmailChanged")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="overview")
    assert await can_log_in(fresh_tenant, new_email, CUSTOMER_PASSWORD)


# -- delete account ------------------------------------------------------------------------


def bodies_naming(app: AccountDeskApp, *needles: str) -> list[str]:
    bodies = [
        body
        for event in app.api_log
        for body in (event.request_body, event.response_body)
        if body is not None
    ]
    return [body for body in bodies if any(needle in body for needle in needles)]


async def test_deletion_needs_the_typed_email_and_the_emailed_code(
    make_app: MakeApp, fresh_tenant: Any, tmp_path: Path
) -> None:
    email = unique_email()
    await create_active_customer(fresh_tenant, email, first_name="Augusta")
    store = FileTokenStore(tmp_path / "sessions.json")
    app = make_app(environment_for(fresh_tenant), token_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot, app)
        await app.session.login(email, CUSTOMER_PASSWORD, remember=True)
        await wait_mode(pilot, app, "account")
        await settle(pilot)
        key = app.session.environment_key
        assert await store.load(key) is not None
        assert bodies_naming(app, email, "Augusta"), "the log shows the customer's data"

        dialog = await open_flow(pilot, "d", DeleteAccountScreen)
        delete = dialog.query_one("#delete-submit", Button)
        assert delete.disabled
        assert focused_id(app) == "delete-email"
        await type_text(pilot, "someone@example.com")
        assert delete.disabled
        await pilot.press("enter")
        await settle(pilot)
        assert dialog.query_one("#delete-email-field", FormField).error == EMAIL_MISMATCH
        assert not await has_mail(fresh_tenant, email, DELETION_REQUEST)

        dialog.query_one("#delete-email", Input).value = email.upper()
        await pilot.pause()
        assert not delete.disabled
        await pilot.press("enter")
        await wait_until(pilot, lambda: focused_id(app) == "delete-code", what="the code step")
        mail = await latest_mail(fresh_tenant, email, DELETION_REQUEST)

        await type_text(pilot, "not-the-code")
        await pilot.press("enter")
        await settle(pilot)
        assert dialog.query_one("#delete-code-field", FormField).error == INVALID_DELETION_CODE
        assert app.current_mode == "account"

        dialog.query_one("#delete-code", Input).value = mail["token"]
        await pilot.press("ctrl+s")
        await wait_mode(pilot, app, "auth")
        assert isinstance(app.screen, LoginScreen)
        assert app.customer_email is None
        assert await store.load(key) is None
        assert app.api_log, "requests stay listed"
        assert not bodies_naming(app, email, "Augusta")

    assert not await can_log_in(fresh_tenant, email, CUSTOMER_PASSWORD)


async def test_delete_dialog_is_cancelled_by_escape_and_deletes_nothing(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = unique_email()
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        await open_flow(pilot, "d", DeleteAccountScreen)
        await type_text(pilot, email)
        # Tab reaches the button once the address matches; escape still closes from anywhere.
        await pilot.press("tab")
        assert focused_id(app) == "delete-submit"
        await pilot.press("tab")
        assert focused_id(app) == "delete-cancel"
        await pilot.press("shift+tab", "shift+tab", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountScreen), what="overview")
        assert app.customer_email == email
    assert not await has_mail(fresh_tenant, email, DELETION_REQUEST)
    assert await can_log_in(fresh_tenant, email, CUSTOMER_PASSWORD)


async def has_mail(target: Any, email: str, event: str) -> bool:
    try:
        await latest_mail(target, email, event)
    except AssertionError:
        return False
    return True


async def test_deletion_confirmed_in_the_mailbox_leaves_no_stale_screens(
    make_app: MakeApp, fresh_tenant: Any
) -> None:
    email = unique_email()
    await create_active_customer(fresh_tenant, email)
    app = make_app(environment_for(fresh_tenant))
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, app, email, CUSTOMER_PASSWORD)
        await wait_until(pilot, lambda: app.is_sandbox, what="sandbox detection")
        dialog = await open_flow(pilot, "d", DeleteAccountScreen)
        dialog.query_one("#delete-email", Input).value = email
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: focused_id(app) == "delete-code", what="the code step")
        mailbox = await open_flow(pilot, "f3", MailboxScreen)
        button = mailbox.query_one("#mailbox-continue", Button)
        await wait_until(pilot, lambda: bool(button.display and not button.disabled))
        await pilot.press("c")
        await wait_until(pilot, lambda: not isinstance(app.screen, MailboxScreen))
        await pilot.press("y")  # "Delete this account for good?"
        await wait_mode(pilot, app, "auth")

        assert isinstance(app.screen, LoginScreen)
        assert not [
            screen
            for screen in app.screen_stack
            if isinstance(screen, MailboxScreen | DeleteAccountScreen)
        ]
        assert not bodies_naming(app, email)

        # Opened again, the mailbox lists the mails but offers no deletion to continue.
        mailbox = await open_flow(pilot, "f3", MailboxScreen)
        await wait_until(pilot, lambda: bool(mailbox.messages), what="the mails")
        request = next(m for m in mailbox.messages if m.event == DELETION_REQUEST)
        mailbox.show_message(request)
        await pilot.pause()
        assert not mailbox.query_one("#mailbox-continue", Button).display
        assert mailbox.check_action("continue_flow", ()) is False
