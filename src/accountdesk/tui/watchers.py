"""Letting go of closed screens.

Widgets follow app values with ``self.watch(self.app, ...)`` (the header the title, the status
line the connection, every screen the API log toggle). Textual drops the watcher of a closed
widget only when that value next changes, and some never do (the title): every screen ever
opened stayed reachable, ~5 MB per walk through the flows, for as long as the app ran (a
kiosk's days). Screens call `forget_closed` as they close.
"""

from __future__ import annotations

from textual.dom import DOMNode


def forget_closed(watched: DOMNode) -> None:
    """Drop ``watched``'s watchers whose node has closed, as Textual does on a change."""
    # Textual's own storage (textual.reactive._watch); no public way to unwatch.
    watchers: dict[str, list[tuple[DOMNode, object]]] = getattr(watched, "__watchers", {})
    for listed in watchers.values():
        listed[:] = [(node, callback) for node, callback in listed if not node._closing]
