"""The README's examples work as written: its config file loads, its client example runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from accountdesk.session import load_settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
EXAMPLE_URL = "http://127.0.0.1:8765"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_the_example_config_file_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (config,) = [block for block in blocks("toml") if "[environments.prod]" in block]
    path = tmp_path / "config.toml"
    path.write_text(config)
    monkeypatch.setenv("ACCOUNTDESK_CONFIG", str(path))
    settings = load_settings()
    environment = settings.resolve_environment(None)
    assert (environment.name, environment.tenant) == ("prod", "acmeshop")
    assert settings.keymap["toggle-api-log"] == "f12"
    assert {"sandbox", "staging", "local"} <= set(settings.environments)


def test_the_kiosk_example_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (config,) = [block for block in blocks("toml") if "[kiosk_options]" in block]
    path = tmp_path / "config.toml"
    path.write_text(config)
    monkeypatch.setenv("ACCOUNTDESK_CONFIG", str(path))
    settings = load_settings()
    assert settings.kiosk
    assert settings.kiosk_options.operator_pin is not None
    assert settings.kiosk_allows("reconnect")
    assert not settings.kiosk_allows("quit")


def test_the_client_example_runs_against_the_sandbox(
    sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    (example,) = [block for block in blocks("python") if EXAMPLE_URL in block]
    exec(compile(example.replace(EXAMPLE_URL, sandbox.base_url), "README.md", "exec"), {})  # noqa: S102
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Hello Ada Lovelace"
    assert sum(line.startswith("*") for line in printed[1:]) == 1


def binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets (what `[keymap]` can rebind)."""
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import accountdesk.tui

    for module in pkgutil.walk_packages(accountdesk.tui.__path__, "accountdesk.tui."):
        importlib.import_module(module.name)
    ids: set[str] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("accountdesk."):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def test_every_binding_id_is_listed_for_the_keymap() -> None:
    ids = binding_ids()
    assert len(ids) > 40
    missing = sorted(binding_id for binding_id in ids if f"`{binding_id}`" not in README)
    assert not missing, f"binding ids missing from the README's keymap list: {missing}"
