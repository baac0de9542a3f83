"""Keys reach the widget that has the focus at their point in the sequence, however fast
they come (a password manager's auto-type, a paste of several keys, a fast typist).

Why Textual needs help here: the app hands each key to the focused widget's message queue at
once, but a key bound to an *action* (tab → focus the next field, enter → submit the field,
backspace in an Input) only acts after the event has bubbled through every ancestor's queue
back to the app. A burst such as ``demo@example.com`` tab ``Demo-Password-42`` enter reaches
the app in one read: every key is routed while the tab is still on its way, so the password
lands, in plain text, in the email field.

`KeysInOrderApp` gives keys turns: the next key (or paste) is routed only once the previous
one has been handled wherever it went, and once what it set off (the field's ``Submitted``
message moving the focus, a screen being pushed and focusing its first field) has run. A key
that arrives alone is routed at once, exactly as before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import TypeVar

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.timer import Timer

ReturnType = TypeVar("ReturnType")

# How many times to follow what a key set off before routing the next one anyway. Two
# suffice for every flow here (the key, then e.g. Input.Submitted moving the focus); the
# bound keeps a widget that posts to itself forever from holding the keyboard.
_MAX_ROUNDS = 6
# A turn is handed on when its last queue reports back. A queue that closes before that (its
# screen was dismissed by this very key) never will: after this long, the next key goes anyway.
_STUCK_SECONDS = 1.0

OrderedInput = events.Key | events.Paste


class KeysInOrderApp(App[ReturnType]):
    """An `App` that routes each key or paste only after the one before it was handled."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._waiting_input: deque[OrderedInput] = deque()
        self._input_in_flight = False
        self._turn = 0
        self._stuck_timer: Timer | None = None

    @property
    def input_in_flight(self) -> bool:
        """True while a key or paste is still being handled (later ones wait their turn)."""
        return self._input_in_flight

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, OrderedInput) and not event.is_forwarded:
            self._waiting_input.append(event)
            if not self._input_in_flight:
                await self._route_next_input()
            return
        await super().on_event(event)

    async def _route_next_input(self) -> None:
        if not self._waiting_input:
            self._input_in_flight = False
            return
        event = self._waiting_input.popleft()
        self._input_in_flight = True
        self._turn += 1
        turn = self._turn
        receiver: DOMNode = self.focused or self.screen
        route = receiver.ancestors_with_self
        # Textual's own routing: priority bindings, then the focused widget (or the screen).
        await super().on_event(event)
        self._stuck_timer = self.set_timer(_STUCK_SECONDS, lambda: self._end_turn(turn))
        self._after_queued(route, lambda: self._follow_up(turn, route, rounds=1))

    def _after_queued(self, pumps: Sequence[MessagePump], then: Callable[[], object]) -> None:
        """Call ``then`` once each pump, in order (innermost first, as events bubble), has
        handled everything queued on it before: what bubbles from one is queued on the next
        before the barrier gets there."""
        for index, pump in enumerate(pumps):
            if pump.is_running and pump.call_later(self._after_queued, pumps[index + 1 :], then):
                return
        then()

    def _follow_up(self, turn: int, route: Sequence[DOMNode], *, rounds: int) -> None:
        """The key has gone its way; wait too for what it set off, on its route and on the
        focus's current route (e.g. a Submitted message that moves the focus, or the Mount of
        a screen it pushed), before handing the turn on."""
        if turn != self._turn:
            return
        screen = self.screen
        # What is left of a screen this key closed no longer matters to the next key.
        live_route = [node for node in route if node is self or screen in node.ancestors_with_self]
        current = (self.focused or screen).ancestors_with_self
        busy = any(pump.message_queue_size for pump in (*live_route, *current))
        if (busy or current != route) and rounds < _MAX_ROUNDS:
            self._after_queued(
                [*live_route, *current] if busy else current,
                lambda: self._follow_up(turn, current, rounds=rounds + 1),
            )
            return
        self._end_turn(turn)

    def _end_turn(self, turn: int) -> None:
        if turn != self._turn or not self._input_in_flight:
            return
        if self._stuck_timer is not None:
            self._stuck_timer.stop()
            self._stuck_timer = None
        self._input_in_flight = False
        if self._waiting_input:
            self._input_in_flight = True  # claimed until the callback routes the next one
            self.call_later(self._route_next_input)
