"""Log in with email and password; the way to sign-up, activation and password reset."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from accountdesk.api.errors import AccountDeskError, NotActivatedError, UnauthorizedError
from accountdesk.tui.context import account_of, services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.navigation import flow_screen, open_flow
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.validation import email_problem, normalized_email
from accountdesk.tui.widgets.form_field import FormField, FormStatus, RememberMe
from accountdesk.tui.widgets.password_strength import PasswordInput


class LoginScreen(FormScreen):
    """The "auth" mode root; pushed with ``resume_in_place`` over the user's work when the
    session expired, and dismissed again after a successful login.

    Shows at most one message above the form: ``reason`` (why the user has to log in) or
    ``notice`` (how the flow that led back here ended, e.g. a password reset), not both."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Log in")
    # The flow keys stay out of the footer (it would push the app's keys off a narrow
    # terminal); the links on the screen and the command palette show them.
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Log in"),
            tooltip=N_("Log in with the email and password entered."),
            id="login-submit",
        ),
        Binding(
            "ctrl+n",
            "sign_up",
            N_("Sign up"),
            tooltip=N_("Create a new account."),
            id="login-sign-up",
            show=False,
        ),
        Binding(
            "ctrl+g",
            "forgot_password",
            N_("Forgot password"),
            tooltip=N_("Get a code by email to set a new password."),
            id="login-forgot-password",
            show=False,
        ),
        Binding(
            "ctrl+f",
            "social_login",
            N_("Log in with Auth0"),
            tooltip=N_("Sign in at the storefront's identity provider (Auth0) in your browser."),
            id="login-social",
            show=False,
        ),
        Binding(
            "ctrl+y",
            "activate",
            N_("Activate account"),
            tooltip=N_("Enter the activation code from the sign-up email."),
            id="login-activate",
            show=False,
        ),
    ]
    SUBMIT_BUTTON = "login-submit-button"
    STATUS = "login-status"
    # E.g. a password shorter than the server accepts at all (Emporix: 6).
    FIELD_PATHS = {"email": "login-email-field", "password": "login-password-field"}

    def __init__(
        self,
        reason: str | None = None,
        *,
        resume_in_place: bool = False,
        email: str | None = None,
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.reason = reason
        self.notice = None if reason else notice
        self.resume_in_place = resume_in_place
        self.initial_email = email or ""

    def arguments_to_rebuild(self) -> dict[str, Any]:
        # The email typed so far; the password is typed again (it is never carried around).
        email = self.query_one("#login-email", Input).value.strip()
        return {"email": email} if email else {}

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="login-form", classes="form"):
            yield Static(_("Log in to your account"), classes="form-title")
            if self.reason:
                yield Static(self.reason, id="login-reason", classes="form-reason", markup=False)
            yield FormField(
                _("Email"),
                Input(self.initial_email, placeholder=_("you@example.com"), id="login-email"),
                check=email_problem,
                required=True,
                id="login-email-field",
            )
            yield FormField(
                _("Password"),
                PasswordInput(id="login-password"),
                hint=_("ctrl+o shows or hides the password."),
                required=True,
                id="login-password-field",
            )
            yield RememberMe(id="login-remember")
            yield FormStatus(id="login-status")
            yield Button(
                _("Resend activation email"),
                id="login-resend",
                classes="form-extra -hidden",
            )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Log in"), id="login-submit-button", variant="primary")
                yield Button(_("Log in with Auth0"), id="login-social")
            with Horizontal(classes="form-links"):
                yield Button(_("Create an account"), id="login-sign-up", classes="link")
                yield Button(_("Forgot password?"), id="login-forgot", classes="link")
                yield Button(_("Activate account"), id="login-activate", classes="link")

    def first_focus(self) -> str:
        return "#login-password" if self.initial_email else "#login-email"

    def on_mount(self) -> None:
        if self.notice:
            self.form_status.show_success(self.notice)

    # -- submitting --------------------------------------------------------------------------

    @on(Input.Submitted, "#login-password")
    def _password_entered(self) -> None:
        self.submit()

    def send(self) -> None:
        fields = [
            self.query_one("#login-email-field", FormField),
            self.query_one("#login-password-field", FormField),
        ]
        invalid = [field for field in fields if not field.validate()]
        if invalid:
            invalid[0].focus_control()
            return
        self.start_sending()
        self._log_in(
            normalized_email(fields[0].value),
            fields[1].value,
            self.query_one("#login-remember", RememberMe).value,
        )

    @on(Input.Submitted, "#login-email")
    def _to_password(self) -> None:
        self.query_one("#login-password", Input).focus()

    @work(exclusive=True, group="submit", exit_on_error=False, description="Logging in")
    async def _log_in(self, email: str, password: str, remember: bool) -> None:
        self.query_one("#login-resend", Button).add_class("-hidden")
        if not await self.request(
            lambda account: account.log_in(email, password, remember=remember)
        ):
            return
        # The password must not linger in a screen that stays on the auth stack.
        self.query_one("#login-password", Input).value = ""
        self.query_one("#login-password-field", FormField).clear_error()
        if self.resume_in_place and self.is_current:
            self.dismiss()

    def handle_failure(self, error: AccountDeskError) -> bool:
        if super().handle_failure(error):
            return True
        self.show_failure(error)
        if isinstance(error, NotActivatedError):
            self.query_one("#login-resend", Button).remove_class("-hidden")
        elif isinstance(error, UnauthorizedError):
            self.query_one("#login-password", Input).focus()
        return True

    # -- activation ---------------------------------------------------------------------------

    @on(Button.Pressed, "#login-resend")
    def _resend_pressed(self) -> None:
        resend = self.query_one("#login-resend", Button)
        email_field = self.query_one("#login-email-field", FormField)
        if not resend.loading and email_field.validate():
            self.start_sending(resend)
            self._resend_activation(normalized_email(email_field.value))

    @work(
        exclusive=True,
        group="submit",
        exit_on_error=False,
        description="Resending the activation email",
    )
    async def _resend_activation(self, email: str) -> None:
        resend = self.query_one("#login-resend", Button)
        if not await self.request(lambda account: account.resend_activation(email), button=resend):
            return
        resend.add_class("-hidden")
        if self.focused is resend:
            self.query_one("#login-email", Input).focus()  # not a hidden button
        self.form_status.show_success(
            _(
                "We've sent a new activation email to {email}. "
                "Open its link or paste its code under Activate account."
            ).format(email=email)
        )

    # -- other flows ---------------------------------------------------------------------------

    @on(Button.Pressed, "#login-sign-up")
    def action_sign_up(self) -> None:
        open_flow(self.app, "sign-up", email=self.query_one("#login-email", Input).value)

    @on(Button.Pressed, "#login-forgot")
    def action_forgot_password(self) -> None:
        open_flow(self.app, "forgot-password", email=self.query_one("#login-email", Input).value)

    @on(Button.Pressed, "#login-social")
    def action_social_login(self) -> None:
        # Not at module level: the login screen paints before pydantic (the environment's
        # settings) is imported.
        from accountdesk.session.social import identity_provider_for

        services = services_of(self)
        try:
            account_of(self)  # not before the backend answers (the sandbox's URL is known then)
            provider = identity_provider_for(
                services.environment, base_url=services.base_url, sandbox=services.is_sandbox
            )
        except AccountDeskError as error:
            # E.g. a real tenant without social_login settings: the words say what to add.
            self.show_failure(error)
            return
        screen = flow_screen(
            "social-login",
            provider=provider,
            remember=self.query_one("#login-remember", RememberMe).value,
            email=self.query_one("#login-email", Input).value,
        )
        self.app.push_screen(screen, self._social_login_closed)

    def _social_login_closed(self, logged_in: object | None) -> None:
        # Re-login after an expired session: the user goes back to their work, as after a
        # password login.
        if logged_in and self.resume_in_place and self.is_current:
            self.dismiss()

    @on(Button.Pressed, "#login-activate")
    def action_activate(self) -> None:
        email = self.query_one("#login-email", Input).value.strip()
        open_flow(self.app, "activation", email=email or None)
