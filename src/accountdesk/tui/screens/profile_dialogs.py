"""The profile editor's two questions: which value wins when the profile was changed elsewhere
(`ConflictScreen`), and what to do with unsaved changes on the way out (`UnsavedChangesScreen`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, RadioButton, RadioSet, Static

from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.dialog import DialogScreen
from accountdesk.tui.wording import plural


@dataclass(frozen=True, slots=True)
class FieldConflict:
    """One field the user changed that the server now holds differently."""

    attribute: str
    label: str
    mine: str
    """The user's value as the form shows it."""
    theirs: str
    """The server's current value as the form would show it."""


Resolution = dict[str, bool]
"""Attribute -> True to take the server's value, False to keep the user's."""


class ConflictScreen(DialogScreen[Resolution | None]):
    """One row per differing field: keep mine (preselected) or take the server's.

    Dismisses with the choices, or None when cancelled (nothing is saved, the user's values
    stay in the form).
    """

    BINDINGS = [
        Binding(
            "ctrl+s",
            "resolve",
            N_("Save choices"),
            tooltip=N_("Save the profile with the values chosen here."),
            id="conflict-save",
        ),
        Binding(
            "m",
            "choose_all(False)",
            N_("All mine"),
            tooltip=N_("Keep your value in every field."),
            id="conflict-all-mine",
        ),
        Binding(
            "t",
            "choose_all(True)",
            N_("All theirs"),
            tooltip=N_("Take the server's value in every field."),
            id="conflict-all-theirs",
        ),
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            tooltip=N_("Back to the form without saving; your values stay."),
            id="conflict-cancel",
        ),
    ]

    def __init__(self, conflicts: Sequence[FieldConflict]) -> None:
        super().__init__()
        self.conflicts = tuple(conflicts)

    def compose_dialog(self) -> ComposeResult:
        count = len(self.conflicts)
        with Vertical(id="conflict-dialog"):
            yield Label(
                _("Your profile was changed elsewhere while you edited it."),
                id="conflict-question",
                markup=False,
            )
            yield Static(
                plural(
                    count,
                    "{n} field differs. Keep your value or take the one now on the server.",
                    "{n} fields differ. For each, keep your value or take the one now on the "
                    "server.",
                )
                + " "
                + _("Arrows choose, tab moves on; m/t pick all mine/theirs."),
                id="conflict-explanation",
                markup=False,
            )
            with VerticalScroll(id="conflict-rows"):
                for conflict in self.conflicts:
                    with Vertical(classes="conflict-row"):
                        yield Label(conflict.label, classes="conflict-label", markup=False)
                        yield RadioSet(
                            RadioButton(
                                Text(_("Keep mine: {value}").format(value=conflict.mine)),
                                value=True,
                                id=f"conflict-{conflict.attribute}-mine",
                            ),
                            RadioButton(
                                Text(_("Take server's: {value}").format(value=conflict.theirs)),
                                id=f"conflict-{conflict.attribute}-theirs",
                            ),
                            id=f"conflict-{conflict.attribute}",
                            classes="conflict-choice",
                        )
            with Horizontal(id="conflict-buttons"):
                yield Button(_("Save with these choices"), id="conflict-save", variant="primary")
                yield Button(_("Cancel"), id="conflict-cancel")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def take_theirs(self, attribute: str) -> bool:
        return self.query_one(f"#conflict-{attribute}-theirs", RadioButton).value

    def choose(self, attribute: str, *, theirs: bool) -> None:
        suffix = "theirs" if theirs else "mine"
        self.query_one(f"#conflict-{attribute}-{suffix}", RadioButton).value = True

    def action_choose_all(self, theirs: bool) -> None:
        for conflict in self.conflicts:
            self.choose(conflict.attribute, theirs=theirs)

    def action_resolve(self) -> None:
        self.dismiss({c.attribute: self.take_theirs(c.attribute) for c in self.conflicts})

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#conflict-save")
    def _save_pressed(self) -> None:
        self.action_resolve()

    @on(Button.Pressed, "#conflict-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


LeaveChoice = Literal["save", "discard", "keep"]


class UnsavedChangesScreen(DialogScreen[LeaveChoice]):
    """Leaving with unsaved changes: save them, discard them, or keep editing (Escape)."""

    BINDINGS = [
        Binding(
            "s", "answer('save')", N_("Save"), tooltip=N_("Save, then leave."), id="unsaved-save"
        ),
        Binding(
            "d",
            "answer('discard')",
            N_("Discard"),
            tooltip=N_("Leave and forget the changes."),
            id="unsaved-discard",
        ),
        Binding(
            "escape",
            "answer('keep')",
            N_("Keep editing"),
            tooltip=N_("Back to the form."),
            id="unsaved-keep",
        ),
    ]

    def __init__(self, changed_labels: Sequence[str]) -> None:
        super().__init__()
        self.changed_labels = tuple(changed_labels)

    def compose_dialog(self) -> ComposeResult:
        count = len(self.changed_labels)
        with Vertical(id="unsaved-dialog"):
            yield Label(_("You have unsaved changes."), id="unsaved-question", markup=False)
            yield Label(
                plural(count, "Changed: {names}.", "Changed ({n} fields): {names}.").replace(
                    "{names}", ", ".join(self.changed_labels)
                ),
                id="unsaved-detail",
                markup=False,
            )
            with Horizontal(id="unsaved-buttons"):
                yield Button(_("Save"), id="unsaved-save", variant="primary")
                yield Button(_("Discard"), id="unsaved-discard", variant="error")
                yield Button(_("Keep editing"), id="unsaved-keep")

    def on_mount(self) -> None:
        self.query_one("#unsaved-save", Button).focus()

    def action_answer(self, choice: LeaveChoice) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choices: dict[str | None, LeaveChoice] = {
            "unsaved-save": "save",
            "unsaved-discard": "discard",
            "unsaved-keep": "keep",
        }
        choice = choices.get(event.button.id)
        if choice is not None:
            event.stop()
            self.dismiss(choice)
