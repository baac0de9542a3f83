"""Settings: TOML file < ACCOUNTDESK_* env vars < CLI overrides, named environments."""

from __future__ import annotations

from pathlib import Path

import pytest

from accountdesk.session import ConfigError, Environment, Settings, config_path, load_settings

PROD_TOML = """
environment = "prod"
token_store = "file"
theme = "nord"

[environments.prod]
base_url = "https://api.emporix.io/"
tenant = "acmeshop"
client_id = "prod-storefront"

[environments.staging]
base_url = "https://api.emporix.io"
tenant = "acmestaging"
client_id = "staging-storefront"
"""


@pytest.fixture
def config_file(isolated_user_dirs: Path) -> Path:
    path = isolated_user_dirs / "config" / "accountdesk" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(PROD_TOML)
    return path


def test_config_path_is_under_the_user_config_dir(isolated_user_dirs: Path) -> None:
    assert config_path() == isolated_user_dirs / "config" / "accountdesk" / "config.toml"


def test_config_path_can_be_overridden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ACCOUNTDESK_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config_path() == tmp_path / "elsewhere.toml"


def test_defaults_select_the_embedded_sandbox() -> None:
    settings = load_settings()
    assert settings.environment == "sandbox"
    assert settings.token_store == "auto"
    assert settings.kiosk is False
    sandbox = settings.resolve_environment()
    assert sandbox == Environment(
        name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront"
    )
    assert sandbox.is_sandbox
    assert sandbox.key == "embedded-sandbox|demo"


def test_toml_file_defines_environments(config_file: Path) -> None:
    settings = load_settings()
    assert settings.environment == "prod"
    assert settings.token_store == "file"
    assert settings.theme == "nord"
    prod = settings.resolve_environment()
    assert prod.name == "prod"
    assert prod.base_url == "https://api.emporix.io"  # trailing slash dropped
    assert prod.tenant == "acmeshop"
    assert prod.client_id == "prod-storefront"
    assert prod.key == "https://api.emporix.io|acmeshop"
    assert not prod.is_sandbox
    # The built-in sandbox stays available next to the file's environments.
    assert sorted(settings.environments) == ["prod", "sandbox", "staging"]


def test_config_env_var_points_at_another_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "team.toml"
    other.write_text(PROD_TOML.replace('environment = "prod"', 'environment = "staging"'))
    monkeypatch.setenv("ACCOUNTDESK_CONFIG", str(other))
    assert load_settings().resolve_environment().tenant == "acmestaging"


