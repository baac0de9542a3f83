"""Log in with Auth0: the browser signs in at the identity provider, the app waits for it.

The flow itself (PKCE, state, the loopback listener) lives in `accountdesk.session.social`;
this screen shows the sign-in page's address (selectable, and copied with ctrl+y, for a
terminal without a browser), opens it in a graphical browser when there is one, and logs in
once the browser comes back. Against a sandbox there is no page to open: the sandbox's fake
identity provider signs in as the email typed here, and the app follows its redirect itself.
"""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from accountdesk.api import AccountDeskError, BadRequestError
from accountdesk.session.social import (
    SIGN_IN_TIMEOUT,
    IdentityProvider,
    SocialLoginAttempt,
    open_in_browser,
)
from accountdesk.tui.context import account_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.validation import email_problem, normalized_email
from accountdesk.tui.widgets.form_field import FormField, FormStatus, show_sending
from accountdesk.tui.wording import duration_text

BROWSER_OPENED = N_("Finish signing in in your browser; this screen goes on by itself ({wait}).")
NO_BROWSER = N_(
    "No browser could be opened from here: open the address below in a browser on this "
    "computer and sign in ({wait})."
)
SANDBOX_WAITING = N_("Waiting for the identity provider's answer ({wait}).")


def progress_text(message: str) -> str:
    """One of the messages above in the UI's language, with how long the screen waits."""
    wait = _("escape cancels; gives up after {duration}").format(
        duration=duration_text(int(SIGN_IN_TIMEOUT))
    )
    return _(message).format(wait=wait)


class SocialLoginScreen(FormScreen):
    """The social step of the login; dismissed with True once the customer is logged in."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Log in with Auth0")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Sign in"),
            tooltip=N_("Sign in at the identity provider (again)."),
            id="social-submit",
        ),
        Binding(
            "ctrl+y",
            "copy_link",
            N_("Copy link"),
            tooltip=N_("Copy the sign-in page's address, to open it in a browser yourself."),
            id="social-copy-link",
        ),
        Binding(
            "escape",
            "back",
            N_("Cancel"),
            tooltip=N_("Back to the login form."),
            id="social-cancel",
        ),
    ]
    SUBMIT_BUTTON = "social-submit-button"
    STATUS = "social-status"
    FIELD_PATHS = {"email": "social-email-field"}

    def __init__(
        self, provider: IdentityProvider, *, remember: bool = False, email: str = ""
    ) -> None:
        super().__init__()
        self.provider = provider
        self.remember = remember
        self.initial_email = email.strip()
        self._attempt: SocialLoginAttempt | None = None
        self._url = ""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="social-form", classes="form"):
            if self.provider.sandbox:
                yield Static(_("Log in at the sandbox's identity provider"), classes="form-title")
                yield Static(
                    _(
                        "The sandbox stands in for Auth0: sign in there with any email address. "
                        "An address it has not seen gets a new account without a password."
                    ),
                    classes="form-explanation",
                    markup=False,
                )
                yield FormField(
                    _("Email at the identity provider"),
                    Input(self.initial_email, placeholder=_("you@example.com"), id="social-email"),
                    check=email_problem,
                    required=True,
                    id="social-email-field",
                )
            else:
                yield Static(_("Log in with Auth0"), classes="form-title")
            yield Static(_("Starting the sign-in…"), id="social-progress", markup=False)
            yield FormStatus(id="social-status")
            with Horizontal(classes="form-buttons"):
                yield Button(
                    _("Sign in") if self.provider.sandbox else _("Open the page again"),
                    id="social-submit-button",
                    variant="primary",
                )
                yield Button(_("Copy link"), id="social-copy")
            yield Label(_("Sign-in page:"), classes="social-url-label")
            yield Static("", id="social-url", markup=False)

    def first_focus(self) -> str:
        return "#social-email" if self.provider.sandbox else "#social-submit-button"

    def on_mount(self) -> None:
        self._sign_in()

    # -- the attempt ---------------------------------------------------------------------------

    @work(
        exclusive=True,
        group="social-login",
        exit_on_error=False,
        description="Waiting for the sign-in at the identity provider",
    )
    async def _sign_in(self, then_sign_in_as: str | None = None) -> None:
        try:
            async with SocialLoginAttempt(self.provider) as attempt:
                self._attempt = attempt
                try:
                    self._url = attempt.authorize_url
                    self.query_one("#social-url", Static).update(self._url)
                    if self.provider.sandbox:
                        self._progress(progress_text(SANDBOX_WAITING))
                        if then_sign_in_as is not None:
                            self._sign_in_at_sandbox_idp(then_sign_in_as)
                    else:
                        self.submit_button.label = _("Open the page again")
                        self._progress(_("Opening the sign-in page in your browser…"))
                        opened = await asyncio.to_thread(open_in_browser, attempt.authorize_url)
                        self._progress(progress_text(BROWSER_OPENED if opened else NO_BROWSER))
                    await account_of(self).finish_social_login(
                        attempt, seconds=SIGN_IN_TIMEOUT, remember=self.remember
                    )
                finally:
                    if self._attempt is attempt:
                        self._attempt = None
        except AccountDeskError as error:
            self._progress("")
            show_sending(self.submit_button, False)
            if not self.provider.sandbox:
                self.submit_button.label = _("Start again")
            if not self.handle_failure(error):
                self.show_failure(error)
            return
        if self.is_current:
            self.dismiss(True)

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, BadRequestError) and "email" not in error.field_errors:
            # socialLogin refusing the code names its own parameters (code, code_verifier),
            # none of which is a field here: the sentence alone says it.
            self.show_failure(error)
            return True
        return super().handle_failure(error)

    @work(
        exclusive=True,
        group="social-idp",
        exit_on_error=False,
        description="Signing in at the sandbox identity provider",
    )
    async def _sign_in_at_sandbox_idp(self, email: str) -> None:
        attempt = self._attempt
        if attempt is None:
            return
        if await self.request(lambda account: account.sign_in_at_sandbox_idp(attempt, email)):
            # The code is on its way to socialLogin: busy until that answers.
            self.start_sending()

    def send(self) -> None:
        if not self.provider.sandbox:
            if self._attempt is None:
                self._sign_in()
            else:
                self._open_again(self._attempt.authorize_url)
            return
        field = self.query_one("#social-email-field", FormField)
        if not field.validate():
            field.focus_control()
            return
        self.start_sending()
        email = normalized_email(field.value)
        if self._attempt is None:
            # After a failure: a fresh attempt (new state and verifier), then sign in.
            self._sign_in(then_sign_in_as=email)
        else:
            self._sign_in_at_sandbox_idp(email)

    @on(Input.Submitted, "#social-email")
    def _email_entered(self) -> None:
        self.submit()

    @work(exclusive=True, group="social-browser", description="Opening the browser")
    async def _open_again(self, url: str) -> None:
        opened = await asyncio.to_thread(open_in_browser, url)
        self._progress(progress_text(BROWSER_OPENED if opened else NO_BROWSER))

    def _progress(self, text: str) -> None:
        line = self.query_one("#social-progress", Static)
        line.update(text)
        line.set_class(not text, "-hidden")

    # -- the address ---------------------------------------------------------------------------

    @on(Button.Pressed, "#social-copy")
    def action_copy_link(self) -> None:
        if not self._url:
            return
        # OSC 52: terminals that allow it put the text on the system clipboard.
        self.app.copy_to_clipboard(self._url)
        self.form_status.show_success(_("Copied the address (if your terminal allows copying)."))
