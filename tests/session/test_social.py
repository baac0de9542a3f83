"""Social login's non-UI part: PKCE, the authorize URL, the loopback listener, configuration,
and the whole sign-in through the sandbox's fake identity provider."""

from __future__ import annotations

import asyncio
import re
import string
import uuid
import webbrowser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from accountdesk.api import BadRequestError
from accountdesk.session import (
    ConfigError,
    Environment,
    MemoryTokenStore,
    SessionState,
    load_settings,
    open_account,
)
from accountdesk.session.config import SocialLoginSettings
from accountdesk.session.social import (
    IdentityProvider,
    Pkce,
    SocialLoginAttempt,
    SocialLoginError,
    authorize_url,
    identity_provider_for,
    open_in_browser,
    s256_challenge,
)

AUTH0 = IdentityProvider(
    authorize_endpoint="https://shop.eu.auth0.com/authorize",
    client_id="spa-client",
    extra_params={"connection": "google-oauth2"},
)


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


# -- PKCE -------------------------------------------------------------------------------------


def test_s256_matches_rfc_7636_appendix_b() -> None:
    assert (
        s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_generated_pairs_follow_rfc_7636() -> None:
    unreserved = set(string.ascii_letters + string.digits + "-._~")
    first, second = Pkce.generate(), Pkce.generate()
    assert 43 <= len(first.verifier) <= 128
    assert set(first.verifier) <= unreserved
    assert first.challenge == s256_challenge(first.verifier)
    assert first.method == "S256"
    assert first.verifier != second.verifier
    assert first.verifier not in repr(first)


# -- the authorize URL ------------------------------------------------------------------------


def test_authorize_url_carries_the_code_flow_with_pkce() -> None:
    url = authorize_url(
        AUTH0,
        redirect_uri="http://127.0.0.1:5000/callback",
        state="the-state",
        code_challenge="the-challenge",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "shop.eu.auth0.com", "/authorize")
    assert query_of(url) == {
        "response_type": "code",
        "client_id": "spa-client",
        "redirect_uri": "http://127.0.0.1:5000/callback",
        "scope": "openid email profile",
        "state": "the-state",
        "code_challenge": "the-challenge",
        "code_challenge_method": "S256",
        "connection": "google-oauth2",
    }


def test_authorize_url_keeps_the_endpoints_query_but_not_over_the_flow() -> None:
    provider = IdentityProvider(
        authorize_endpoint="https://idp.example/authorize?audience=shop&state=stale",
        client_id="c",
    )
    query = query_of(authorize_url(provider, redirect_uri="r", state="fresh", code_challenge="x"))
    assert query["audience"] == "shop"
    assert query["state"] == "fresh"


# -- configuration ----------------------------------------------------------------------------


def real_environment(**social: Any) -> Environment:
    return Environment(
        name="prod",
        base_url="https://api.emporix.io",
        tenant="acmeshop",
        client_id="prod-storefront",
        social_login=SocialLoginSettings(**social) if social else None,
    )


def test_the_sandbox_brings_its_own_identity_provider() -> None:
    provider = identity_provider_for(
        real_environment(), base_url="http://127.0.0.1:8000", sandbox=True
    )
    assert provider.sandbox
    assert provider.authorize_endpoint == "http://127.0.0.1:8000/_sandbox/social/authorize"
    assert provider.extra_params == {"tenant": "acmeshop"}
    assert provider.client_id == "prod-storefront"


def test_a_real_tenant_without_settings_says_what_is_missing() -> None:
    with pytest.raises(SocialLoginError) as caught:
        identity_provider_for(real_environment(), base_url="https://api.emporix.io", sandbox=False)
    assert caught.value.code == "social_not_configured"
    assert caught.value.params == {"environment": "prod"}


def test_a_real_tenant_uses_its_auth0_settings() -> None:
    environment = real_environment(
        auth0_domain="https://shop.eu.auth0.com/", client_id="spa", connection="github"
    )
    provider = identity_provider_for(environment, base_url="https://x", sandbox=False)
    assert provider == IdentityProvider(
        authorize_endpoint="https://shop.eu.auth0.com/authorize",
        client_id="spa",
        extra_params={"connection": "github"},
    )
    explicit = real_environment(authorize_url="https://login.shop.example/authorize", client_id="s")
    assert (
        identity_provider_for(explicit, base_url="https://x", sandbox=False).authorize_endpoint
        == "https://login.shop.example/authorize"
    )


@pytest.mark.parametrize(
    ("social", "problem"),
    [
        ({"client_id": "c"}, "exactly one"),
        (
            {"client_id": "c", "auth0_domain": "a.auth0.com", "authorize_url": "https://a/x"},
            "exactly one",
        ),
        ({"client_id": "c", "authorize_url": "http://insecure.example/x"}, "https://"),
        ({"client_id": "c", "auth0_domain": "a.auth0.com/path"}, "host name"),
        ({"client_id": "", "auth0_domain": "a.auth0.com"}, "at least 1 character"),
        ({"client_id": "c", "auth0_domain": "a.auth0.com", "redirect_port": 70000}, "65535"),
    ],
)
def test_invalid_social_settings_are_refused(social: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        real_environment(**social)


def test_social_login_settings_come_from_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'environment = "prod"\n'
        "[environments.prod]\n"
        'base_url = "https://api.emporix.io"\n'
        'tenant = "acmeshop"\n'
        'client_id = "prod-storefront"\n'
        "[environments.prod.social_login]\n"
        'auth0_domain = "shop.eu.auth0.com"\n'
        'client_id = "spa-client"\n'
        "redirect_port = 8765\n"
    )
    monkeypatch.setenv("ACCOUNTDESK_CONFIG", str(path))
    settings = load_settings()
    prod = settings.resolve_environment()
    assert prod.social_login is not None
    assert prod.social_login.authorize_endpoint == "https://shop.eu.auth0.com/authorize"
    assert prod.social_login.redirect_port == 8765
    # Another gateway for the same tenant keeps the provider; another tenant does not.
    assert settings.resolve_environment(base_url="http://127.0.0.1:9").social_login is not None
    assert settings.resolve_environment(tenant="othershop").social_login is None
    path.write_text(path.read_text().replace('client_id = "spa-client"\n', ""))
    with pytest.raises(ConfigError, match=re.escape("social_login.client_id")):
        load_settings()


# -- the loopback listener --------------------------------------------------------------------


async def redirect(attempt: SocialLoginAttempt, **params: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=5) as client:
        return await client.get(attempt.redirect_uri, params=params)


async def test_the_listener_receives_the_code() -> None:
    async with SocialLoginAttempt(AUTH0) as attempt:
        assert attempt.redirect_uri.startswith("http://127.0.0.1:")
        assert urlsplit(attempt.redirect_uri).path == "/callback"
        query = query_of(attempt.authorize_url)
        assert query["redirect_uri"] == attempt.redirect_uri
        assert query["state"] == attempt.state
        assert query["code_challenge"] == s256_challenge(attempt.pkce.verifier)
        waiting = asyncio.create_task(attempt.wait_for_code(10))
        answer = await redirect(attempt, code="the-code", state=attempt.state)
        assert answer.status_code == 200
        assert "return to Account Desk" in answer.text
        assert await waiting == "the-code"
        # One-shot: a second redirect changes nothing.
        again = await redirect(attempt, code="other", state=attempt.state)
        assert again.status_code == 410
    with pytest.raises(httpx.ConnectError):
        await redirect(attempt, code="late", state=attempt.state)


async def test_a_redirect_with_another_state_is_refused() -> None:
    async with SocialLoginAttempt(AUTH0) as attempt:
        answer = await redirect(attempt, code="forged", state="not-" + attempt.state)
        assert answer.status_code == 400
        with pytest.raises(SocialLoginError) as caught:
            await attempt.wait_for_code(10)
        assert caught.value.code == "social_state_mismatch"


async def test_a_redirect_without_state_is_refused() -> None:
    async with SocialLoginAttempt(AUTH0) as attempt:
        assert (await redirect(attempt, code="forged")).status_code == 400
        with pytest.raises(SocialLoginError, match="state"):
            await attempt.wait_for_code(10)


async def test_the_providers_refusal_ends_the_attempt() -> None:
    async with SocialLoginAttempt(AUTH0) as attempt:
        await redirect(attempt, error="access_denied", state=attempt.state)
        with pytest.raises(SocialLoginError) as caught:
            await attempt.wait_for_code(10)
        assert caught.value.code == "social_refused"
        assert caught.value.params == {"reason": "access_denied"}


async def test_other_paths_do_not_settle_the_attempt() -> None:
    async with SocialLoginAttempt(AUTH0) as attempt:
        async with httpx.AsyncClient(timeout=5) as client:
            favicon = await client.get(attempt.redirect_uri.replace("/callback", "/favicon.ico"))
            assert favicon.status_code == 404
            garbage = await client.post(attempt.redirect_uri, content=b"x")
            assert garbage.status_code == 404
        waiting = asyncio.create_task(attempt.wait_for_code(10))
        await redirect(attempt, code="the-code", state=attempt.state)
        assert await waiting == "the-code"


async def test_waiting_too_long_gives_up_with_the_deadline() -> None:
    async with SocialLoginAttempt(AUTH0) as attempt:
        with pytest.raises(SocialLoginError) as caught:
            await attempt.wait_for_code(0.05)
        assert caught.value.code == "social_timeout"
        assert caught.value.params == {"seconds": "0"}


async def test_a_taken_port_is_a_social_login_error() -> None:
    async with SocialLoginAttempt(AUTH0) as first:
        port = urlsplit(first.redirect_uri).port
        assert port is not None
        fixed = IdentityProvider(
            authorize_endpoint="https://a/authorize", client_id="c", redirect_port=port
        )
        with pytest.raises(SocialLoginError) as caught:
            async with SocialLoginAttempt(fixed):
                pass
        assert caught.value.code == "social_listener_failed"


# -- the browser ------------------------------------------------------------------------------


class GraphicalBrowser(webbrowser.BackgroundBrowser):
    def __init__(self) -> None:
        super().__init__("true")
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return True


def test_a_graphical_browser_opens_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    browser = GraphicalBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda: browser)
    assert open_in_browser("https://idp.example/authorize") is True
    assert browser.opened == ["https://idp.example/authorize"]


