"""Configuration: named environments and app options from TOML, env vars and CLI flags.

Precedence, highest first: CLI overrides (init kwargs) > ``ACCOUNTDESK_*`` env vars > the TOML
file > defaults. The built-in ``sandbox`` environment (the embedded emulator) always exists
unless the TOML file defines its own environment of that name.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from accountdesk.session.locations import CONFIG_ENV_VAR, config_path

SANDBOX_ENVIRONMENT = "sandbox"
SANDBOX_TENANT = "demo"
SANDBOX_CLIENT_ID = "demo-storefront"
AD_HOC_ENVIRONMENT = "custom"

# The Emporix spec's tenant path parameter: lowercase, starts with a letter, 3-16 characters.
TENANT_PATTERN = r"^[a-z][a-z0-9]+$"

TokenStoreSetting = Literal["auto", "keyring", "file", "memory"]

# What a kiosk may still offer (`KioskOptions.allow`); everything else that leads out of the
# customer's own flows is off.
KioskFeature = Literal[
    "quit", "theme", "environment", "config_path", "api_log", "mailbox", "reconnect", "screenshot"
]


class ConfigError(Exception):
    """The configuration (file, env vars or CLI flags) is invalid; the message says what to fix."""


class SocialLoginSettings(BaseModel):
    """The storefront's identity provider for "Log in with Auth0" (one per environment).

    Emporix's socialLogin redeems an authorization code that the tenant's Auth0 application
    issued, so the app needs that application's authorize endpoint and client id. Give
    ``auth0_domain`` (``https://{domain}/authorize``) or a full ``authorize_url``, not both.
    The identity provider must accept ``http://127.0.0.1:{port}/callback`` as a callback URL;
    ``redirect_port`` 0 picks a free port each time (RFC 8252), a fixed one suits providers
    that only accept listed URLs.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    auth0_domain: str | None = None
    authorize_url: str | None = None
    client_id: str = Field(min_length=1)
    # Auth0's `connection` (e.g. "google-oauth2") skips its chooser of identity providers.
    connection: str | None = None
    redirect_port: int = Field(default=0, ge=0, le=65535)

    @field_validator("auth0_domain")
    @classmethod
    def _check_domain(cls, value: str | None) -> str | None:
        if value is None:
            return None
        domain = value.strip().removeprefix("https://").rstrip("/")
        if not domain or "/" in domain or " " in domain:
            raise ValueError("must be a host name, e.g. mystore.eu.auth0.com")
        return domain

    @field_validator("authorize_url")
    @classmethod
    def _check_authorize_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError("must be an https:// URL, e.g. https://mystore.eu.auth0.com/authorize")
        return value.strip()

    @model_validator(mode="after")
    def _one_endpoint(self) -> Self:
        if (self.auth0_domain is None) == (self.authorize_url is None):
            raise ValueError("give either auth0_domain or authorize_url (exactly one)")
        return self

    @property
    def authorize_endpoint(self) -> str:
        """Where the browser is sent to sign in."""
        if self.authorize_url is not None:
            return self.authorize_url
        return f"https://{self.auth0_domain}/authorize"


class KioskOptions(BaseModel):
    """How a kiosk (``kiosk = true``) behaves: ``[kiosk_options]`` in config.toml.

    A kiosk is a shared terminal left unattended. After ``idle_seconds`` without a key or a
    click the session ends and every trace of the customer is wiped; the last
    ``warning_seconds`` are counted down on screen. ``allow`` turns features back on that a
    kiosk hides (the ways out to a shell, the developer views). ``operator_pin`` unlocks the
    operator menu (quit, reconnect) behind the operator key; without it that menu is off and
    the kiosk is stopped from outside (its service manager).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    idle_seconds: int = Field(default=120, ge=30, le=86_400)
    warning_seconds: int = Field(default=20, ge=5, le=300)
    allow: frozenset[KioskFeature] = frozenset()
    operator_pin: SecretStr | None = Field(default=None, min_length=4)

    @model_validator(mode="after")
    def _warning_within_idle(self) -> Self:
        if self.warning_seconds >= self.idle_seconds:
            raise ValueError("warning_seconds must be shorter than idle_seconds")
        return self

    def allows(self, feature: KioskFeature) -> bool:
        return feature in self.allow


class Environment(BaseModel):
    """One Emporix deployment to talk to: base URL, tenant and storefront client id.

    ``base_url`` None means the embedded sandbox, whose URL is only known once it started.
    ``social_login`` configures "Log in with Auth0" for a real tenant (the sandboxes bring
    their own fake identity provider).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    base_url: str | None = None
    tenant: str
    client_id: str = Field(min_length=1)
    social_login: SocialLoginSettings | None = None

    @field_validator("tenant")
    @classmethod
    def _check_tenant(cls, value: str) -> str:
        if not (3 <= len(value) <= 16 and re.fullmatch(TENANT_PATTERN, value)):
            raise ValueError(
                f"{value!r} is not a tenant name: use 3-16 lowercase letters and digits, "
                "starting with a letter"
            )
        return value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL, e.g. https://api.emporix.io")
        # One canonical spelling, so the token-store key does not depend on a trailing slash.
        return value.strip().rstrip("/")

    @property
    def is_sandbox(self) -> bool:
        """True for the embedded emulator, which the app starts itself."""
        return self.base_url is None

    @property
    def key(self) -> str:
        """Token-store key: a remembered session belongs to one deployment and tenant."""
        return f"{self.base_url or 'embedded-sandbox'}|{self.tenant}"


def _builtin_sandbox() -> Environment:
    return Environment(
        name=SANDBOX_ENVIRONMENT, base_url=None, tenant=SANDBOX_TENANT, client_id=SANDBOX_CLIENT_ID
    )


def _format_validation_error(error: ValidationError, source: str) -> str:
    problems = error.errors()
    if len(problems) == 1 and not problems[0]["loc"]:
        # A whole-settings rule (an unknown environment name): its message names the culprit.
        return str(problems[0]["msg"]).removeprefix("Value error, ")
    lines = [f"Invalid configuration ({source}):"]
    for item in problems:
        location = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"  {location}: {message}")
    return "\n".join(lines)


