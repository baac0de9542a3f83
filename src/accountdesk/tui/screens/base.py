"""The frame every Account Desk screen shares: header, status line, body, API log, footer."""

from __future__ import annotations

from typing import Any

from textual import events, getters, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from accountdesk.tui.context import services_of
from accountdesk.tui.i18n import _
from accountdesk.tui.localized_bindings import localized
from accountdesk.tui.messages import WorkerFailed
from accountdesk.tui.watchers import forget_closed
from accountdesk.tui.widgets.api_log import ApiLogPanel
from accountdesk.tui.widgets.fitting_footer import FittingFooter
from accountdesk.tui.widgets.status import SessionStatus
from accountdesk.tui.wording import kiosk_banner


class ScreenHeader(Header):
    """Textual's header, with its title set synchronously.

    Textual's `Header` updates its title from an *async* watcher: the first update is queued
    as a callback on the app's and the screen's message queues when the header mounts. A
    screen closed before those callbacks run (the re-login overlay closed right after it
    opened, a stack dropped by a mode switch while the app is busy) has lost the title
    widget by then, and the callback's ``NoMatches`` kills the app. A plain function watcher
    runs at once, while the header is whole, and on every later title change.
    """

    def _on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # instead of Header._on_mount and its queued coroutine
        self.watch(self.app, "title", self._show_title)
        self.watch(self.app, "sub_title", self._show_title)
        self.watch(self.screen, "title", self._show_title)
        self.watch(self.screen, "sub_title", self._show_title)

    def format_title(self) -> Content:
        # TITLE and SUB_TITLE are marked with N_ when the class is defined: translated here.
        return self.app.format_title(_(self.screen_title), _(self.screen_sub_title))

    def _show_title(self) -> None:
        # Queried by type name: Textual does not export HeaderTitle.
        for title in self.query("HeaderTitle").results(Static):
            title.update(self.format_title())


class AccountDeskScreen(Screen[object]):
    """Subclasses yield their content from `compose_body` and set TITLE / SUB_TITLE / BINDINGS."""

    api_log_panel = getters.query_one(ApiLogPanel)

    def compose(self) -> ComposeResult:
        yield ScreenHeader(icon="◆")
        yield SessionStatus()
        kiosk = services_of(self).kiosk_options
        if kiosk is not None:
            yield Static(kiosk_banner(kiosk.idle_seconds), classes="kiosk-banner", markup=False)
        yield from self.compose_body()
        yield ApiLogPanel()
        yield FittingFooter()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localized(super().active_bindings)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between the status line and the API log."""
        yield from ()

    def arguments_to_rebuild(self) -> dict[str, Any]:
        """What a new screen of this flow is built with to show what this one shows (the
        language switch rebuilds a mode's root screen); nothing secret."""
        return {}

    # Decorated handlers with distinct names: subclasses can define on_mount freely.
    @on(events.Mount)
    def _follow_api_log_toggle(self) -> None:
        self._show_api_log(services_of(self).show_api_log)
        self.watch(self.app, "show_api_log", self._show_api_log, init=False)

    @on(Worker.StateChanged)
    def _hand_unhandled_failure_to_the_app(self, event: Worker.StateChanged) -> None:
        # A worker's state changes reach only its own node; the app reports them all in one
        # place (logged, shown in words), whatever screen or group the worker belongs to.
        if event.state is WorkerState.ERROR:
            self.app.post_message(WorkerFailed(event.worker))

    @on(events.Unmount)
    def _let_go_of_the_app(self) -> None:
        # Once this screen and its widgets are closed (the queue runs after them).
        self.app.call_later(forget_closed, self.app)

    @on(events.ScreenResume)
    def _catch_up_api_log(self) -> None:
        if self.api_log_panel.display:
            self.api_log_panel.sync()

    def _show_api_log(self, visible: bool) -> None:
        self.api_log_panel.display = visible
        if visible:
            self.api_log_panel.sync()
