"""With a real OS keyring (the Secret Service), "Remember me" is offered, and it works."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from helpers import DEMO_EMAIL, DEMO_PASSWORD, settle, wait_mode, wait_ready
from keyring.backends import SecretService
from textual.widgets import Checkbox

from accountdesk.session import Environment, Settings
from accountdesk.tui.app import AccountDeskApp
from secret_service import SecretServiceBus, running_secret_service


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretServiceBus]:
    with running_secret_service(tmp_path_factory.mktemp("secret-service")) as bus:
        yield bus


async def test_remember_me_is_enabled_and_a_new_start_resumes(
    secret_service: SecretServiceBus,
    sandbox_environment: Environment,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    for name, value in secret_service.environment.items():
        monkeypatch.setenv(name, value)
    # Set, not configured by environment: keyring keeps the backend it loaded first.
    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    request.addfinalizer(lambda: keyring.set_keyring(previous))

    first = AccountDeskApp(Settings(), sandbox_environment)
    async with first.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, first)
        await settle(pilot)
        checkbox = first.screen.query_one("#login-remember Checkbox", Checkbox)
        assert first.store_remembers
        assert not checkbox.disabled
        await first.account.log_in(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
        await wait_mode(pilot, first, "account")

    second = AccountDeskApp(Settings(), sandbox_environment)
    async with second.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot, second)
        await wait_mode(pilot, second, "account")
        assert second.customer_email == DEMO_EMAIL
        await second.account.log_out()
        await settle(pilot)