class Settings(BaseSettings):
    """Application settings. Build with `load_settings` to get readable errors."""

    model_config = SettingsConfigDict(
        env_prefix="ACCOUNTDESK_",
        env_nested_delimiter="__",
        # A misspelt key in config.toml should be an error, not a silently ignored line.
        extra="forbid",
    )

    environments: dict[str, Environment] = Field(
        default_factory=lambda: {SANDBOX_ENVIRONMENT: _builtin_sandbox()}
    )
    environment: str = SANDBOX_ENVIRONMENT
    token_store: TokenStoreSetting = "auto"  # noqa: S105 - a store kind, not a secret
    kiosk: bool = False
    # A table of its own, not `[kiosk]`: `kiosk = true` (the flag, ACCOUNTDESK_KIOSK) must be
    # able to switch kiosk mode on without replacing the file's kiosk options.
    kiosk_options: KioskOptions = Field(default_factory=KioskOptions)
    theme: str = "textual-dark"
    # The UI's language ("en", "de"); unset: the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
    language: str | None = None
    # After login, speak the customer's preferredLanguage when it is one the UI ships.
    follow_customer_language: bool = True
    # Binding id -> keys, e.g. {"toggle-api-log": "f12"}: for keys a terminal or multiplexer
    # (tmux, zellij, wezterm) already takes. README.md lists the ids.
    keymap: dict[str, str] = Field(default_factory=dict)
    # Where the screenshot key and the API log's HAR export offer to save (the prompt shows it
    # and takes another folder); None: the user's pictures or downloads folder, else the cwd.
    export_dir: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The path is resolved per instantiation so ACCOUNTDESK_CONFIG set at runtime counts.
        # No dotenv: a stray .env in the working directory must not change which tenant we hit.
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_path())
        return init_settings, env_settings, toml

    @model_validator(mode="before")
    @classmethod
    def _name_environments(cls, data: Any) -> Any:
        # In TOML the name is the table key ([environments.prod]); copy it into the model.
        if not isinstance(data, dict):
            return data
        environments = data.get("environments")
        if isinstance(environments, dict):
            named: dict[str, Any] = {}
            for name, value in environments.items():
                if isinstance(value, dict):
                    value = {**value, "name": name}
                elif isinstance(value, Environment) and value.name != name:
                    value = value.model_copy(update={"name": name})
                named[name] = value
            data = {**data, "environments": named}
        return data

    @model_validator(mode="after")
    def _check_environment(self) -> Self:
        self.environments.setdefault(SANDBOX_ENVIRONMENT, _builtin_sandbox())
        if self.environment not in self.environments:
            raise ValueError(self._unknown_environment(self.environment))
        return self

    def kiosk_allows(self, feature: KioskFeature) -> bool:
        """Whether ``feature`` is offered: always outside kiosk mode, in it when allowed."""
        return not self.kiosk or self.kiosk_options.allows(feature)

    def _unknown_environment(self, name: str) -> str:
        known = ", ".join(sorted(self.environments))
        return f"Unknown environment {name!r}. Known environments: {known}."

    def resolve_environment(
        self,
        name: str | None = None,
        base_url: str | None = None,
        tenant: str | None = None,
        client_id: str | None = None,
    ) -> Environment:
        """The environment to use after ``--env`` / ``--base-url --tenant --client-id`` flags.

        Starts from the named environment (or the configured default) and overlays the given
        values. Overriding ``base_url`` makes it an ad-hoc environment named ``custom``, e.g.
        ``--base-url http://127.0.0.1:8000`` talks to a separately started sandbox.
        Raises `ConfigError` for an unknown name or an invalid override.
        """
        selected = name or self.environment
        base = self.environments.get(selected)
        if base is None:
            raise ConfigError(self._unknown_environment(selected))
        if base_url is None and tenant is None and client_id is None:
            return base
        # The identity provider belongs to the tenant: another tenant needs its own.
        same_tenant = tenant is None or tenant == base.tenant
        try:
            return Environment(
                name=AD_HOC_ENVIRONMENT if base_url is not None else base.name,
                base_url=base_url if base_url is not None else base.base_url,
                tenant=tenant if tenant is not None else base.tenant,
                client_id=client_id if client_id is not None else base.client_id,
                social_login=base.social_login if same_tenant else None,
            )
        except ValidationError as error:
            raise ConfigError(_format_validation_error(error, "command-line flags")) from None


