"""The reference for the app's startup, screen switches and memory: plain Textual, same widgets.

    .venv/bin/python -m benchmarks.bare_app

A login form with the widgets the real login screen shows (header, status line, title, two
labelled inputs with hint and error lines, the remember-me checkbox, a status line, buttons,
links, footer) and, on ``ctrl+n``, a sign-up form of the same kind (``escape`` goes back). No
sandbox, no session, no API client: what Textual alone costs for what the user sees.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Static

TITLE_TEXT = "Log in to your account"


def field(label: str, input_id: str, *, password: bool = False) -> ComposeResult:
    with Vertical(classes="field"):
        yield Label(label)
        yield Input(placeholder=label, password=password, id=input_id)
        yield Static("", classes="hint")
        yield Static("", classes="error")


class BareLogin(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "app.quit", "Log in"),
        Binding("ctrl+n", "sign_up", "Sign up", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("Not logged in", classes="status")
        with VerticalScroll(classes="form"):
            yield Static(TITLE_TEXT, classes="title")
            yield from field("Email", "email")
            yield from field("Password", "password", password=True)
            yield Checkbox("Remember me on this computer")
            yield Static("", classes="status")
            with Horizontal(classes="buttons"):
                yield Button("Log in", variant="primary")
                yield Button("Log in with Auth0")
            with Horizontal(classes="links"):
                yield Button("Create an account")
                yield Button("Forgot password?")
                yield Button("Activate account")
        yield Footer()

    def action_sign_up(self) -> None:
        self.app.push_screen(BareSignUp())


class BareSignUp(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static("Not logged in", classes="status")
        with VerticalScroll(classes="form"):
            yield Static("Create an account", classes="title")
            yield from field("Email", "signup-email")
            yield from field("Password", "signup-password", password=True)
            yield from field("First name", "first-name")
            yield from field("Last name", "last-name")
            yield Static("", classes="status")
            with Horizontal(classes="buttons"):
                yield Button("Sign up", variant="primary")
                yield Button("Cancel")
        yield Footer()


class BareApp(App[None]):
    CSS = """
    .form { width: 70; height: 1fr; padding: 1 2; }
    .field { height: auto; margin-bottom: 1; }
    .buttons, .links { height: auto; }
    """

    def on_mount(self) -> None:
        self.push_screen(BareLogin())


if __name__ == "__main__":
    BareApp().run()
