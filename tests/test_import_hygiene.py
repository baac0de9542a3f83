"""The headless core stays headless: importing it must not drag in Textual or the sandbox.

import-linter checks the static import graph; this checks what really lands in sys.modules,
which also catches a lazy import that runs at module load time.
"""

import subprocess
import sys

import pytest

# rich is not listed: httpx itself imports it (for its CLI in httpx._main).
HEAVY_FOR_CORE = ("textual", "fastapi", "uvicorn", "accountdesk.sandbox")


@pytest.mark.parametrize("module", ["accountdesk.api", "accountdesk.session"])
def test_core_module_imports_no_ui_and_no_sandbox(module: str) -> None:
    probe = (
        f"import sys, {module}\n"
        f"loaded = [m for m in {HEAVY_FOR_CORE!r} if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} pulled in: {result.stdout.strip()}"


def test_sandbox_imports_nothing_from_the_client() -> None:
    probe = (
        "import sys, accountdesk.sandbox\n"
        "client = ('accountdesk.api', 'accountdesk.session', 'accountdesk.tui', 'textual')\n"
        "print(','.join(m for m in client if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("module", ["accountdesk.api", "accountdesk.session"])
def test_every_name_the_core_re_exports_resolves(module: str) -> None:
    # The packages load their re-exports on first use; a name listed in __all__ but missing
    # from the lazy table (or misspelt there) would only fail when someone imports it.
    probe = (
        f"import {module} as package\n"
        "missing = [name for name in package.__all__ if getattr(package, name, None) is None]\n"
        "unlisted = sorted(set(package.__all__) - set(dir(package)))\n"
        "print(missing, unlisted)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[] []"
