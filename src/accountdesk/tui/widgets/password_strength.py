"""Password entry with a show/hide key, and the strength meter for new passwords."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input, Static

from accountdesk.tui.i18n import N_
from accountdesk.tui.validation import PasswordAssessment, assess_password


class PasswordInput(Input):
    """A masked Input the user can unmask (ASVS 6.2.x: allow paste, offer show/hide).

    ctrl+o, because the app holds ctrl+r (reconnect) as a priority key and Input uses most
    other ctrl letters for editing.
    """

    BINDINGS = [
        Binding(
            "ctrl+o",
            "toggle_reveal",
            N_("Show/hide password"),
            tooltip=N_("Show or hide the characters of this password."),
            id="password-reveal",
        ),
    ]

    def __init__(
        self,
        value: str | None = None,
        placeholder: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # No max_length: a pasted password is never truncated (ASVS 6.2.9); an over-long one
        # gets the "at most 128 characters" message instead.
        super().__init__(value, placeholder, password=True, id=id, classes=classes)

    def action_toggle_reveal(self) -> None:
        self.password = not self.password


class PasswordStrength(Static):
    """A five-step bar with the zxcvbn verdict and one line of advice."""

    DEFAULT_CSS = """
    PasswordStrength {
        height: auto;
        color: $text-muted;
        margin-bottom: 1;
    }
    PasswordStrength.-blocked { color: $text-error; }
    PasswordStrength.-weak { color: $text-warning; }
    PasswordStrength.-strong { color: $text-success; }
    """

    _STEPS = 5

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.assessment = assess_password("")

    def on_mount(self) -> None:
        self._render_assessment()

    def assess(self, password: str, user_inputs: tuple[str, ...] = ()) -> PasswordAssessment:
        self.assessment = assess_password(password, user_inputs)
        self._render_assessment()
        return self.assessment

    def _render_assessment(self) -> None:
        assessment = self.assessment
        filled = assessment.score + 1 if assessment.acceptable else 0
        bar = "█" * filled + "░" * (self._STEPS - filled)
        self.update(Text(f"{bar} {assessment.hint}"))
        self.set_class(not assessment.acceptable, "-blocked")
        self.set_class(assessment.acceptable and assessment.score <= 1, "-weak")
        self.set_class(assessment.acceptable and assessment.score >= 3, "-strong")
