"""Named flows: screens open one another by name, never by importing a sibling module.

A flow's module is imported when the flow is first opened, so the login screen paints without
paying for the account screens, and no screen module imports another screen module to reach it.
"""

from __future__ import annotations

import importlib
from typing import Any

from textual.app import App
from textual.screen import Screen

# name -> "module:ScreenClass"
FLOWS: dict[str, str] = {
    "edit-profile": "accountdesk.tui.screens.profile:EditProfileScreen",
    "addresses": "accountdesk.tui.screens.addresses:AddressBookScreen",
    "change-password": "accountdesk.tui.screens.change_password:ChangePasswordScreen",
    "change-email": "accountdesk.tui.screens.change_email:ChangeEmailScreen",
    "delete-account": "accountdesk.tui.screens.delete_account:DeleteAccountScreen",
    "social-login": "accountdesk.tui.screens.social_login:SocialLoginScreen",
    "assign-account": "accountdesk.tui.screens.assign_account:AssignAccountScreen",
}


def flow_screen(name: str, **arguments: Any) -> Screen[Any]:
    """A new screen of the flow ``name``, built with ``arguments``."""
    module_name, _, class_name = FLOWS[name].partition(":")
    screen_class = getattr(importlib.import_module(module_name), class_name)
    screen: Screen[Any] = screen_class(**arguments)
    return screen


def open_flow(app: App[Any], name: str, **arguments: Any) -> None:
    """Push the flow ``name`` over the current screen."""
    app.push_screen(flow_screen(name, **arguments))
