"""Delete the account: say what goes, have the login email typed, then confirm the emailed code.

Two steps in one dialog. Typing the address is the deliberate act that enables the button
(a stray key cannot delete anything); the server then mails a code, which proves the request
comes from the mailbox owner. On success the session ends: the app shows the login screen
and forgets what it kept of the customer (see `AccountDeskApp._route_session_event`).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from accountdesk.api import AccountDeskError, DeletionOutcome, InvalidCodeError
from accountdesk.tui.context import account_of, services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.localized_bindings import localized
from accountdesk.tui.validation import extract_token, token_problem
from accountdesk.tui.widgets.form_field import FormField, FormStatus, show_sending
from accountdesk.tui.widgets.token_input import TokenInput
from accountdesk.tui.wording import describe

INVALID_CODE = N_(
    "This code is not valid: it may have expired or been used already. Close this dialog "
    "and start again for a new code."
)
EMAIL_MISMATCH = N_("This is not the email address you log in with.")


def consequences(email: str | None) -> str:
    sign_in = (
        _("you can't log in with {email} any more").format(email=email)
        if email
        else _("you can't log in any more")
    )
    return _(
        "This deletes, on the server:\n"
        "  • your profile: name, contact details, preferences\n"
        "  • every address in your address book\n"
        "  • your sign-in: {sign_in}\n"
        "This cannot be undone."
    ).format(sign_in=sign_in)


def typed_email_matches(typed: str, login_email: str | None) -> bool:
    """The address typed is the login email (compared as the server does, ignoring case)."""
    return login_email is not None and typed.strip().casefold() == login_email.casefold()


class DeleteAccountScreen(ModalScreen[None]):
    """Step 1: consequences and the typed email; step 2: the code from the email."""

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            tooltip=N_("Close without deleting anything."),
            id="delete-account-cancel",
        ),
        Binding(
            "ctrl+s",
            "submit",
            N_("Delete"),
            tooltip=N_("Ask for the deletion code, then delete the account with it."),
            id="delete-account-submit",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.awaiting_code = False

    @property
    def login_email(self) -> str | None:
        return services_of(self).customer_email

    @property
    def submit_button(self) -> Button:
        return self.query_one("#delete-submit", Button)

    @property
    def status(self) -> FormStatus:
        return self.query_one("#delete-status", FormStatus)

    def compose(self) -> ComposeResult:
        with Vertical(id="delete-dialog") as dialog:
            dialog.border_title = _("Delete account")
            yield Static(_("Delete your account for good?"), id="delete-question")
            yield Static(consequences(self.login_email), id="delete-explanation", markup=False)
            yield FormField(
                _("Type your email address to confirm"),
                Input(placeholder=self.login_email or _("you@example.com"), id="delete-email"),
                id="delete-email-field",
            )
            yield FormField(
                _("Deletion code"),
                TokenInput(id="delete-code"),
                check=token_problem,
                max_length=None,  # codes are opaque: only the server can judge one
                required=True,
                id="delete-code-field",
                classes="-hidden",
            )
            yield FormStatus(id="delete-status")
            with Horizontal(id="delete-buttons"):
                yield Button(
                    _("Delete account"), id="delete-submit", variant="error", disabled=True
                )
                yield Button(_("Cancel"), id="delete-cancel")
        yield Footer()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localized(super().active_bindings)

    def on_mount(self) -> None:
        self.query_one("#delete-email", Input).focus()

    @on(Input.Changed, "#delete-email")
    def _email_typed(self, event: Input.Changed) -> None:
        if not self.submit_button.loading:
            self.submit_button.disabled = not typed_email_matches(event.value, self.login_email)

    @on(Input.Submitted, "#delete-email")
    @on(Input.Submitted, "#delete-code")
    def _entered(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#delete-submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#delete-cancel")
    def action_cancel(self) -> None:
        self.dismiss()

    def action_submit(self) -> None:
        if self.submit_button.loading:
            return  # one request at a time
        if self.awaiting_code:
            field = self.query_one("#delete-code-field", FormField)
            token = extract_token(field.value)
            if not field.validate() or token is None:
                field.focus_control()
                return
            show_sending(self.submit_button, True)
            self._confirm(token)
            return
        field = self.query_one("#delete-email-field", FormField)
        if not typed_email_matches(field.value, self.login_email):
            # Said only on submit: while the address is being typed, it can't match yet.
            field.set_error(_(EMAIL_MISMATCH))
            field.focus_control()
            return
        show_sending(self.submit_button, True)
        self._request()

    @work(
        exclusive=True,
        group="delete-account",
        exit_on_error=False,
        description="Requesting the deletion code",
    )
    async def _request(self) -> None:
        self.status.clear()
        try:
            outcome = await account_of(self).request_deletion()
        except AccountDeskError as error:
            self.status.show_error(describe(error, services_of(self).base_url))
            show_sending(self.submit_button, False)
            return
        if outcome is DeletionOutcome.DELETED:
            return  # deleted at once: the session ended and the app shows the login screen
        self._ask_for_code()

    def _ask_for_code(self) -> None:
        self.awaiting_code = True
        where = (
            _("to {email}").format(email=self.login_email)
            if self.login_email
            else _("to your login email")
        )
        explanation = _(
            "We've emailed a deletion code {where}. Paste the code or the whole link from "
            "that email to delete the account. Nothing is deleted before that."
        ).format(where=where)
        if services_of(self).is_sandbox:
            explanation += " " + _(
                "In the sandbox, F3 opens the mailbox, where Continue works too."
            )
        self.query_one("#delete-explanation", Static).update(explanation)
        self.query_one("#delete-email-field").add_class("-hidden")
        self.query_one("#delete-code-field").remove_class("-hidden")
        show_sending(self.submit_button, False)
        self.submit_button.label = _("Delete for good")
        self.query_one("#delete-code", TokenInput).focus()

    @work(
        exclusive=True,
        group="delete-account",
        exit_on_error=False,
        description="Deleting the account",
    )
    async def _confirm(self, token: str) -> None:
        self.status.clear()
        try:
            await account_of(self).confirm_deletion(token)
        except InvalidCodeError:
            field = self.query_one("#delete-code-field", FormField)
            field.set_error(_(INVALID_CODE))
            field.focus_control()
        except AccountDeskError as error:
            self.status.show_error(describe(error, services_of(self).base_url))
        else:
            return  # the session ended: the app replaces this whole stack with the login screen
        show_sending(self.submit_button, False)
