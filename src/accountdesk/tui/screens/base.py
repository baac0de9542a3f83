"""The frame every Account Desk screen shares: header, status line, body, API log, footer."""

from __future__ import annotations

from textual import events, getters, on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header

from accountdesk.tui.context import services_of
from accountdesk.tui.widgets.api_log import ApiLogPanel
from accountdesk.tui.widgets.fitting_footer import FittingFooter
from accountdesk.tui.widgets.status import SessionStatus


class AccountDeskScreen(Screen[object]):
    """Subclasses yield their content from `compose_body` and set TITLE / SUB_TITLE / BINDINGS."""

    api_log_panel = getters.query_one(ApiLogPanel)

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield SessionStatus()
        yield from self.compose_body()
        yield ApiLogPanel()
        yield FittingFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between the status line and the API log."""
        yield from ()

    # Decorated handlers with distinct names: subclasses can define on_mount freely.
    @on(events.Mount)
    def _follow_api_log_toggle(self) -> None:
        self._show_api_log(services_of(self).show_api_log)
        self.watch(self.app, "show_api_log", self._show_api_log, init=False)

    @on(events.ScreenResume)
    def _catch_up_api_log(self) -> None:
        if self.api_log_panel.display:
            self.api_log_panel.sync()

    def _show_api_log(self, visible: bool) -> None:
        self.api_log_panel.display = visible
        if visible:
            self.api_log_panel.sync()
