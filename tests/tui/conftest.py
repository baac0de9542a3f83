"""Fixtures for the TUI tests: an app aimed at the running test sandbox, isolated from $HOME."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import isolate_user_dirs
from textual.widgets import Input, TextArea

from accountdesk.session import Environment, MemoryTokenStore, Settings, TokenStore
from accountdesk.session import social as social_module
from accountdesk.session.social import IdentityProvider, Pkce
from accountdesk.tui import i18n
from accountdesk.tui.app import AccountDeskApp


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, data, state and cache under tmp_path; no real keyring; no ACCOUNTDESK_* leaks."""
    return isolate_user_dirs(tmp_path / "home", monkeypatch)


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """English whatever the machine's locale; a test that switched the language (an app built
    with ``language="de"``) leaves English behind for the next one."""
    monkeypatch.setenv("LANGUAGE", "en")
    yield
    i18n.use_language(i18n.SOURCE_LANGUAGE)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic screens: the Input and TextArea cursors never toggle."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda _self: None)


@pytest.fixture
def sandbox_environment(sandbox: Any) -> Environment:
    """The session-scoped test sandbox as an Account Desk environment."""
    return Environment(
        name="test-sandbox",
        base_url=sandbox.base_url,
        tenant=sandbox.tenant,
        client_id=sandbox.client_id,
    )


@pytest.fixture
def make_app(sandbox_environment: Environment) -> Callable[..., AccountDeskApp]:
    """``make_app(environment=None, token_store=None, settings=None, **options)``: an app on
    the test sandbox.

    Defaults: the shared test sandbox and a fresh `MemoryTokenStore`. Pass ``environment`` to
    aim elsewhere (e.g. a ``fresh_tenant``), or ``Environment(base_url=None, ...)`` for the
    embedded sandbox subprocess. ``options`` go to the app (e.g. a fake ``clock``).
    """

    def build(
        environment: Environment | None = None,
        token_store: TokenStore | None = None,
        settings: Settings | None = None,
        **options: Any,
    ) -> AccountDeskApp:
        return AccountDeskApp(
            settings or Settings(),
            environment or sandbox_environment,
            token_store=token_store if token_store is not None else MemoryTokenStore(),
            **options,
        )

    return build


@pytest.fixture
def embedded_app(make_app: Callable[..., AccountDeskApp]) -> AccountDeskApp:
    """An app that starts its own embedded sandbox (the demo customer seeded), for snapshots."""
    return make_app(
        Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront")
    )


@pytest.fixture
def pinned_mail_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mailbox times shown as one fixed moment, for snapshots. The messages carry the sandbox
    clock's "now"; only its display is pinned, after checking it is a real timestamp."""
    from datetime import datetime

    from accountdesk.tui.screens import mailbox

    def pinned(created_at: str) -> str:
        datetime.fromisoformat(created_at.replace("Z", "+00:00"))
        return "24 Jun 09:30:00"

    monkeypatch.setattr(mailbox, "format_received", pinned)


# Below the kernel's ephemeral range (32768+): nothing else picks it by chance.
PINNED_PORT = 29517
PINNED_SANDBOX = "http://127.0.0.1:8000"


@pytest.fixture
def pinned_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same state, verifier, sandbox address and listener port in every run."""
    monkeypatch.setattr(social_module, "new_state", lambda: "pinned-state")
    verifier = "pinned-verifier-" + "x" * 40
    monkeypatch.setattr(
        Pkce,
        "generate",
        classmethod(lambda cls: cls(verifier, social_module.s256_challenge(verifier))),
    )
    real_provider_for = social_module.identity_provider_for

    def pinned_provider(*args: Any, **kwargs: Any) -> IdentityProvider:
        provider = real_provider_for(*args, **kwargs)
        endpoint = provider.authorize_endpoint
        if provider.sandbox:
            endpoint = PINNED_SANDBOX + social_module.SANDBOX_AUTHORIZE_PATH
        return dataclasses.replace(provider, authorize_endpoint=endpoint, redirect_port=PINNED_PORT)

    # The login screen imports it from the session module when Log in with Auth0 is chosen.
    monkeypatch.setattr(social_module, "identity_provider_for", pinned_provider)
