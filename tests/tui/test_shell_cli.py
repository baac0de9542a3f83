"""The ``accountdesk`` command line: flags, exit codes, the sandbox subcommand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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


# -- a kiosk whose configuration does not load fails closed --------------------------------


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The apps `main` ran (their `run` replaced: nothing is drawn)."""
    from accountdesk.tui.app import AccountDeskApp

    ran: list[Any] = []
    monkeypatch.setattr(AccountDeskApp, "run", lambda app: ran.append(app))
    return ran


def _config_file(isolated_user_dirs: Path, content: bytes) -> Path:
    config = isolated_user_dirs / "config" / "accountdesk" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(content)
    return config


BROKEN_KIOSK_FILES = {
    "not TOML": b"kiosk = true\nenvironment = [unclosed\n",
    "not UTF-8": b"kiosk = true\ntheme = '\xff\xfe'\n",
    "a wrong value": b"kiosk = true\ntheme = 5\n",
    "an unknown key": b'kiosk = true\n[kiosk_options]\nalow = ["quit"]\n',
    "a short PIN": b'kiosk = true\n[kiosk_options]\noperator_pin = "1"\n',
    "a warning as long as the idle time": (
        b"kiosk = true\n[kiosk_options]\nidle_seconds = 60\nwarning_seconds = 60\n"
    ),
}


@pytest.mark.parametrize("content", BROKEN_KIOSK_FILES.values(), ids=BROKEN_KIOSK_FILES)
@pytest.mark.parametrize("arguments", [[], ["--kiosk"]], ids=["file", "file and flag"])
def test_a_kiosk_with_a_broken_config_file_does_not_start(
    isolated_user_dirs: Path,
    capsys: pytest.CaptureFixture[str],
    runs: list[Any],
    content: bytes,
    arguments: list[str],
) -> None:
    config = _config_file(isolated_user_dirs, content)
    assert main(arguments) == EXIT_USAGE
    assert runs == []
    error = capsys.readouterr().err
    assert error.startswith("accountdesk: error: ")
    assert "Traceback" not in error
    assert str(config) in error
    # Nor does it tell a launcher that passes arguments through where its config lives.
    assert main([*arguments, "--config-path"]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "kiosk mode: the config path is not shown" in captured.err


@pytest.mark.parametrize("value", ["true", "1", "maybe"])
def test_a_kiosk_asked_for_by_the_environment_fails_closed_too(
    isolated_user_dirs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    runs: list[Any],
    value: str,
) -> None:
    # "maybe" is no boolean: a kiosk that may be meant is one.
    monkeypatch.setenv("ACCOUNTDESK_KIOSK", value)
    _config_file(isolated_user_dirs, b"environment = [unclosed\n")
    assert main([]) == EXIT_USAGE
    assert main(["--config-path"]) == EXIT_USAGE
    assert runs == []
    assert "kiosk mode: the config path is not shown" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content", [b"kiosk = false\ntheme = 5\n", b"environment = [unclosed\n"], ids=["value", "TOML"]
)
def test_a_broken_file_of_no_kiosk_still_shows_its_path(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    config = _config_file(isolated_user_dirs, content)
    assert main(["--config-path"]) == 0
    assert capsys.readouterr().out.strip() == str(config)


def test_a_kiosk_without_a_config_file_allows_nothing(
    isolated_user_dirs: Path, runs: list[Any]
) -> None:
    assert main(["--kiosk"]) == 0
    (app,) = runs
    assert app.kiosk is not None
    assert app.kiosk.options.allow == frozenset()
    assert app.kiosk.options.operator_pin is None


@pytest.mark.parametrize("kind", ["missing", "a directory"])
def test_a_config_file_named_on_purpose_must_be_there(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    runs: list[Any],
    kind: str,
) -> None:
    # It may be the file that says `kiosk = true`: without it the app would start unlocked.
    named = tmp_path / "kiosk.toml"
    if kind == "a directory":
        named.mkdir()
    monkeypatch.setenv("ACCOUNTDESK_CONFIG", str(named))
    assert main([]) == EXIT_USAGE
    assert runs == []
    assert f"Cannot read {named}: there is no such file" in capsys.readouterr().err
    # Where it is expected is what someone about to write it needs.
    assert main(["--config-path"]) == 0
    assert capsys.readouterr().out.strip() == str(named)