def load_settings(**overrides: Any) -> Settings:
    """Build `Settings` with CLI ``overrides``; raises `ConfigError` with a readable message."""
    # None means "flag not given": it must not shadow the env var or the file.
    given = {key: value for key, value in overrides.items() if value is not None}
    path = config_path()
    if os.environ.get(CONFIG_ENV_VAR) and not path.is_file():
        # A file named on purpose may hold `kiosk = true`: running without it would start a
        # kiosk as an ordinary app, with quit, themes and the API log.
        raise ConfigError(f"Cannot read {path}: there is no such file ({CONFIG_ENV_VAR} names it).")
    try:
        return Settings(**given)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"Cannot read {path}: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigError(f"Cannot read {path}: {reason}") from None
    except ValidationError as error:
        source = f"{config_path()}, ACCOUNTDESK_* variables or command-line flags"
        raise ConfigError(_format_validation_error(error, source)) from None


# `kiosk = …` on a line of its own: how a file that is not TOML may still say it is a kiosk's.
_KIOSK_LINE = re.compile(r"""^\s*kiosk\s*=\s*["']?([^"'#\s]*)""", re.MULTILINE)


def kiosk_requested(flag: bool | None = None) -> bool:
    """Whether kiosk mode is asked for, judged without loading the settings: for when they do
    not load. By ``flag`` (``--kiosk``), ``ACCOUNTDESK_KIOSK`` or the file's ``kiosk`` key, read
    line by line if the file is not TOML. A kiosk fails closed: a value that is not clearly
    false counts as asking."""
    if flag:
        return True
    for name, value in os.environ.items():
        # Matched as pydantic-settings does: the name in any case.
        if name.lower() == "accountdesk_kiosk" and not _clearly_false(value):
            return True
    try:
        text = config_path().read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return False  # no file (or none to read): nothing in it asks for a kiosk
    try:
        values = [tomllib.loads(text).get("kiosk", False)]
    except tomllib.TOMLDecodeError:
        values = _KIOSK_LINE.findall(text)
    return not all(_clearly_false(value) for value in values)


def _clearly_false(value: object) -> bool:
    try:
        return TypeAdapter(bool).validate_python(value) is False
    except ValidationError:
        return False
