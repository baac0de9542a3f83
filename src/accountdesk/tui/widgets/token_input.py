"""An Input for the code from an email that also takes the whole pasted link."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from accountdesk.tui.i18n import _
from accountdesk.tui.validation import extract_token


class TokenInput(Input):
    """Paste a bare code or the link from the email; `token` is the code either way.

    A pasted link is replaced by the code it carries, so the user sees what will be sent.
    """

    def __init__(
        self,
        value: str | None = None,
        *,
        placeholder: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            value,
            placeholder or _("Paste the code or the link from the email"),
            id=id,
            classes=classes,
        )

    @property
    def token(self) -> str | None:
        return extract_token(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        token = extract_token(event.text)
        selection = self.selection
        replaces_everything = not self.value or (
            min(selection.start, selection.end) == 0
            and max(selection.start, selection.end) >= len(self.value)
        )
        if token is None or not replaces_everything:
            # Nothing recognisable, or pasting into the middle of existing text: Input's own
            # handler runs next (Textual dispatches along the MRO) and pastes as usual.
            return
        event.stop()
        # Textual also runs Input's own paste handler unless the default is prevented.
        event.prevent_default()
        self.value = token
        self.cursor_position = len(token)
