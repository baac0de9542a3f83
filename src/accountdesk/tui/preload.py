"""The flows' modules and data, loaded on a thread once the login screen is on screen.

A flow's module is imported when the flow is first opened (`navigation.flow_screen`), so the
first paint waits for none of them. Left at that, every first open paid for its imports, and
sign-up also for the language and currency lists it offers (pycountry's 8,000 languages are
read to find the 184 with a two-letter code). Once the first frame is shown, a thread worker
imports them all and builds those lists, so a first open only builds its widgets.

Opening a flow while the thread imports it is safe: Python's import lock makes the second
importer wait for the first, never run a module twice or see it half done (the TUI's modules
import one another without cycles, so neither waits for the other). A step that fails costs
only its head start: the flow imports it again when opened, and reports the failure there.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

from accountdesk.tui.navigation import FLOWS

_log = logging.getLogger(__name__)

# Opened from the app's keys or a flow's buttons rather than by flow name.
_OTHER_MODULES = (
    "accountdesk.tui.screens.mailbox",
    "accountdesk.tui.screens.export",
    "accountdesk.session.social",
)
# Not here: the checkers that load when a field is first checked (~25 ms each, once). zxcvbn
# alone is 11 MiB of dictionaries that a session without a new password never needs; and
# what typing imports stays deterministic (tests/tui/test_workers_and_imports.py).

# For logs and error reports, like the descriptions in `@work`: never on screen.
_DESCRIPTION = "Preloading flows"


def start(app: App[Any]) -> None:
    """Preload once the frame being drawn is out (call it when the first frame was shown)."""
    app.call_after_refresh(
        app.run_worker,
        run_steps,
        thread=True,
        exit_on_error=False,
        group="preload",
        description=_DESCRIPTION,
    )


def run_steps() -> None:
    """Each step in turn, until the app stops (a closing app cancels its workers)."""
    worker = get_current_worker()
    for name, step in steps():
        if worker.is_cancelled:
            return
        try:
            step()
        except Exception:
            _log.warning("preloading %s failed; it loads when first used", name, exc_info=True)


def steps() -> Iterator[tuple[str, Callable[[], object]]]:
    """What to load, in the order flows are usually first opened (sign-up first)."""
    modules = [target.partition(":")[0] for target in FLOWS.values()]
    for module in dict.fromkeys([*modules, *_OTHER_MODULES]):
        yield module, _importer(module)
        if module == FLOWS["sign-up"].partition(":")[0]:
            yield "sign-up's lists", _sign_up_lists


def _importer(module: str) -> Callable[[], object]:
    return lambda: importlib.import_module(module)


def _sign_up_lists() -> None:
    from accountdesk.tui.widgets.country_select import all_countries
    from accountdesk.tui.widgets.personal_fields import currency_options, language_options

    all_countries()
    language_options()
    currency_options()
