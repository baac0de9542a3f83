"""The sandbox's outbox as a mailbox: read what the emulator "sent" and continue the flow.

The outbox is a sandbox feature outside the Emporix API: `accountdesk.api.sandbox_extras`
reads it; continuing a flow goes through the account service like any other screen.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Static, TextArea

from accountdesk.api import AccountDeskError
from accountdesk.api.sandbox_extras import (
    DELETION_REQUEST,
    EMAIL_CHANGE_REQUEST,
    OPT_IN,
    PASSWORD_RESET,
    OutboxError,
    OutboxMessage,
    empty_outbox,
    fetch_outbox,
)
from accountdesk.session import SessionExpiredError
from accountdesk.tui.context import account_of, services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.navigation import open_flow
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.validation import same_address
from accountdesk.tui.wording import (
    MAILBOX_NOT_EMPTIED,
    MAILBOX_UNREADABLE,
    describe,
    local_time,
    plural,
    with_reconnect_advice,
)

POLL_SECONDS = 3.0

COPY_ATTEMPTED = N_(
    "Sent the code to the terminal's clipboard (OSC 52); if your terminal ignores that, "
    "select it below."
)

CONTINUE_LABELS = {
    OPT_IN: N_("Activate account"),
    PASSWORD_RESET: N_("Reset password"),
    EMAIL_CHANGE_REQUEST: N_("Confirm new email"),
    DELETION_REQUEST: N_("Delete account"),
}


class MailboxScreen(AccountDeskScreen):
    """Newest first on the left, the selected message on the right, "continue" below it."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Sandbox mailbox")
    BINDINGS = [
        Binding(
            "escape",
            "app.pop_screen",
            N_("Back"),
            tooltip=N_("Close the mailbox."),
            id="mailbox-back",
        ),
        Binding(
            "r",
            "refresh_mailbox",
            N_("Refresh"),
            tooltip=N_("Fetch new mail."),
            id="mailbox-refresh",
        ),
        Binding(
            "c",
            "continue_flow",
            N_("Continue"),
            tooltip=N_("Continue the flow this email belongs to, with its token filled in."),
            id="mailbox-continue",
        ),
        Binding(
            "t",
            "toggle_token",
            N_("Show token"),
            tooltip=N_("Show or hide the token in the message body."),
            id="mailbox-show-token",
        ),
        # Listed in the command palette; the footer has no room for every key.
        Binding(
            "y",
            "copy_token",
            N_("Copy token"),
            tooltip=N_("Copy the message's token to the clipboard."),
            id="mailbox-copy-token",
            show=False,
        ),
        Binding(
            "x",
            "empty_mailbox",
            N_("Empty mailbox"),
            tooltip=N_("Delete every message in the sandbox mailbox."),
            id="mailbox-empty",
            show=False,
        ),
    ]

    table = getters.query_one("#mailbox-list", DataTable)
    headers = getters.query_one("#mailbox-headers", Static)
    body = getters.query_one("#mailbox-body", Static)
    continue_button = getters.query_one("#mailbox-continue", Button)
    copy_area = getters.query_one("#mailbox-copy", Vertical)
    token_box = getters.query_one("#mailbox-token", TextArea)

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[OutboxMessage] = []
        self.selected: OutboxMessage | None = None
        self.reveal_token = False
        self.unavailable = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="mailbox"):
            table: DataTable[str] = DataTable(id="mailbox-list", cursor_type="row")
            table.border_title = _("Inbox (newest first)")
            yield table
            with Vertical(id="mailbox-reader") as reader:
                reader.border_title = _("Message")
                with VerticalScroll(id="mailbox-message"):
                    yield Static(id="mailbox-headers")
                    yield Static(id="mailbox-body", markup=False)
                with Vertical(id="mailbox-copy") as copy_area:
                    copy_area.display = False
                    yield Static(_(COPY_ATTEMPTED), id="mailbox-copy-note", markup=False)
                    token_box = TextArea(
                        id="mailbox-token", read_only=True, soft_wrap=True, show_line_numbers=False
                    )
                    token_box.border_title = _("Code")
                    yield token_box
                yield Button(_("Continue"), id="mailbox-continue", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self.table.add_column(_("Received"), key="received")
        self.table.add_column(_("To"), key="to")
        self.table.add_column(_("Subject"), key="subject")
        self.show_message(None)
        self.refresh_mailbox()
        self.set_interval(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        if self.is_current:
            self.refresh_mailbox()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_token = self.selected is not None and self.selected.token is not None
        if action == "continue_flow":
            return self.selected is not None and self._continue_label(self.selected) is not None
        if action in ("toggle_token", "copy_token"):
            return has_token
        return True

    # -- loading ---------------------------------------------------------------------------

    def action_refresh_mailbox(self) -> None:
        self.refresh_mailbox()

    @work(exclusive=True, group="mailbox", exit_on_error=False, description="Reading the mailbox")
    async def refresh_mailbox(self) -> None:
        services = services_of(self)
        base_url = services.base_url
        if base_url is None:
            self.table.border_subtitle = _("waiting for the sandbox…")
            return
        try:
            messages = await fetch_outbox(base_url, services.environment.tenant)
        except OutboxError:
            self.table.border_subtitle = _("unavailable")
            # Polling repeats the failure every few seconds: say it once. (The error's own
            # text is the HTTP library's, not a sentence for the user.)
            if not self.unavailable:
                self.notify(
                    with_reconnect_advice(MAILBOX_UNREADABLE), severity="error", markup=False
                )
            self.unavailable = True
            return
        self.unavailable = False
        self.show_messages(messages)

    def show_messages(self, messages: list[OutboxMessage]) -> None:
        count = len(messages)
        self.table.border_subtitle = plural(count, "{n} message", "{n} messages")
        if [message.id for message in messages] == [message.id for message in self.messages]:
            return
        selected_id = self.selected.id if self.selected else None
        self.messages = messages
        self.table.clear()
        for message in messages:
            self.table.add_row(
                format_received(message.created_at), message.to, message.subject, key=message.id
            )
        ids = [message.id for message in messages]
        if selected_id in ids:
            self.table.move_cursor(row=ids.index(selected_id))
        elif messages:
            self.table.move_cursor(row=0)
        else:
            self.show_message(None)

    @on(DataTable.RowHighlighted, "#mailbox-list")
    def _message_highlighted(self, event: DataTable.RowHighlighted) -> None:
        message = next((m for m in self.messages if m.id == event.row_key.value), None)
        if message is not self.selected:
            self.reveal_token = False
        self.show_message(message)

    @on(DataTable.RowSelected, "#mailbox-list")
    def _message_opened(self) -> None:
        if self.selected is not None and self._continue_label(self.selected) is not None:
            self.continue_button.focus()

    def show_message(self, message: OutboxMessage | None) -> None:
        if message is not self.selected:
            self._hide_token_box()
        self.selected = message
        if message is None:
            self.headers.update(Text(_("No message selected."), style="dim"))
            self.body.update(
                _(
                    "Emails the sandbox sends (activation, password reset, email change) "
                    "arrive here."
                )
            )
            self.continue_button.display = False
        else:
            self.headers.update(
                Text.assemble(
                    (_("Subject") + ": ", "bold"),
                    message.subject,
                    "\n",
                    (_("To") + ": ", "bold"),
                    message.to,
                    "\n",
                    (_("Event") + ": ", "bold"),
                    message.event,
                    "\n",
                    (_("Received") + ": ", "bold"),
                    format_received(message.created_at),
                    "\n",
                )
            )
            self.body.update(message.body if self.reveal_token else message.masked_body())
            label = self._continue_label(message)
            self.continue_button.display = label is not None
            self.continue_button.disabled = label is None
            self.continue_button.label = label or _("Continue")
        self.refresh_bindings()

    def _continue_label(self, message: OutboxMessage) -> str | None:
        # Deleting needs the customer's own session: once logged out (or deleted) a deletion
        # request is history, not something to continue.
        if message.event == DELETION_REQUEST and services_of(self).customer_email is None:
            return None
        return continue_label(message)

    def action_toggle_token(self) -> None:
        self.reveal_token = not self.reveal_token
        self.show_message(self.selected)

    def action_copy_token(self) -> None:
        if self.selected is None or self.selected.token is None:
            return
        # OSC 52 asks the terminal to set the clipboard; nothing says whether it did (tmux
        # without `set-clipboard on` drops it). Say what was tried, and offer the code to select.
        self.app.copy_to_clipboard(self.selected.token)
        # Said next to the code, not in a toast that would cover it.
        self.token_box.load_text(self.selected.token)
        self.copy_area.display = True
        self.token_box.focus()
        self.token_box.select_all()

    def _hide_token_box(self) -> None:
        if self.copy_area.display:
            self.copy_area.display = False
            self.token_box.load_text("")

    def action_empty_mailbox(self) -> None:
        self.app.push_screen(
            ConfirmScreen(
                _("Delete every message in the sandbox mailbox?"), confirm_label=_("Empty")
            ),
            self._empty_if_confirmed,
        )

    def _empty_if_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self._empty()

    @work(exclusive=True, group="mailbox", exit_on_error=False, description="Emptying the mailbox")
    async def _empty(self) -> None:
        base_url = services_of(self).base_url
        if base_url is None:
            return
        try:
            await empty_outbox(base_url, services_of(self).environment.tenant)
        except OutboxError:
            self.notify(with_reconnect_advice(MAILBOX_NOT_EMPTIED), severity="error", markup=False)
            return
        self.show_messages([])

    # -- continuing a flow -----------------------------------------------------------------

    @on(Button.Pressed, "#mailbox-continue")
    def _continue_pressed(self) -> None:
        self.action_continue_flow()

    def action_continue_flow(self) -> None:
        message = self.selected
        if message is None or message.token is None:
            return
        token = message.token
        if message.event == OPT_IN:
            self._continue_activation(message.to, token)
        elif message.event == PASSWORD_RESET:
            # The address too: after the reset, the login screen has it filled in.
            open_flow(self.app, "reset-password", token=token, email=message.to)
        elif message.event == EMAIL_CHANGE_REQUEST:
            self._confirm_email_change(token, message.to)
        elif message.event == DELETION_REQUEST:
            current = services_of(self).customer_email
            if current is not None and not same_address(current, message.to):
                # The code only works in its own customer's session: say so, rather than let
                # the server call a good code "not valid".
                self.notify(
                    _("This confirms deleting {email}. Log in as {email} to use it.").format(
                        email=message.to
                    ),
                    title=_("Delete account"),
                    severity="warning",
                    markup=False,
                )
                return
            self.app.push_screen(
                ConfirmScreen(
                    _("Delete this account for good?"),
                    detail=_(
                        "{email} and all its data will be deleted. This cannot be undone."
                    ).format(email=message.to),
                    confirm_label=_("Delete account"),
                    destructive=True,
                ),
                lambda confirmed: self._delete_if_confirmed(confirmed, token),
            )

    def _continue_activation(self, email: str, token: str) -> None:
        """Activating logs the new customer in: ask first if someone else is logged in."""
        current = services_of(self).customer_email
        if current is None or same_address(current, email):
            open_flow(self.app, "activation", email=email, token=token)
            return
        self.app.push_screen(
            ConfirmScreen(
                _("Switch to {email}?").format(email=email),
                detail=_(
                    "You are logged in as {current}. Activating {email} logs you out of "
                    "{current} and logs {email} in."
                ).format(current=current, email=email),
                confirm_label=_("Continue"),
                cancel_label=_("Stay logged in"),
            ),
            lambda confirmed: self._activate_if_confirmed(confirmed, email, token),
        )

    def _activate_if_confirmed(self, confirmed: bool | None, email: str, token: str) -> None:
        if confirmed:
            open_flow(self.app, "activation", email=email, token=token)

    def _delete_if_confirmed(self, confirmed: bool | None, token: str) -> None:
        if confirmed:
            self._delete_account(token)

    @work(
        exclusive=True,
        group="mailbox-continue",
        exit_on_error=False,
        description="Confirming the new email",
    )
    async def _confirm_email_change(self, token: str, new_email: str) -> None:
        self.continue_button.disabled = True
        try:
            await account_of(self).confirm_email_change(token)
        except AccountDeskError as error:
            self.notify(describe(error), title=_("Email change"), severity="error", markup=False)
            return
        finally:
            self.continue_button.disabled = False
        self.notify(
            _("Your login email is now {email}.").format(email=new_email),
            title=_("Email changed"),
            markup=False,
        )

    @work(
        exclusive=True,
        group="mailbox-continue",
        exit_on_error=False,
        description="Deleting the account",
    )
    async def _delete_account(self, token: str) -> None:
        try:
            await account_of(self).confirm_deletion(token)
        except SessionExpiredError:
            return
        except AccountDeskError as error:
            self.notify(describe(error), title=_("Delete account"), severity="error", markup=False)


def continue_label(message: OutboxMessage) -> str | None:
    """What "continue" does with this message, or None when there is nothing to continue."""
    label = CONTINUE_LABELS.get(message.event) if message.token else None
    return _(label) if label else None


def format_received(created_at: str) -> str:
    """An ISO 8601 moment as a short local time; anything else as it came."""
    try:
        moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return created_at
    return local_time(moment)
