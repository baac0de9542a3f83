"""The address book: every address of the customer in a table, changed in place.

After each change the list is read again from the server (the table shows the true state,
e.g. no default after the default address was deleted) and the cursor stays on the same
address, or on the same row when that address is gone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rich.text import Text
from textual import events, getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from accountdesk.api import AccountDeskError, Address
from accountdesk.session import AccountService, SessionExpiredError
from accountdesk.tui.address_rules import country_name, postal_text, street_line
from accountdesk.tui.context import account_of, services_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.address_form import AddressFormScreen
from accountdesk.tui.screens.address_tags import AddressTagsScreen, TagChanges
from accountdesk.tui.screens.base import AccountDeskScreen
from accountdesk.tui.screens.confirm import ConfirmScreen
from accountdesk.tui.widgets.form_field import FormStatus
from accountdesk.tui.wording import describe, plural

DEFAULT_MARK = "✓"

# The default mark first: it is the one column that must show at 80 columns (the detail
# under the table shows the highlighted address in full).
_COLUMNS = (
    (N_("Default"), "default"),
    (N_("Contact"), "contact"),
    (N_("Street and number"), "street"),
    (N_("ZIP"), "zip"),
    (N_("City"), "city"),
    (N_("State"), "state"),
    (N_("Country"), "country"),
    (N_("Tags"), "tags"),
)
# Narrower than this, the table leaves out the state and the tags, shows the country by its
# code and heads the default column with the mark, so at 80 columns (in German too) no column
# is cut off; the detail under the table still shows all of the highlighted address.
NARROW_BELOW = 100
_NARROW_COLUMNS = ("default", "contact", "street", "zip", "city", "country")

# Actions that need a highlighted address.
_ON_AN_ADDRESS = frozenset({"edit_address", "delete_address", "set_default", "edit_tags"})


def table_row(address: Address, *, narrow: bool = False) -> tuple[Text, ...]:
    """The table's cells for one address (country by name, or by code when ``narrow``, the
    default marked), as plain text: a string cell would be read as markup, and "[3rd floor]"
    would vanish."""
    if narrow:
        country = address.country or ""
    else:
        country = country_name(address.country) if address.country else ""
    cells = {
        "default": DEFAULT_MARK if address.is_default else "",
        "contact": address.contact_name or "",
        "street": street_line(address.street, address.street_number, address.country),
        "zip": address.zip_code or "",
        "city": address.city or "",
        "state": address.state or "",
        "country": country,
        "tags": ", ".join(address.tags),
    }
    keys = _NARROW_COLUMNS if narrow else [key for _label, key in _COLUMNS]
    return tuple(Text(cells[key]) for key in keys)


def describe_address(address: Address) -> str:
    """The address as it is written on a letter, then its phone and tags."""
    lines = [postal_text(address)]
    if address.contact_phone:
        lines.append(_("Phone: {phone}").format(phone=address.contact_phone))
    if address.tags:
        lines.append(_("Tags: {tags}").format(tags=", ".join(address.tags)))
    if address.is_default:
        lines.append(_("This is your default address."))
    return "\n".join(lines)


class AddressBookScreen(AccountDeskScreen):
    """Add, edit, delete, tag and choose the default address."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Address book")
    BINDINGS = [
        Binding(
            "n", "add_address", N_("Add"), tooltip=N_("Add a new address."), id="addresses-add"
        ),
        Binding(
            "e",
            "edit_address",
            N_("Edit"),
            tooltip=N_("Edit the highlighted address (enter works too)."),
            id="addresses-edit",
        ),
        Binding(
            "d",
            "delete_address",
            N_("Delete"),
            tooltip=N_("Delete the highlighted address (asks first)."),
            id="addresses-delete",
        ),
        Binding(
            "s",
            "set_default",
            N_("Set default"),
            tooltip=N_("Make the highlighted address your default address."),
            id="addresses-default",
        ),
        Binding(
            "t",
            "edit_tags",
            N_("Tags"),
            tooltip=N_("Add or remove tags such as BILLING and SHIPPING."),
            id="addresses-tags",
        ),
        Binding(
            "r",
            "reload",
            N_("Refresh"),
            tooltip=N_("Load your addresses from the server again."),
            id="addresses-refresh",
            show=False,
        ),
        Binding(
            "escape", "back", N_("Back"), tooltip=N_("Back to your account."), id="addresses-back"
        ),
    ]

    table = getters.query_one("#addresses-table", DataTable)
    detail = getters.query_one("#addresses-detail", Static)
    status = getters.query_one("#addresses-status", FormStatus)

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[Address] = []
        self.loaded = False
        self.busy = False
        self.narrow: bool | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="addresses"):
            table: DataTable[Text] = DataTable(id="addresses-table", cursor_type="row")
            table.border_title = _("Your addresses")
            yield table
            yield Static("", id="addresses-detail", markup=False)
            yield FormStatus(id="addresses-status")

    def on_mount(self) -> None:
        self._fit_columns(self.app.size.width)
        self.table.focus()
        self.load_addresses()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_columns(event.size.width)

    def _fit_columns(self, width: int) -> None:
        narrow = width < NARROW_BELOW
        if narrow == self.narrow:
            return
        self.narrow = narrow
        keep_id, keep_row = self._selected_id(), self.table.cursor_row
        self.table.clear(columns=True)
        for label, key in _COLUMNS:
            if not narrow:
                self.table.add_column(_(label), key=key)
            elif key in _NARROW_COLUMNS:
                # The mark heads its own column: "Default" would be the widest cell in it.
                self.table.add_column(DEFAULT_MARK if key == "default" else _(label), key=key)
        if self.loaded:
            self.show_addresses(self.addresses, keep_id, keep_row)

    # -- what is highlighted -------------------------------------------------------------------

    @property
    def selected(self) -> Address | None:
        if not self.addresses or not 0 <= self.table.cursor_row < len(self.addresses):
            return None
        return self.addresses[self.table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.busy and (action in _ON_AN_ADDRESS or action in ("add_address", "reload")):
            return None  # shown, dimmed: one change at a time
        if action in _ON_AN_ADDRESS and self.selected is None:
            return None
        if action == "set_default" and self.selected is not None and self.selected.is_default:
            return None
        return True

    @on(DataTable.RowHighlighted, "#addresses-table")
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#addresses-table")
    def _chosen(self) -> None:
        self.action_edit_address()

    def _show_detail(self) -> None:
        address = self.selected
        if address is not None:
            self.detail.update(describe_address(address))
        elif self.loaded:
            self.detail.update(_("No addresses yet. Press n to add one."))
        else:
            self.detail.update("")

    # -- loading -------------------------------------------------------------------------------

    def action_reload(self) -> None:
        if self.busy:
            return
        self.status.clear()
        self.load_addresses(keep_id=self._selected_id())

    def _selected_id(self) -> str | None:
        return self.selected.id if self.selected is not None else None

    @work(exclusive=True, group="addresses", exit_on_error=False, description="Loading addresses")
    async def load_addresses(self, keep_id: str | None = None, keep_row: int = 0) -> None:
        await self._refresh(keep_id, keep_row)

    async def _refresh(self, keep_id: str | None, keep_row: int) -> None:
        """Read the list again and show it, the cursor on ``keep_id`` or else on row
        ``keep_row`` (the last row if there are fewer now)."""
        # A spinner only while the table is empty: later reloads replace the rows in place.
        self.table.loading = not self.loaded
        try:
            addresses = await account_of(self).list_addresses()
        except SessionExpiredError:
            return  # the app shows the login screen
        except AccountDeskError as error:
            self.status.show_error(describe(error, services_of(self).base_url))
            return
        finally:
            self.table.loading = False
        self.loaded = True
        self.show_addresses(addresses, keep_id, keep_row)

    def show_addresses(self, addresses: list[Address], keep_id: str | None, keep_row: int) -> None:
        self.addresses = addresses
        self.table.clear()
        for address in addresses:
            self.table.add_row(*table_row(address, narrow=bool(self.narrow)), key=address.id)
        self.table.border_subtitle = plural(len(addresses), "{n} address", "{n} addresses")
        ids = [address.id for address in addresses]
        if keep_id is not None and keep_id in ids:
            row = ids.index(keep_id)
        else:
            row = min(keep_row, len(addresses) - 1)
        if row >= 0:
            self.table.move_cursor(row=row, animate=False)
        self._show_detail()
        self.refresh_bindings()

    # -- changing ------------------------------------------------------------------------------

    async def _change(
        self,
        call: Callable[[AccountService], Awaitable[object]],
        *,
        done: str,
        keep_id: str | None,
        keep_row: int,
    ) -> None:
        """Run one change, say how it went, then show the list as the server has it now
        (after a failure too: the address may have been changed or deleted elsewhere)."""
        self.busy = True
        self.refresh_bindings()
        self.status.clear()
        try:
            await call(account_of(self))
        except SessionExpiredError:
            return
        except AccountDeskError as error:
            self.status.show_error(describe(error, services_of(self).base_url))
        else:
            self.status.show_success(done)
        finally:
            self.busy = False
            self.refresh_bindings()
        await self._refresh(keep_id, keep_row)

    def action_back(self) -> None:
        self.dismiss()

    def action_add_address(self) -> None:
        self.status.clear()
        self.app.push_screen(AddressFormScreen(), self._saved)

    def action_edit_address(self) -> None:
        address = self.selected
        if address is None or self.busy:
            return
        self.status.clear()
        self.app.push_screen(AddressFormScreen(address), self._saved)

    def _saved(self, address_id: object) -> None:
        if isinstance(address_id, str):
            self.status.show_success(_("Address saved."))
            self.load_addresses(keep_id=address_id, keep_row=self.table.cursor_row)

    def action_delete_address(self) -> None:
        address = self.selected
        if address is None or address.id is None:
            return
        address_id, row = address.id, self.table.cursor_row
        detail = postal_text(address)
        if address.is_default:
            detail += "\n\n" + _(
                "This is your default address; you will have none until you pick one."
            )

        def delete_if_confirmed(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(address_id, row)

        self.app.push_screen(
            ConfirmScreen(
                _("Delete this address?"),
                detail=detail,
                confirm_label=_("Delete"),
                destructive=True,
            ),
            delete_if_confirmed,
        )

    @work(exclusive=True, group="addresses", exit_on_error=False, description="Deleting an address")
    async def _delete(self, address_id: str, row: int) -> None:
        await self._change(
            lambda account: account.delete_address(address_id),
            done=_("Address deleted."),
            keep_id=None,
            keep_row=row,
        )

    def action_set_default(self) -> None:
        address = self.selected
        if address is not None and address.id is not None and not address.is_default:
            self._make_default(address.id, self.table.cursor_row)

    @work(
        exclusive=True,
        group="addresses",
        exit_on_error=False,
        description="Setting the default address",
    )
    async def _make_default(self, address_id: str, row: int) -> None:
        await self._change(
            lambda account: account.set_default_address(address_id),
            done=_("Default address changed."),
            keep_id=address_id,
            keep_row=row,
        )

    def action_edit_tags(self) -> None:
        address = self.selected
        if address is None or address.id is None:
            return
        address_id, row = address.id, self.table.cursor_row
        summary = ", ".join(
            part
            for part in (
                address.contact_name,
                street_line(address.street, address.street_number, address.country),
                address.city,
            )
            if part
        )

        def retag(changes: TagChanges | None) -> None:
            if changes is not None:
                self._retag(address_id, row, changes)

        self.app.push_screen(AddressTagsScreen(address.tags, summary=summary), retag)

    @work(exclusive=True, group="addresses", exit_on_error=False, description="Changing tags")
    async def _retag(self, address_id: str, row: int, changes: TagChanges) -> None:
        async def apply(account: AccountService) -> None:
            if changes.add:
                await account.add_address_tags(address_id, changes.add)
            if changes.remove:
                await account.remove_address_tags(address_id, changes.remove)

        await self._change(apply, done=_("Tags saved."), keep_id=address_id, keep_row=row)
