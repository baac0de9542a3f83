"""A footer that stays readable on a narrow terminal instead of cutting keys in half."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported; the footer is made of them

# The keys that give way first when the footer is too narrow: each is still listed in the
# command palette (ctrl+p), and none is needed to finish what is on the screen.
GIVE_WAY_FIRST = (
    "save_har",
    "copy_curl",
    "toggle_dark",
    "clear_api_log",
    "toggle_api_log",
    "open_mailbox",
)
# Kept while anything else can give way: how to leave, and how to finish the screen's task.
KEEP_LONGEST = ("quit", "logout", "start_over", "back", "pop_screen", "submit")


class FittingFooter(Footer):
    """As Textual's footer while the keys fit; else compact (no padding), and when they still
    don't fit, the ones in `GIVE_WAY_FIRST` are left out, then the rightmost others, so what
    shows is whole."""

    def compose(self) -> ComposeResult:
        children = list(super().compose())
        width = self.app.size.width
        self.compact = total_width(children, compact=False) > width
        yield from fit(children, width, compact=self.compact)

    def on_resize(self, _event: events.Resize) -> None:
        # Which keys fit depends on the width: lay them out again.
        self.call_after_refresh(self._refit)

    async def _refit(self) -> None:
        if self.is_attached:  # its screen may have closed meanwhile
            await self.recompose()


def key_width(key: FooterKey, *, compact: bool) -> int:
    """The cells one key takes in the footer (see Footer's and FooterKey's DEFAULT_CSS)."""
    description = cell_len(key.description)
    if key.has_class("-command-palette"):
        return cell_len(key.key_display) + description + (2 if compact else 3)
    if compact:
        return cell_len(key.key_display) + (description + 1 if description else 0) + 1
    return cell_len(key.key_display) + 2 + (description + 1 if description else 0)


def total_width(children: Iterable[Widget], *, compact: bool) -> int:
    return sum(
        key_width(child, compact=compact) for child in children if isinstance(child, FooterKey)
    )


def fit(children: Iterable[Widget], width: int, *, compact: bool) -> list[Widget]:
    """The footer's children that fit in ``width`` cells, in their order."""
    kept = list(children)

    def used() -> int:
        return total_width(kept, compact=compact)

    for action in GIVE_WAY_FIRST:
        if used() <= width:
            return kept
        kept = [
            child
            for child in kept
            if not (isinstance(child, FooterKey) and child.action.rsplit(".", 1)[-1] == action)
        ]
    while used() > width:
        keys = [child for child in kept if isinstance(child, FooterKey)]
        if not keys:
            break
        # The rightmost key goes, but not the palette hint (the way to everything left out)
        # while another can, and the ways out and the submit key only after it.
        drop = next(
            (
                key
                for key in reversed(keys)
                if not key.has_class("-command-palette")
                and key.action.rsplit(".", 1)[-1] not in KEEP_LONGEST
            ),
            keys[-1],
        )
        kept.remove(drop)
    return kept
