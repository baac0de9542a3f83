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
    (config,) = blocks("toml")
    path = tmp_path / "config.toml"
    path.write_text(config)
    monkeypatch.setenv("ACCOUNTDESK_CONFIG", str(path))
    settings = load_settings()
    environment = settings.resolve_environment(None)
    assert (environment.name, environment.tenant) == ("prod", "acmeshop")
    assert settings.keymap["toggle-api-log"] == "f12"
    assert {"sandbox", "staging", "local"} <= set(settings.environments)


def test_the_client_example_runs_against_the_sandbox(
    sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    (example,) = [block for block in blocks("python") if EXAMPLE_URL in block]
    exec(compile(example.replace(EXAMPLE_URL, sandbox.base_url), "README.md", "exec"), {})  # noqa: S102
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Hello Ada Lovelace"
    assert sum(line.startswith("*") for line in printed[1:]) == 1
