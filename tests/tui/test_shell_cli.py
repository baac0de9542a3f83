"""The ``accountdesk`` command line: flags, exit codes, the sandbox subcommand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from accountdesk import __version__
from accountdesk.cli import EXIT_USAGE, main


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accountdesk", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version_is_printed_without_loading_textual() -> None:
    probe = (
        "import sys; from accountdesk.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as exit:\n"
        "    assert exit.code == 0\n"
        "assert 'textual' not in sys.modules, 'textual imported for --version'\n"
        "assert 'accountdesk.sandbox' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"accountdesk {__version__}"


def test_config_path_is_printed(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config-path"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == str(isolated_user_dirs / "config" / "accountdesk" / "config.toml")


def test_unknown_environment_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", "staging"]) == EXIT_USAGE
    error = capsys.readouterr().err
    assert error.startswith("accountdesk: error: Unknown environment 'staging'")
    assert "sandbox" in error


def test_env_flag_wins_over_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ACCOUNTDESK_ENVIRONMENT", "from-variable")
    assert main(["--env", "from-flag"]) == EXIT_USAGE
    error = capsys.readouterr().err
    assert "'from-flag'" in error
    assert "from-variable" not in error


def test_bad_tenant_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base-url", "https://api.example.com", "--tenant", "Bad Tenant!"]) == EXIT_USAGE
    assert "is not a tenant name" in capsys.readouterr().err


def test_bad_base_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base-url", "ftp://nowhere"]) == EXIT_USAGE
    assert "http:// or https://" in capsys.readouterr().err


def test_unknown_theme_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--theme", "hotdog-stand"]) == EXIT_USAGE
    error = capsys.readouterr().err
    assert "unknown theme 'hotdog-stand'" in error
    assert "textual-light" in error


def test_broken_config_file_is_a_usage_error(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = isolated_user_dirs / "config" / "accountdesk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("environment = [unclosed\n")
    assert main([]) == EXIT_USAGE
    assert str(config) in capsys.readouterr().err


def test_unknown_flag_exits_2() -> None:
    result = run_cli("--no-such-flag")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr


def test_sandbox_subcommand_is_delegated() -> None:
    result = run_cli("sandbox", "--help")
    assert result.returncode == 0
    assert "serve" in result.stdout


def _kiosk_config(isolated_user_dirs: Path, allow: str = "") -> None:
    config = isolated_user_dirs / "config" / "accountdesk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"kiosk = true\n[kiosk_options]\nallow = [{allow}]\n")


@pytest.mark.parametrize(
    "arguments",
    [["--env", "sandbox"], ["--base-url", "http://127.0.0.1:9"], ["--tenant", "other"]],
)
def test_a_kiosk_refuses_to_be_pointed_elsewhere(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str], arguments: list[str]
) -> None:
    _kiosk_config(isolated_user_dirs)
    assert main(arguments) == EXIT_USAGE
    assert "kiosk mode: the environment comes from the config file" in capsys.readouterr().err


def test_a_kiosk_does_not_print_its_config_path_unless_allowed(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--kiosk", "--config-path"]) == EXIT_USAGE
    assert "kiosk mode: the config path is not shown" in capsys.readouterr().err
    _kiosk_config(isolated_user_dirs, allow='"config_path"')
    assert main(["--config-path"]) == 0
    assert capsys.readouterr().out.strip().endswith("config.toml")


def test_a_kiosk_keeps_ctrl_c_and_ctrl_z_from_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from accountdesk.tui.app import AccountDeskApp

    seen: list[str | None] = []
    monkeypatch.setenv("TEXTUAL_ALLOW_SIGNALS", "1")
    monkeypatch.setattr(
        AccountDeskApp, "run", lambda _app: seen.append(os.environ.get("TEXTUAL_ALLOW_SIGNALS"))
    )
    assert main(["--kiosk"]) == 0
    assert seen == [None]
