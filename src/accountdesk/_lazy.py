"""Package re-exports that load on first use (PEP 562 module ``__getattr__``).

``from accountdesk.api.errors import ApiError`` runs ``accountdesk/api/__init__.py`` first; with
eager re-exports that alone would import httpx and every pydantic model. The packages list their
names here instead, and repeat the imports under ``TYPE_CHECKING`` for type checkers.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(
    package: str,
    names: Mapping[str, Sequence[str]],
    *,
    submodules: Sequence[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``.

    ``names`` maps a submodule (``"client"``) to the names the package re-exports from it;
    ``submodules`` are re-exported as modules (``from accountdesk.api import errors``).
    """
    origin = {name: module for module, exported in names.items() for name in exported}
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        if name in submodules:
            value: Any = importlib.import_module(f"{package}.{name}")
        elif name in origin:
            value = getattr(importlib.import_module(f"{package}.{origin[name]}"), name)
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value  # looked up once
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *origin, *submodules})

    return __getattr__, __dir__
