"""Tunable behaviour of the emulator: token lifetimes, password policy, login throttling.

Every value the Emporix documentation shows as an example (rather than a rule) lives here, so a
developer who needs to mimic a differently configured tenant changes one object, not the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lifetimes:
    """Lifetimes in seconds. Defaults are the values in the official examples."""

    anonymous_access: int = 3599
    anonymous_refresh: int = 86399
    customer_access: int = 2591999
    customer_refresh: int = 86399
    # Opt-in, password-reset, email-change and deletion tokens: 24 h.
    emailed_token: int = 86400
    # Authorization codes of the built-in identity provider, like a real IdP: short-lived.
    social_code: int = 600
    # The exchange example in the spec shows session_idle_time 120; social login shows 3600.
    social_session_idle: int = 3600
    exchange_session_idle: int = 120


@dataclass(frozen=True)
class ThrottlePolicy:
    """Brute-force protection for /login, counted per tenant and email address.

    After `free_attempts` consecutive failures the address is locked for `base_delay` seconds;
    each further failure after a lock doubles the delay, up to `max_delay`.
    """

    free_attempts: int = 5
    base_delay: int = 30
    max_delay: int = 900

    def delay_after(self, failures: int) -> int:
        """Lock duration after `failures` consecutive failures (0 = not locked)."""
        if failures < self.free_attempts:
            return 0
        exponent = min(failures - self.free_attempts, 20)
        delay: int = self.base_delay << exponent
        return min(delay, self.max_delay)


@dataclass(frozen=True)
class SandboxSettings:
    """All settings of one emulator instance."""

    lifetimes: Lifetimes = field(default_factory=Lifetimes)
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    # Host names besides loopback that may reach /_sandbox/* (the --host the sandbox serves on).
    allowed_hosts: tuple[str, ...] = ()
    # Some storefronts (the viu SDKs, Emporix's b2b showcase) send PUT where the spec documents
    # PATCH: with this on, PUT /me and PUT /me/addresses/{id} act as a JSON PATCH.
    put_as_patch: bool = False
    # Defaults for new tenants; each tenant stores its own copy.
    password_min_length: int = 8
    password_max_length: int = 128
