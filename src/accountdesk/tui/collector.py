"""No cyclic garbage collection until the login screen is on screen.

Starting the app creates some 130,000 objects that live as long as it does (modules, classes,
pydantic schemas, Textual's CSS) and little garbage; the collector still walked them again and
again as they piled up: 100 to 200 ms of the first paint here. `accountdesk` pauses it before
its imports; at the first frame the app resumes it after freezing what exists then (the
permanent generation, never walked again: collections later in the session are shorter too).
The price is startup's cyclic garbage, ~17,000 objects, and the first login screen's widgets,
kept once they are dropped after the login: freed by reference counting, as most things are,
or not at all.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until `resume` (the command line calls it first thing)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Collect automatically again, if `pause` stopped it (an app built elsewhere, as in the
    tests, never paused it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()  # without it, resuming would walk everything at once, as the user starts
        gc.enable()
