"""Edit profile: personal details, preferences and the B2B company registration id.

Only changed fields are sent, with the version the form was loaded at. When the profile was
changed elsewhere meanwhile (409), the server's profile is loaded and every field both sides
changed is offered side by side (`ConflictScreen`); fields only the other side changed simply
take the server's value, and nothing the user typed is lost.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Select, Static

from accountdesk.api import AccountDeskError, Customer, CustomerPatch, VersionConflictError
from accountdesk.session import AccountService, SessionExpiredError
from accountdesk.tui.context import account_of
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.screens.form import FormScreen
from accountdesk.tui.screens.profile_dialogs import (
    ConflictScreen,
    FieldConflict,
    LeaveChoice,
    UnsavedChangesScreen,
)
from accountdesk.tui.widgets.form_field import FormField, FormStatus
from accountdesk.tui.widgets.personal_fields import (
    PersonalFields,
    PersonalValues,
    display_value,
    label_of,
    personal_field_paths,
)
from accountdesk.tui.wording import plural

REGISTRATION = "company_registration_id"
_REGISTRATION_LABEL = N_("Company registration id")
_REGISTRATION_NEEDS = ("first_name", "last_name", "company")

_FIELD_PATHS = {
    **personal_field_paths("profile", body_prefixes=("", "customerDetails.")),
    "b2b.companyRegistrationId": "profile-registration-field",
    "customerDetails.b2b.companyRegistrationId": "profile-registration-field",
}


def profile_values(customer: Customer) -> PersonalValues:
    """What the form shows for ``customer``: the personal fields and the registration id."""
    values = PersonalFields.stored_values(customer)
    registration = customer.b2b.company_registration_id if customer.b2b else None
    values[REGISTRATION] = (registration or "").strip() or None
    return values


def field_label(attribute: str) -> str:
    return _(_REGISTRATION_LABEL) if attribute == REGISTRATION else label_of(attribute)


def shown_value(attribute: str, value: str | None) -> str:
    if attribute == REGISTRATION:
        return value or "(empty)"
    return display_value(attribute, value)


def profile_patch(changes: PersonalValues, version: int | None) -> CustomerPatch:
    """The changed fields (None clears one) with the version they were edited against."""
    body: dict[str, Any] = {name: value for name, value in changes.items() if name != REGISTRATION}
    if REGISTRATION in changes:
        body["b2b"] = {REGISTRATION: changes[REGISTRATION]}
    body["metadata"] = {"version": version}
    return CustomerPatch.model_validate(body)


class EditProfileScreen(FormScreen):
    """Load the profile, edit it, save the changes; Escape asks about unsaved changes."""

    TITLE = N_("Account Desk")
    SUB_TITLE = N_("Edit profile")
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            N_("Save"),
            tooltip=N_("Save the changed fields."),
            id="profile-save",
        ),
        Binding(
            "escape",
            "back",
            N_("Back"),
            tooltip=N_("Back to the account overview (asks first if something is unsaved)."),
            id="profile-back",
        ),
    ]
    SUBMIT_BUTTON = "profile-save-button"
    STATUS = "profile-status"
    FIELD_PATHS = _FIELD_PATHS

    def __init__(self) -> None:
        super().__init__()
        self._loaded: PersonalValues | None = None
        """The values as stored at ``_version``: what "changed" is measured against."""
        self._version: int | None = None
        self._sent: PersonalValues = {}
        self._leave_after_save = False

    # -- layout --------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="profile-form", classes="form"):
            yield Static(_("Edit profile"), classes="form-title")
            yield Static(
                _(
                    "Only the fields you change are saved. Your login email is changed from the "
                    "account screen (m)."
                ),
                classes="form-note",
            )
            yield Static(_("About you"), classes="form-section")
            yield PersonalFields("profile", required=())
            yield Static(_("Business customers"), classes="form-section")
            yield FormField(
                _(_REGISTRATION_LABEL),
                Input(placeholder=_("e.g. HRB 12345"), id="profile-registration"),
                hint=_("Needs first name, last name and company filled in."),
                check=self._registration_problem,
                id="profile-registration-field",
            )
        with Vertical(id="profile-actions"):
            yield FormStatus(id="profile-status")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), id="profile-save-button", variant="primary")
                yield Button(_("Back"), id="profile-cancel")
                yield Static("", id="profile-dirty", markup=False)

    def first_focus(self) -> str:
        return "#profile-first-name"

    @property
    def personal(self) -> PersonalFields:
        return self.query_one(PersonalFields)

    @property
    def registration_field(self) -> FormField:
        return self.query_one("#profile-registration-field", FormField)

    def on_mount(self) -> None:
        self.query_one("#profile-form").loading = True
        self.submit_button.disabled = True
        self._load()

    # -- values --------------------------------------------------------------------------------

    def current_values(self) -> PersonalValues:
        values = self.personal.values()
        values[REGISTRATION] = self.registration_field.value.strip() or None
        return values

    def changes(self) -> PersonalValues:
        """The fields that differ from the loaded profile (None = cleared)."""
        if self._loaded is None:
            return {}
        loaded = self._loaded
        return {
            name: value for name, value in self.current_values().items() if value != loaded[name]
        }

    @property
    def is_dirty(self) -> bool:
        # Measured against the profile as loaded, not as the empty form was opened.
        return bool(self.changes())

    def _show(self, values: PersonalValues) -> None:
        for name, value in values.items():
            if name == REGISTRATION:
                control = self.registration_field.control
                assert isinstance(control, Input)
                control.value = value or ""
            else:
                self.personal.set_value(name, value)

    def _adopt(self, customer: Customer) -> None:
        """``customer`` is what the server stores now: measure changes against it."""
        self._loaded = profile_values(customer)
        self._version = customer.metadata.version if customer.metadata else None
        self._refresh_dirty()

    @on(Input.Changed)
    @on(Select.Changed)
    def _edited(self, event: Input.Changed | Select.Changed) -> None:
        if event.control.id != "profile-registration":
            # The registration id's rule depends on the names and the company.
            self.registration_field.recheck()
        self._refresh_dirty()

    def _refresh_dirty(self) -> None:
        changed = self.changes()
        marker = self.query_one("#profile-dirty", Static)
        marker.update(
            plural(len(changed), "● Unsaved change", "● {n} unsaved changes") if changed else ""
        )
        marker.set_class(bool(changed), "-dirty")

    # -- checks --------------------------------------------------------------------------------

    def _registration_problem(self, _value: str) -> str | None:
        values = self.personal.values()
        missing = [label_of(name) for name in _REGISTRATION_NEEDS if not values.get(name)]
        if not missing:
            return None
        return _(
            "A registration id needs first name, last name and company. Missing: {fields}."
        ).format(fields=", ".join(missing))

    def _contact_email_problem(self) -> str | None:
        loaded = self._loaded or {}
        if loaded.get("contact_email") and not self.current_values()["contact_email"]:
            return _("The contact email can't be removed; enter the address to use instead.")
        return None

    # -- loading -------------------------------------------------------------------------------

    @work(
        exclusive=True, group="profile-load", exit_on_error=False, description="Loading the profile"
    )
    async def _load(self) -> None:
        form = self.query_one("#profile-form")
        try:
            customer = await account_of(self).load_profile()
        except SessionExpiredError:
            return  # the app shows the login screen
        except AccountDeskError as error:
            self.show_failure(error)
            return
        finally:
            form.loading = False
        self._show(profile_values(customer))
        self._adopt(customer)
        self.submit_button.disabled = False
        self.query_one(self.first_focus()).focus()

    # -- saving --------------------------------------------------------------------------------

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "profile-registration":
            self.submit()  # the last field: enter saves
        else:
            self.focus_next()

    @on(Button.Pressed, "#profile-cancel")
    def _cancel_pressed(self) -> None:
        self.action_back()

    def send(self) -> None:
        if self._loaded is None:
            return  # still loading (or the load failed): nothing to compare with
        fields = list(self.query(FormField))
        invalid = [field for field in fields if not field.validate()]
        email_problem = self._contact_email_problem()
        contact_email = self.personal.form_field("contactEmail")
        if email_problem is not None:
            contact_email.set_error(email_problem)
            if contact_email not in invalid:
                invalid.insert(0, contact_email)
        if invalid:
            self.report_invalid(invalid)
            self._leave_after_save = False
            return
        changes = self.changes()
        if not changes:
            self.form_status.show_success(_("Nothing to save: no field was changed."))
            if self._leave_after_save:
                self.dismiss()
            return
        self._sent = self.current_values()
        self.start_sending()
        self._save(profile_patch(changes, self._version))

    @work(
        exclusive=True, group="profile-save", exit_on_error=False, description="Saving the profile"
    )
    async def _save(self, patch: CustomerPatch) -> None:
        saved: list[Customer] = []

        async def update(account: AccountService) -> None:
            saved.append(await account.update_profile(patch))

        if not await self.request(update):
            # Refused, or changed elsewhere: the user has to see what happened, so stay.
            self._leave_after_save = False
            return
        self._show_saved(saved[0])

    def _show_saved(self, customer: Customer) -> None:
        # Show what the server stored, except where the user typed on while it was saving.
        stored = profile_values(customer)
        current = self.current_values()
        self._show(
            {name: value for name, value in stored.items() if current[name] == self._sent.get(name)}
        )
        self._adopt(customer)
        self.form_status.show_success(_("Profile saved."))
        if self._leave_after_save:
            # The status line goes with the screen: say it where it stays visible.
            self.notify(_("Your profile was saved."), title=_("Profile"))
            self.dismiss()

    def handle_failure(self, error: AccountDeskError) -> bool:
        if isinstance(error, VersionConflictError):
            self.form_status.show_error(
                _("Your profile was changed elsewhere meanwhile; loading it to compare…")
            )
            self._resolve_conflict()
            return True
        return super().handle_failure(error)

    # -- conflicts -----------------------------------------------------------------------------

    @work(
        exclusive=True,
        group="profile-conflict",
        exit_on_error=False,
        description="Loading the profile changed elsewhere",
    )
    async def _resolve_conflict(self) -> None:
        before = self._loaded or {}
        try:
            server = await account_of(self).load_profile()
        except SessionExpiredError:
            return
        except AccountDeskError as error:
            self.show_failure(error)
            return
        theirs = profile_values(server)
        mine = self.current_values()
        mine_changed = {name for name, value in mine.items() if value != before.get(name)}
        # What only the other side changed: take it, nobody typed anything there.
        self._show({n: v for n, v in theirs.items() if n not in mine_changed and v != mine[n]})
        self._adopt(server)
        conflicts = [
            FieldConflict(
                name,
                field_label(name),
                shown_value(name, mine[name]),
                shown_value(name, theirs[name]),
            )
            for name in sorted(mine_changed, key=list(mine).index)
            # Both sides changed it, to different values: only the user can say which wins.
            if theirs[name] != before.get(name) and theirs[name] != mine[name]
        ]
        if conflicts:
            choices = await self.app.push_screen_wait(ConflictScreen(conflicts))
            if choices is None:
                self.form_status.show_error(
                    _(
                        "Not saved. Your values are still here; the server's are loaded, so saving "
                        "now would replace them."
                    )
                )
                return
            self._show({name: theirs[name] for name, take in choices.items() if take})
        if not self.changes():
            self.form_status.show_success(
                _("Your profile matches the server's now; nothing to save.")
            )
            return
        self.submit()  # again, with the server's version

    # -- leaving -------------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.submit_button.loading:
            self._leave_after_save = True  # leave once the save in flight has worked
            return
        changes = self.changes()
        if not changes:
            self.dismiss()
            return
        self.app.push_screen(
            UnsavedChangesScreen([field_label(name) for name in changes]), self._leave
        )

    def _leave(self, choice: LeaveChoice | None) -> None:
        if choice == "discard":
            self.dismiss()
        elif choice == "save":
            self._leave_after_save = True
            self.submit()