def test_env_vars_beat_the_file(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTDESK_ENVIRONMENT", "staging")
    monkeypatch.setenv("ACCOUNTDESK_TOKEN_STORE", "memory")
    monkeypatch.setenv("ACCOUNTDESK_KIOSK", "true")
    # Nested values merge into the file's table instead of replacing it.
    monkeypatch.setenv("ACCOUNTDESK_ENVIRONMENTS__PROD__TENANT", "acmeother")
    settings = load_settings()
    assert settings.environment == "staging"
    assert settings.token_store == "memory"
    assert settings.kiosk is True
    prod = settings.environments["prod"]
    assert prod.tenant == "acmeother"
    assert prod.base_url == "https://api.emporix.io"
    assert prod.client_id == "prod-storefront"


def test_cli_beats_env_vars_and_file(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTDESK_ENVIRONMENT", "staging")
    monkeypatch.setenv("ACCOUNTDESK_TOKEN_STORE", "memory")
    settings = load_settings(environment="sandbox", token_store="keyring", kiosk=None)
    assert settings.environment == "sandbox"
    assert settings.token_store == "keyring"
    assert settings.kiosk is False  # None = flag not given: the lower layers decide


def test_env_var_can_add_a_whole_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTDESK_ENVIRONMENTS__LOCAL__BASE_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("ACCOUNTDESK_ENVIRONMENTS__LOCAL__TENANT", "demo")
    monkeypatch.setenv("ACCOUNTDESK_ENVIRONMENTS__LOCAL__CLIENT_ID", "demo-storefront")
    local = load_settings().resolve_environment("local")
    assert local.name == "local"
    assert local.key == "http://127.0.0.1:8000|demo"


def test_unknown_environment_lists_the_known_ones(config_file: Path) -> None:
    settings = load_settings()
    with pytest.raises(ConfigError) as caught:
        settings.resolve_environment("prd")
    assert str(caught.value) == (
        "Unknown environment 'prd'. Known environments: prod, sandbox, staging."
    )


def test_unknown_default_environment_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCOUNTDESK_ENVIRONMENT", "prod")
    with pytest.raises(ConfigError, match=r"Unknown environment 'prod'\. Known environments: "):
        load_settings()


def test_overrides_build_an_ad_hoc_environment(config_file: Path) -> None:
    settings = load_settings()
    custom = settings.resolve_environment(
        None, base_url="https://eu.example.com/api/", tenant="shop", client_id="sf"
    )
    assert custom == Environment(
        name="custom", base_url="https://eu.example.com/api", tenant="shop", client_id="sf"
    )
    # Only --base-url: tenant and client id come from the selected environment.
    local = load_settings().resolve_environment("sandbox", base_url="http://127.0.0.1:8000")
    assert (local.name, local.tenant, local.client_id) == ("custom", "demo", "demo-storefront")
    # Only --tenant: same deployment, other tenant.
    other = settings.resolve_environment("prod", tenant="acmetwo")
    assert (other.name, other.base_url, other.tenant) == (
        "prod",
        "https://api.emporix.io",
        "acmetwo",
    )


@pytest.mark.parametrize("tenant", ["demo", "abc", "shop2024", "a" * 16])
def test_valid_tenants(tenant: str) -> None:
    assert load_settings().resolve_environment(tenant=tenant).tenant == tenant


@pytest.mark.parametrize("tenant", ["ab", "a" * 17, "Demo", "1shop", "my-shop", "my_shop", ""])
def test_invalid_tenants_are_explained(tenant: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings().resolve_environment(tenant=tenant)
    message = str(caught.value)
    assert message.startswith("Invalid configuration (command-line flags):")
    assert "tenant:" in message
    assert "3-16 lowercase letters and digits, starting with a letter" in message


@pytest.mark.parametrize("url", ["api.emporix.io", "ftp://api.emporix.io", "https://"])
def test_invalid_base_urls_are_explained(url: str) -> None:
    with pytest.raises(ConfigError, match="must be an http:// or https:// URL"):
        load_settings().resolve_environment(base_url=url)


def test_invalid_tenant_in_the_file_names_the_field(config_file: Path) -> None:
    config_file.write_text(config_file.read_text().replace('"acmeshop"', '"Acme-Shop"'))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "environments.prod.tenant" in str(caught.value)
    assert str(config_file) in str(caught.value)


def test_misspelt_key_is_an_error_not_ignored(config_file: Path) -> None:
    config_file.write_text('token_stor = "file"\n')
    with pytest.raises(ConfigError, match="token_stor"):
        load_settings()


def test_invalid_token_store_value_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTDESK_TOKEN_STORE", "disk")
    with pytest.raises(ConfigError, match="token_store"):
        load_settings()


def test_broken_toml_names_the_file(config_file: Path) -> None:
    config_file.write_text("environment = \n")
    with pytest.raises(ConfigError, match=r"Cannot read .*config\.toml"):
        load_settings()


def test_file_may_redefine_the_sandbox_environment(config_file: Path) -> None:
    config_file.write_text(
        '[environments.sandbox]\nbase_url = "http://127.0.0.1:9000"\n'
        'tenant = "demo"\nclient_id = "demo-storefront"\n'
    )
    sandbox = load_settings().resolve_environment()
    assert sandbox.base_url == "http://127.0.0.1:9000"
    assert not sandbox.is_sandbox


def test_settings_can_be_built_directly() -> None:
    assert isinstance(Settings(), Settings)


KIOSK_TOML = """
kiosk = true

[kiosk_options]
idle_seconds = 90
warning_seconds = 15
allow = ["quit", "api_log"]
operator_pin = "4711-staff"
"""


def test_kiosk_options_come_from_their_own_table(config_file: Path) -> None:
    config_file.write_text(KIOSK_TOML)
    settings = load_settings()
    assert settings.kiosk is True
    options = settings.kiosk_options
    assert (options.idle_seconds, options.warning_seconds) == (90, 15)
    assert settings.kiosk_allows("api_log")
    assert not settings.kiosk_allows("theme")
    assert options.operator_pin is not None
    assert options.operator_pin.get_secret_value() == "4711-staff"
    assert "4711" not in repr(settings)
    assert "4711" not in str(options)


def test_the_kiosk_flag_keeps_the_files_kiosk_options(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text(KIOSK_TOML.replace("kiosk = true", "kiosk = false"))
    assert not load_settings().kiosk
    assert load_settings().kiosk_allows("theme")  # not a kiosk: everything is offered
    monkeypatch.setenv("ACCOUNTDESK_KIOSK", "true")
    settings = load_settings(kiosk=True)
    assert settings.kiosk
    assert settings.kiosk_options.idle_seconds == 90
    assert settings.kiosk_options.operator_pin is not None


def test_kiosk_defaults_allow_nothing() -> None:
    settings = load_settings(kiosk=True)
    assert settings.kiosk_options.idle_seconds == 120
    assert settings.kiosk_options.warning_seconds == 20
    assert settings.kiosk_options.operator_pin is None
    assert not any(
        settings.kiosk_allows(feature)
        for feature in ("quit", "theme", "environment", "config_path", "api_log", "mailbox")
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('allow = ["shell"]', "kiosk_options.allow"),
        ("idle_seconds = 5", "kiosk_options.idle_seconds"),
        ("idle_seconds = 60\nwarning_seconds = 60", "warning_seconds must be shorter"),
        ('operator_pin = "12"', "kiosk_options.operator_pin"),
        ("idle = 60", "kiosk_options.idle"),
    ],
)
def test_invalid_kiosk_options_are_explained(config_file: Path, line: str, problem: str) -> None:
    config_file.write_text(f"[kiosk_options]\n{line}\n")
    with pytest.raises(ConfigError, match=problem):
        load_settings()
