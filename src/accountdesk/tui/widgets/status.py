"""The status line under the header: which backend, whether it answers (and if not, why and
what to do), and who is logged in."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from accountdesk.tui.context import services_of
from accountdesk.tui.i18n import _
from accountdesk.tui.wording import NOT_CONNECTED, with_reconnect_advice


def environment_label(
    name: str, tenant: str, base_url: str | None, *, embedded: bool, sandbox: bool
) -> str:
    """``Sandbox · demo`` for the embedded emulator, ``tenant @ host`` for anything else."""
    host = (base_url or "").split("://", 1)[-1].split("/", 1)[0]
    if embedded:
        return _("Sandbox · {tenant}").format(tenant=tenant)
    if sandbox:
        return _("Sandbox · {tenant} @ {host}").format(tenant=tenant, host=host)
    label = f"{tenant} @ {host}"
    return label if name == "custom" else f"{name}: {label}"


class SessionStatus(Horizontal):
    """One line: environment on the left, connection and customer on the right."""

    def compose(self) -> ComposeResult:
        yield Static(id="status-environment", markup=False)
        yield Static(id="status-customer", markup=False)

    def on_mount(self) -> None:
        for attribute in (
            "backend_state",
            "connection_problem",
            "customer_email",
            "base_url",
            "sandbox_detected",
        ):
            self.watch(self.app, attribute, self._refresh_status, init=False)
        self._refresh_status()

    def _refresh_status(self) -> None:
        services = services_of(self)
        environment = services.environment
        self.query_one("#status-environment", Static).update(
            environment_label(
                environment.name,
                environment.tenant,
                services.base_url,
                embedded=environment.is_sandbox,
                sandbox=services.is_sandbox,
            )
        )
        state = services.backend_state
        email = services.customer_email
        if state == "connecting":
            text = Text(_("connecting…"))
        elif state == "failed":
            # What is known about the cause, and the one thing to do about it.
            text = Text(with_reconnect_advice(services.connection_problem or _(NOT_CONNECTED)))
        elif email:
            text = Text.assemble(_("Logged in as "), (email, "bold"))
        else:
            text = Text(_("Not logged in"))
        self.query_one("#status-customer", Static).update(text)
        self.set_class(state == "connecting", "-connecting")
        self.set_class(state == "failed", "-failed")
        self.set_class(state == "ready" and email is not None, "-logged-in")
