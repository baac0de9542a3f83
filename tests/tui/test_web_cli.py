"""``accountdesk web``'s options: loopback unless told otherwise, app options passed on."""

from __future__ import annotations

import shlex
import sys

import pytest

from accountdesk.cli import EXIT_USAGE, main
from accountdesk.web import app_command, is_loopback

# TEST-NET-1 (RFC 5737): a routable-looking address this machine never has, so binding it
# fails and no test ever listens beyond loopback.
UNASSIGNED_ADDRESS = "192.0.2.1"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.10.0.1", "::1", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - only classified or refused, never bound


@pytest.mark.parametrize("host", [ALL_INTERFACES, "::", "192.168.1.20", "kiosk.example.com"])
def test_hosts_other_machines_may_reach(host: str) -> None:
    assert not is_loopback(host)


def test_a_reachable_host_is_refused_without_allow_remote(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["web", "--host", ALL_INTERFACES, "--port", "0"])
    assert exit_info.value.code == EXIT_USAGE
    error = capsys.readouterr().err
    assert "--host 0.0.0.0 can be reached from other machines" in error
    assert "--allow-remote" in error


def test_allow_remote_warns_before_listening(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["web", "--host", UNASSIGNED_ADDRESS, "--allow-remote", "--port", "0"])
    assert exit_info.value.code == EXIT_USAGE
    error = capsys.readouterr().err
    assert f"warning: listening on {UNASSIGNED_ADDRESS}, which other machines can reach" in error
    assert "plain HTTP" in error
    assert f"cannot listen on {UNASSIGNED_ADDRESS}:0" in error


def test_a_bad_app_option_fails_before_serving(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["web", "--kiosk", "--env", "staging", "--port", "0"]) == EXIT_USAGE
    assert "Unknown environment 'staging'" in capsys.readouterr().err


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["web", "--kiosk", "--no-such-option"])
    assert exit_info.value.code == EXIT_USAGE
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_config_path_is_not_served(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["web", "--config-path"])
    assert exit_info.value.code == EXIT_USAGE
    assert "--config-path is not an option of the served app" in capsys.readouterr().err


def test_each_browser_tab_runs_the_app_with_the_given_options() -> None:
    command = shlex.split(app_command(["--kiosk", "--env", "my shop"]))
    assert command == ["exec", sys.executable, "-m", "accountdesk", "--kiosk", "--env", "my shop"]


def test_public_url_must_be_a_web_address(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["web", "--public-url", "kiosk.example.com", "--port", "0"])
    assert exit_info.value.code == EXIT_USAGE
    assert "--public-url must start with http:// or https://" in capsys.readouterr().err
