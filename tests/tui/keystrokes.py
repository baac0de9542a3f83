"""Type as a terminal delivers a burst: every key of one read, handed to the app at once.

`pilot.press` waits for the app to go idle after each key, so it cannot show what happens
when a password manager auto-types: a terminal read yields all the keys together, and the
driver passes them on in one go. `type_burst` does the same with the bytes a terminal sends,
through the parser and driver hook the real Linux driver uses.
"""

from __future__ import annotations

from textual._xterm_parser import XTermParser
from textual.app import App


def type_burst(app: App[object], keystrokes: str) -> None:
    """Feed ``keystrokes`` (text, ``\\t`` for tab, ``\\r`` for enter, ``\\x7f`` for
    backspace) to ``app`` as one terminal read."""
    driver = app._driver
    assert driver is not None
    for event in XTermParser().feed(keystrokes):
        driver.process_message(event)
