"""Account Desk: a customer's own Emporix storefront account, in the terminal."""

__version__ = "0.1.0"
