"""A stateful local emulator of the Emporix storefront Customer Service API."""

from accountdesk.sandbox.app import create_app

__all__ = ["create_app"]
