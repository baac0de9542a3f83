"""Choosing a new password: the password, its strength, and the password again."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from accountdesk.tui.i18n import N_, _
from accountdesk.tui.validation import new_password_problem, passwords_match_problem
from accountdesk.tui.widgets.form_field import FormField
from accountdesk.tui.widgets.password_strength import PasswordInput, PasswordStrength

_LENGTH_HINT = N_("8 to 128 characters; 15 or more recommended. ctrl+o shows it.")


class NewPasswordFields(Vertical):
    """Both password fields and the meter between them; the repeat is checked against the first.

    Widget ids derive from ``prefix``: ``{prefix}-password`` (input) in
    ``{prefix}-password-field``, ``{prefix}-strength``, ``{prefix}-password-again`` in
    ``{prefix}-password-again-field``. ``user_inputs`` returns the user's own details (email,
    names), which the strength estimate counts against the password.
    """

    DEFAULT_CSS = """
    NewPasswordFields {
        height: auto;
        margin-bottom: 1;
    }
    /* The container's own margin, not its last field's, so it collapses with what follows
       exactly as the field's did when it stood in the form directly. */
    NewPasswordFields > FormField:last-child {
        margin-bottom: 0;
    }
    """

    def __init__(
        self,
        prefix: str,
        *,
        label: str | None = None,
        user_inputs: Callable[[], tuple[str, ...]] = tuple,
    ) -> None:
        super().__init__(id=f"{prefix}-new-password")
        self.prefix = prefix
        self.label = label or _("Password")
        self.user_inputs = user_inputs

    def compose(self) -> ComposeResult:
        yield FormField(
            self.label,
            PasswordInput(id=f"{self.prefix}-password"),
            hint=_(_LENGTH_HINT),
            check=new_password_problem,
            required=True,
            id=f"{self.prefix}-password-field",
        )
        yield PasswordStrength(id=f"{self.prefix}-strength")
        yield FormField(
            _("{label} again").format(label=self.label),
            PasswordInput(id=f"{self.prefix}-password-again"),
            check=self._repeat_problem,
            required=True,
            id=f"{self.prefix}-password-again-field",
        )

    @property
    def password_field(self) -> FormField:
        return self.query_one(f"#{self.prefix}-password-field", FormField)

    @property
    def repeat_field(self) -> FormField:
        return self.query_one(f"#{self.prefix}-password-again-field", FormField)

    @property
    def password(self) -> str:
        return self.password_field.value

    def assess(self) -> None:
        """Rate the password again (e.g. on submit, after the user's details changed)."""
        strength = self.query_one(f"#{self.prefix}-strength", PasswordStrength)
        strength.assess(self.password, self.user_inputs())

    def _repeat_problem(self, repeated: str) -> str | None:
        return passwords_match_problem(self.password, repeated)

    @on(Input.Changed)
    def _password_changed(self, event: Input.Changed) -> None:
        if event.input.id == f"{self.prefix}-password":
            self.assess()
            self.repeat_field.recheck()
