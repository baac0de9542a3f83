"""Building blocks of the forms: a labelled field with its own error line, the form-level
status line, and the remember-me choice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, cast, runtime_checkable

from rich.highlighter import Highlighter
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Static

from accountdesk.api.errors import ApiError
from accountdesk.tui.context import services_of
from accountdesk.tui.i18n import _
from accountdesk.tui.validation import (
    TEXT_MAX_LENGTH,
    control_characters_problem,
    invisible_problem,
    length_problem,
    required_problem,
)
from accountdesk.tui.wording import marked_error, marked_success, store_notice_text

Check = Callable[[str], str | None]
"""Returns the message to show next to the field, or None when the value is fine."""


class _HasValue(Protocol):
    @property
    def value(self) -> str: ...


@runtime_checkable
class ChoiceControl(Protocol):
    """A control whose value is picked from a list the user filters by typing (a country).

    ``entered`` is the text typed so far (it may name nothing yet); while ``choosing`` the list
    of matches is open and is guidance enough, so the field shows no error.
    """

    @property
    def value(self) -> str: ...

    @property
    def entered(self) -> str: ...

    @property
    def choosing(self) -> bool: ...


# C0 controls as their Unicode "control pictures" (ESC as ␛), DEL as ␡, C1 controls as �:
# one visible character for one character, so the cursor stays where it is.
_CONTROL_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20)},
    0x7F: 0x2421,
    **dict.fromkeys(range(0x80, 0xA0), 0xFFFD),
}


class ControlPictures(Highlighter):
    """Shows the control characters of a value instead of sending them to the terminal.

    An Input draws its value as it is: a pasted ``ESC[31m`` would colour the terminal, an
    ``ESC]0;…BEL`` retitle its window. The field says why such a value can't be sent; the
    user sees which characters it means.
    """

    def highlight(self, text: Text) -> None:
        shown = text.plain.translate(_CONTROL_PICTURES)
        if shown != text.plain:
            text.plain = shown


CONTROL_PICTURES = ControlPictures()


class FormField(Vertical):
    """Label, control, hint and error line; checks run as the user types.

    A blank required field is only reported after the user has left it (or tried to submit):
    nagging about a field nobody has reached yet is noise. Any other problem shows while typing.
    Errors from the server (`set_error`) stay until the user edits the field.

    Before the field's own check, every field that is not a password refuses control
    characters, text of invisible characters only (blank, for a required field) and more than
    ``max_length`` characters (None: the check judges the length, or the server does).
    """

    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin-bottom: 1;
    }
    FormField > .form-field--label {
        color: $text-muted;
    }
    FormField > .form-field--hint {
        color: $text-muted;
        text-style: italic;
    }
    FormField > .form-field--error {
        color: $text-error;
    }
    FormField > .form-field--hint.-empty, FormField > .form-field--error.-empty {
        display: none;
    }
    FormField.-invalid > .form-field--label {
        color: $text-error;
    }
    """

    def __init__(
        self,
        label: str,
        control: Widget,
        *,
        hint: str = "",
        check: Check | None = None,
        required: bool = False,
        max_length: int | None = TEXT_MAX_LENGTH,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.control = control
        self.hint = hint
        self.check = check
        self.required = required
        self.max_length = max_length
        self._touched = False
        self._error: str | None = None

    def compose(self) -> ComposeResult:
        yield Label(f"{self.label} *" if self.required else self.label, classes="form-field--label")
        yield self.control
        yield Static(
            self.hint, markup=False, classes="form-field--hint" + ("" if self.hint else " -empty")
        )
        yield Static("", markup=False, classes="form-field--error -empty")

    def on_mount(self) -> None:
        for box in self.query(Input):
            if box.highlighter is None:
                box.highlighter = CONTROL_PICTURES

    @property
    def value(self) -> str:
        return cast(_HasValue, self.control).value

    @property
    def error(self) -> str | None:
        """The message currently shown under the field."""
        return self._error

    @property
    def entered(self) -> str:
        """What the user typed; for a country picker that may be text naming no country yet."""
        if isinstance(self.control, ChoiceControl):
            return self.control.entered
        return self.value

    def problem(self) -> str | None:
        """What is wrong with the current value, without showing it."""
        entered = self.entered
        if not entered.strip():
            return required_problem("", self.label) if self.required else None
        if not self._is_secret:
            # Passwords may hold anything: they are never shown, and the server keeps a hash.
            problem = self._text_problem(entered)
            if problem is not None:
                return problem
        return self.check(self.value) if self.check is not None else None

    def _text_problem(self, entered: str) -> str | None:
        # Pasted tabs, line breaks and escape sequences (ESC[31m) would be stored and
        # replayed in every terminal and page that shows the value.
        problem = control_characters_problem(entered)
        if problem is None and invisible_problem(entered) is not None:
            problem = (
                required_problem("", self.label) if self.required else invisible_problem(entered)
            )
        if problem is None and self.max_length is not None:
            problem = length_problem(entered, self.max_length)
        return problem

    @property
    def _is_secret(self) -> bool:
        return isinstance(self.control, Input) and self.control.password

    def validate(self) -> bool:
        """Check now and show the result, as on submit; True when the value is acceptable."""
        self._touched = True
        problem = self.problem()
        self._show(problem)
        return problem is None

    def set_error(self, message: str) -> None:
        """Show a message (e.g. the server's) until the user edits the field."""
        self._touched = True
        self._show(message)

    def clear_error(self) -> None:
        self._show(None)

    def focus_control(self) -> None:
        self.control.focus()

    def recheck(self) -> None:
        """Re-run the check after something it depends on changed (e.g. the first password)."""
        if self._touched or self.entered:
            self._show(self.problem())

    def _show(self, message: str | None) -> None:
        self._error = message
        if not self.is_mounted:
            return
        error_line = self.query_one(".form-field--error", Static)
        # A mark as well as a colour: without colour (NO_COLOR, colour blindness) the line
        # still reads as an error, not a hint.
        error_line.update(marked_error(message) if message else "")
        error_line.set_class(message is None, "-empty")
        self.set_class(message is not None, "-invalid")
        for input_widget in self.query(Input):
            input_widget.set_class(message is not None, "-invalid")

    @on(Input.Changed)
    def _value_changed(self) -> None:
        if isinstance(self.control, ChoiceControl) and self.control.choosing:
            # While the list of matches is open the user is still choosing: the list is the
            # guidance, a red "pick a country" would only shout at them.
            self._show(None)
            return
        if self.entered.strip() or self._touched:
            self._show(self.problem())
        else:
            self._show(None)

    @on(Input.Blurred)
    def _left(self) -> None:
        if not self.app.app_focus:
            # The terminal or the browser tab lost focus (Textual then unfocuses the widget):
            # the user did not leave the field, so there is nothing to judge yet.
            return
        self._touched = True
        self._show(self.problem())


class FormStatus(Static):
    """The form-level message line (what belongs to no single field); never parses markup,
    because it shows server text. It holds one message, the newest."""

    DEFAULT_CSS = """
    FormStatus {
        height: auto;
        margin-bottom: 1;
    }
    FormStatus.-empty { display: none; }
    FormStatus.-error { color: $text-error; }
    FormStatus.-success { color: $text-success; }
    """

    class Shown(Message):
        """A message appeared on the line: older messages on the screen are out of date."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.message = ""
        self.kind: str | None = None
        """``-error``, ``-success``, or None while empty."""
        self.add_class("-empty")

    def show_error(self, message: str) -> None:
        self._set(message, "-error")

    def show_success(self, message: str) -> None:
        self._set(message, "-success")

    def clear(self) -> None:
        self._set("", None)

    def _set(self, message: str, kind: str | None) -> None:
        self.message = message
        self.kind = kind if message else None
        marks = {"-error": marked_error, "-success": marked_success}
        self.update(marks[kind](message) if message and kind in marks else message)
        for name in ("-error", "-success"):
            self.set_class(name == kind, name)
        self.set_class(not message, "-empty")
        if message:
            self.post_message(self.Shown())


def place_field_errors(
    error: ApiError, fields: Mapping[str, FormField], status: FormStatus, sentence: str
) -> None:
    """Put the server's per-field complaints next to their fields; the rest, and the
    overall sentence, go to the form's status line. Focus moves to the first field named.

    `fields` maps request JSON paths (``email``, ``customerDetails.firstName``…) to fields.
    """
    unplaced: list[str] = []
    placed: list[FormField] = []
    for path, message in error.field_errors.items():
        field = fields.get(path)
        if field is None:
            unplaced.append(f"{path}: {message}")
            continue
        field.set_error(message)
        placed.append(field)
    status.show_error(" ".join([sentence, *unplaced]))
    if placed:
        placed[0].focus_control()


def show_sending(button: Button, sending: bool) -> None:
    """A request is in flight: its button is disabled and shows a spinner.

    Set before the worker starts, in the same handler that starts it, so a second enter or
    ctrl+s that arrives before the worker runs already finds the button busy.
    """
    button.disabled = sending
    button.loading = sending


class RememberMe(Vertical):
    """The "remember me" checkbox, disabled with the reason when the token store can't keep
    a session (no OS keyring and no file store chosen)."""

    DEFAULT_CSS = """
    RememberMe {
        height: auto;
        margin-bottom: 1;
    }
    RememberMe > .remember-notice {
        color: $text-warning;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)

    def compose(self) -> ComposeResult:
        yield Checkbox(_("Remember me on this computer"), classes="remember-checkbox")
        yield Static("", markup=False, classes="remember-notice")

    @property
    def value(self) -> bool:
        checkbox = self.query_one(".remember-checkbox", Checkbox)
        return checkbox.value and not checkbox.disabled

    def on_mount(self) -> None:
        if services_of(self).kiosk_options is not None:
            # A shared terminal remembers nobody: not even the offer.
            self.display = False
            return
        # The app picks the token store in a worker after the first paint: follow it.
        for attribute in ("store_remembers", "store_notice", "backend_state"):
            self.watch(self.app, attribute, self._follow_store, init=False)
        self._follow_store()

    def _follow_store(self, _changed: object = None) -> None:
        services = services_of(self)
        checkbox = self.query_one(".remember-checkbox", Checkbox)
        notice = self.query_one(".remember-notice", Static)
        checkbox.disabled = not services.store_remembers
        if services.backend_state == "connecting" and not services.store_remembers:
            # Not decided yet: no verdict before the store is chosen.
            checkbox.tooltip = _("Available once connected, if sessions can be kept.")
            notice.display = False
        elif services.store_remembers:
            checkbox.tooltip = _("Keep the session so the next start needs no password.")
            notice.update("")
            notice.display = False
        else:
            checkbox.value = False
            explanation = store_notice_text(services.store_notice)
            checkbox.tooltip = explanation
            notice.update(explanation)
            notice.display = True
