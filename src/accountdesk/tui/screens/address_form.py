"""Add or edit one address of the address book."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from accountdesk.api import Address
from accountdesk.session import AccountService
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.widgets.address_fields import AddressFields, address_field_paths
from accountdesk.tui.widgets.form_field import FormStatus


class AddressFormScreen(FormScreen):
    """Dismisses with the id of the saved address, or None when left without saving."""

    TITLE = N_("Account Desk")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Save"),
            tooltip=N_("Save the address."),
            id="address-form-save",
        ),
        Binding(
            "escape",
            "back",
            N_("Cancel"),
            tooltip=N_("Back to the address book without saving."),
            id="address-form-cancel",
        ),
    ]
    SUBMIT_BUTTON = "address-save"
    STATUS = "address-status"
    FIELD_PATHS = address_field_paths("address")

    def __init__(self, address: Address | None = None) -> None:
        super().__init__()
        self.address = address
        # The header says which; no title inside the form, so more fields fit at 80x24.
        self.sub_title = _("Edit address") if address is not None else _("New address")

    @property
    def fields(self) -> AddressFields:
        return self.query_one("#address-fields", AddressFields)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="address-form", classes="form"):
            yield Static(
                _("Fields marked * are required; the country decides which."), classes="form-note"
            )
            yield AddressFields("address", id="address-fields")
        # Outside the scrolling part: the status and the buttons stay in view at 80x24.
        with Vertical(id="address-form-actions"):
            yield FormStatus(id="address-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), id="address-save", variant="primary")
                yield Button(_("Cancel"), id="address-cancel")

    def first_focus(self) -> str:
        return "#address-contact-name"

    def on_mount(self) -> None:
        if self.address is not None:
            self.fields.load(self.address)

    @on(Button.Pressed, "#address-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "address-phone":
            self.submit()  # the last field: enter saves
        else:
            self.focus_next()

    def send(self) -> None:
        invalid = self.fields.validate()
        if invalid:
            self.report_invalid(invalid)
            return
        self.start_sending()
        self._save()

    @work(exclusive=True, group="submit", exit_on_error=False, description="Saving an address")
    async def _save(self) -> None:
        stored = self.address
        saved_id: list[str] = []
        if stored is None or stored.id is None:
            body = self.fields.to_create()

            async def add(account: AccountService) -> None:
                saved_id.append(await account.add_address(body))

            if await self.request(add):
                self.dismiss(saved_id[0])
            return
        address_id = stored.id
        version = stored.metadata.version if stored.metadata is not None else None
        update = self.fields.to_update(version)
        if await self.request(lambda account: account.update_address(address_id, update)):
            self.dismiss(address_id)