def test_a_console_browser_is_not_started_over_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    console = webbrowser.GenericBrowser("lynx")
    monkeypatch.setattr(console, "open", pytest.fail)
    monkeypatch.setattr(webbrowser, "get", lambda: console)
    assert open_in_browser("https://idp.example/authorize") is False

    def no_browser() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    assert open_in_browser("https://idp.example/authorize") is False


# -- through the sandbox's fake identity provider ----------------------------------------------


async def test_sign_in_at_the_sandbox_idp_logs_the_customer_in(fresh_tenant: Any) -> None:
    account = open_account(
        fresh_tenant.base_url,
        fresh_tenant.tenant,
        fresh_tenant.client_id,
        MemoryTokenStore(),
        environment_key="test",
    )
    environment = Environment(
        name="t",
        base_url=fresh_tenant.base_url,
        tenant=fresh_tenant.tenant,
        client_id=fresh_tenant.client_id,
    )
    provider = identity_provider_for(environment, base_url=fresh_tenant.base_url, sandbox=True)
    email = f"social-{uuid.uuid4().hex[:8]}@example.com"
    try:
        async with SocialLoginAttempt(provider) as attempt:
            with pytest.raises(BadRequestError) as refused:
                await account.sign_in_at_sandbox_idp(attempt, "not-an-email")
            assert set(refused.value.field_errors) == {"email"}
            waiting = asyncio.create_task(account.finish_social_login(attempt, seconds=10))
            await account.sign_in_at_sandbox_idp(attempt, email)
            await waiting
        assert account.session.state is SessionState.LOGGED_IN
        assert account.session.customer_email == email
        profile = await account.load_profile()
        [login] = profile.accounts
        assert login.id == email
        assert login.provider_id is not None
    finally:
        await account.session.aclose()
