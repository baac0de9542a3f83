"""The API log: every request this run made, with its redacted request and response bodies."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.json import JSON
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from accountdesk.api.tracing import TraceEvent
from accountdesk.tui.context import services_of
from accountdesk.tui.i18n import _
from accountdesk.tui.messages import ApiCallLogged


def _pretty_body(body: str | None) -> RenderableType:
    if body is None or body == "":
        return Text(_("(empty)"), style="dim")
    try:
        return JSON(body, indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        # Not JSON, cut off, or a hostile `[[[…` nested deeper than the parser goes: the
        # panel follows the newest request even while hidden, so this must never raise.
        return Text(body)


def format_duration(duration_ms: float) -> str:
    """How long a request took, in whole milliseconds."""
    return f"{duration_ms:.0f}"


def describe_call(event: TraceEvent) -> RenderableType:
    """The detail view of one request: headline, then request and response bodies."""
    status = str(event.status) if event.status is not None else "no answer"
    took = format_duration(event.duration_ms)
    headline = Text.assemble(
        (f"{event.method} ", "bold"), event.path, f"  →  {status}  ({took} ms)"
    )
    parts: list[RenderableType] = [headline]
    if event.error:
        parts.append(Text(event.error, style="bold red"))
    parts += [
        Text(_("\nRequest body"), style="bold underline"),
        _pretty_body(event.request_body),
        Text(_("\nResponse body"), style="bold underline"),
        _pretty_body(event.response_body),
    ]
    return Group(*parts)


class ApiLogPanel(Horizontal):
    """A table of requests (newest at the bottom, followed) and the selected request's bodies."""

    table = getters.query_one("#api-log-table", DataTable)
    detail = getters.query_one("#api-log-detail", Static)

    def __init__(self) -> None:
        super().__init__(id="api-log")
        self._shown = 0
        self._log: list[TraceEvent] | None = None
        self.selected: TraceEvent | None = None

    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable(id="api-log-table", cursor_type="row", zebra_stripes=True)
        table.border_title = _("API log")
        yield table
        with VerticalScroll(id="api-log-detail-scroll") as scroll:
            scroll.border_title = _("Request / response")
            yield Static(
                Text(_("Select a request to see its bodies."), style="dim"), id="api-log-detail"
            )

    def on_mount(self) -> None:
        # Path last: it is the long one, and the short columns must stay in view.
        self.table.add_column(_("Method"), key="method")
        self.table.add_column(_("Status"), key="status")
        self.table.add_column(_("ms"), key="ms")
        self.table.add_column(_("Path"), key="path")
        self.sync()

    def clear(self) -> None:
        """Forget the rows shown (after the app emptied its log)."""
        self.table.clear()
        self._shown = 0
        self.selected = None
        self.detail.update(Text(_("Select a request to see its bodies."), style="dim"))

    def sync(self) -> None:
        """Append the requests logged since the last sync and follow the newest one."""
        log = services_of(self).api_log
        if log is not self._log:
            # The app started a new log (cleared), maybe while this screen was not shown.
            self.clear()
            self._log = log
        if len(log) == self._shown:
            return
        for index in range(self._shown, len(log)):
            event = log[index]
            self.table.add_row(
                event.method,
                str(event.status) if event.status is not None else "—",
                format_duration(event.duration_ms),
                event.path,
                key=str(index),
            )
        self._shown = len(log)
        self.table.move_cursor(row=self._shown - 1)

    @on(ApiCallLogged)
    def _on_api_call_logged(self) -> None:
        self.sync()

    @on(DataTable.RowHighlighted, "#api-log-table")
    def _show_selected(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        log = self._log
        # A highlight queued before the log was cleared (a kiosk's wipe) names a row that is
        # gone: nothing to show.
        if key is None or log is None or int(key) >= self._shown:
            return
        self.selected = log[int(key)]
        self.detail.update(describe_call(self.selected))
