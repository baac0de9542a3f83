"""A small dialog to tag an address: BILLING, SHIPPING or any tag of the customer's own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label

from accountdesk.tui.address_rules import WELL_KNOWN_TAGS, tag_problem
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.dialog import DialogScreen
from accountdesk.tui.widgets.form_field import FormField


@dataclass(frozen=True, slots=True)
class TagChanges:
    """What the dialog asks for: tags to add and tags to remove, in the order shown."""

    add: tuple[str, ...]
    remove: tuple[str, ...]


class TagCheckbox(Checkbox):
    """One tag; checked means the address carries it."""

    def __init__(self, tag: str, value: bool) -> None:
        # Content, not str: a str label would be read as markup.
        super().__init__(Content(tag), value, classes="address-tag")
        self.tag = tag


class AddressTagsScreen(DialogScreen[TagChanges | None]):
    """Dismisses with the changes, or None when cancelled or nothing changed."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            N_("Save tags"),
            tooltip=N_("Save the checked tags."),
            id="address-tags-save",
        ),
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            tooltip=N_("Close without changing the tags."),
            id="address-tags-cancel",
        ),
    ]

    def __init__(self, tags: Sequence[str], *, summary: str) -> None:
        super().__init__()
        self.current = tuple(tags)
        self.summary = summary

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="address-tags-dialog"):
            yield Label(_("Address tags"), id="address-tags-title")
            yield Label(self.summary, id="address-tags-summary", markup=False)
            with VerticalScroll(id="address-tags-list"):
                for tag in self._shown_tags():
                    yield TagCheckbox(tag, tag in self.current)
            yield FormField(
                _("Another tag"),
                Input(placeholder=_("e.g. OFFICE (enter adds it)"), id="address-tags-new"),
                check=tag_problem,
                max_length=None,  # tag_problem says the tags' own limit
                id="address-tags-new-field",
            )
            with Horizontal(id="address-tags-buttons"):
                yield Button(_("Save"), id="address-tags-save", variant="primary")
                yield Button(_("Cancel"), id="address-tags-cancel")

    def _shown_tags(self) -> list[str]:
        shown = list(WELL_KNOWN_TAGS)
        shown += [tag for tag in self.current if tag not in shown]
        return shown

    def on_mount(self) -> None:
        self.query_one(TagCheckbox).focus()

    @property
    def new_tag_field(self) -> FormField:
        return self.query_one("#address-tags-new-field", FormField)

    def checked(self) -> list[str]:
        return [box.tag for box in self.query(TagCheckbox) if box.value]

    @on(Input.Submitted, "#address-tags-new")
    def _add_typed_tag(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.action_save()
        elif self._take_typed_tag():
            event.input.value = ""

    def _take_typed_tag(self) -> bool:
        """Check what is typed and show it as a checked tag; False if it is not acceptable."""
        typed = self.new_tag_field.value.strip()
        if not typed:
            return True
        if not self.new_tag_field.validate():
            return False
        existing = next((box for box in self.query(TagCheckbox) if box.tag == typed), None)
        if existing is not None:
            existing.value = True
        else:
            self.query_one("#address-tags-list").mount(TagCheckbox(typed, True))
        return True

    @on(Button.Pressed, "#address-tags-save")
    def action_save(self) -> None:
        if not self._take_typed_tag():
            self.new_tag_field.focus_control()
            return
        wanted = self.checked()
        typed = self.new_tag_field.value.strip()
        if typed and typed not in wanted:
            wanted.append(typed)  # mounted a moment ago: not queryable yet
        changes = TagChanges(
            add=tuple(tag for tag in wanted if tag not in self.current),
            remove=tuple(tag for tag in self.current if tag not in wanted),
        )
        self.dismiss(changes if changes.add or changes.remove else None)

    @on(Button.Pressed, "#address-tags-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
