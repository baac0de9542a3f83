"""Social login: the OAuth 2.0 authorization code flow with PKCE and a loopback redirect.

How a native app signs in at an identity provider (RFC 8252): it listens on 127.0.0.1 at a free
port, sends the browser to the provider's authorize page with a PKCE challenge (RFC 7636, S256)
and a random ``state``, and receives the authorization code when the provider redirects the
browser back to that port. Emporix's ``socialLogin`` then redeems the code with the PKCE
verifier (the storefront's backend talks to Auth0; the app never sees Auth0 tokens).

PKCE and state are ``secrets`` + ``hashlib``: the whole of RFC 7636's S256 is the three lines in
`s256_challenge`, and the OAuth libraries that offer it (authlib) bring a JOSE stack and no type
information for it. The listener is asyncio's own server: one request line is all it reads.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import html
import secrets
import webbrowser
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from accountdesk.api.errors import AccountDeskError
from accountdesk.session.config import Environment

DEFAULT_SCOPE = "openid email profile"
CALLBACK_PATH = "/callback"
LOOPBACK_HOST = "127.0.0.1"
SIGN_IN_TIMEOUT = 300.0
"""Seconds the app waits for the browser to come back before it gives up."""
SANDBOX_AUTHORIZE_PATH = "/_sandbox/social/authorize"

# A redirect is one short GET; anything longer or slower is not a browser coming back.
_MAX_REQUEST_HEAD = 16 * 1024
_REQUEST_READ_TIMEOUT = 10.0


class SocialLoginError(AccountDeskError):
    """The sign-in at the identity provider did not produce a usable authorization code.

    Codes: ``social_not_configured`` (param ``environment``), ``social_timeout`` (``seconds``),
    ``social_state_mismatch``, ``social_refused`` (``reason``: the provider's ``error``),
    ``social_bad_redirect``, ``social_listener_failed``.
    """


# -- PKCE and state ---------------------------------------------------------------------------


def s256_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(ASCII(verifier)))`` without padding (RFC 7636 section 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Pkce:
    """A code verifier and its S256 challenge; only the challenge leaves the app up front."""

    verifier: str = field(repr=False)
    challenge: str
    method: str = "S256"

    @classmethod
    def generate(cls) -> Pkce:
        # 64 random bytes -> 86 characters of [A-Za-z0-9_-]: inside RFC 7636's 43-128 and its
        # unreserved alphabet, with far more than the 256 bits of entropy it asks for.
        verifier = secrets.token_urlsafe(64)
        return cls(verifier=verifier, challenge=s256_challenge(verifier))


def new_state() -> str:
    """An unguessable ``state`` that ties the redirect to this attempt (CSRF protection)."""
    return secrets.token_urlsafe(32)


# -- the identity provider --------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityProvider:
    """Where the browser signs in, as whom the app asks, and whether it is the sandbox's IdP.

    ``sandbox`` marks the emulator's fake provider: it has no sign-in page, so the app fills in
    its form (an email) and follows its redirect itself instead of opening a browser.
    """

    authorize_endpoint: str
    client_id: str
    scope: str = DEFAULT_SCOPE
    extra_params: Mapping[str, str] = field(default_factory=dict)
    redirect_port: int = 0
    sandbox: bool = False


def sandbox_identity_provider(base_url: str, tenant: str, client_id: str) -> IdentityProvider:
    """The sandbox's fake identity provider (``/_sandbox/social/authorize``) for ``tenant``."""
    return IdentityProvider(
        authorize_endpoint=f"{base_url.rstrip('/')}{SANDBOX_AUTHORIZE_PATH}",
        client_id=client_id,
        extra_params={"tenant": tenant},
        sandbox=True,
    )


def identity_provider_for(
    environment: Environment, *, base_url: str | None, sandbox: bool
) -> IdentityProvider:
    """The provider to sign in at: the sandbox's own, else the environment's ``social_login``.

    Raises `SocialLoginError` (``social_not_configured``) for a real tenant without one.
    """
    if sandbox and base_url is not None:
        return sandbox_identity_provider(base_url, environment.tenant, environment.client_id)
    settings = environment.social_login
    if settings is None:
        raise SocialLoginError(
            f"Social login is not configured for the environment {environment.name!r}.",
            code="social_not_configured",
            params={"environment": environment.name},
        )
    extra = {"connection": settings.connection} if settings.connection else {}
    return IdentityProvider(
        authorize_endpoint=settings.authorize_endpoint,
        client_id=settings.client_id,
        extra_params=extra,
        redirect_port=settings.redirect_port,
    )


def authorize_url(
    provider: IdentityProvider, *, redirect_uri: str, state: str, code_challenge: str
) -> str:
    """The authorize request (RFC 6749 4.1.1 + RFC 7636 4.3) as the URL to open.

    A query already in the endpoint is kept; the flow's own parameters win over it.
    """
    parts = urlsplit(provider.authorize_endpoint)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    params.update(provider.extra_params)
    params.update(
        {
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": redirect_uri,
            "scope": provider.scope,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
    )
    return urlunsplit(parts._replace(query=urlencode(params)))


# -- the loopback redirect --------------------------------------------------------------------

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Account Desk</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>{title}</h1><p>{text}</p></body></html>
"""


class LoopbackReceiver:
    """A one-shot HTTP listener on 127.0.0.1 that waits for the provider's redirect.

    The first request to ``path`` settles it: a matching ``state`` with a ``code`` gives the
    code; a wrong ``state`` (a forged or stale redirect), an ``error`` from the provider or a
    redirect without a code fails the attempt. Other paths (a browser's favicon request) get a
    404 and change nothing.
    """

    def __init__(self, expected_state: str, *, path: str = CALLBACK_PATH) -> None:
        self._expected_state = expected_state
        self._path = path
        self._server: asyncio.Server | None = None
        self._port = 0
        self._outcome: asyncio.Future[str] | None = None

    async def start(self, port: int = 0) -> None:
        """Listen on ``port`` (0: a free one the system picks)."""
        self._outcome = asyncio.get_running_loop().create_future()
        try:
            self._server = await asyncio.start_server(
                self._handle, LOOPBACK_HOST, port, limit=_MAX_REQUEST_HEAD
            )
        except OSError as error:
            raise SocialLoginError(
                f"Could not listen on {LOOPBACK_HOST}:{port} for the sign-in: {error.strerror}.",
                code="social_listener_failed",
                params={"port": str(port)},
            ) from None
        self._port = self._server.sockets[0].getsockname()[1]

    @property
    def redirect_uri(self) -> str:
        return f"http://{LOOPBACK_HOST}:{self._port}{self._path}"

    async def wait_for_code(self, seconds: float) -> str:
        """The authorization code; raises `SocialLoginError` on a bad redirect, or when none
        came within ``seconds`` (a deadline the user sees, hence not `asyncio.timeout`)."""
        if self._outcome is None:
            raise RuntimeError("start() the receiver first")
        try:
            return await asyncio.wait_for(asyncio.shield(self._outcome), seconds)
        except TimeoutError:
            raise SocialLoginError(
                f"The sign-in did not finish within {seconds:.0f} seconds.",
                code="social_timeout",
                params={"seconds": str(round(seconds))},
            ) from None

    async def aclose(self) -> None:
        if self._outcome is not None and not self._outcome.done():
            self._outcome.cancel()
        if self._server is not None:
            self._server.close()
            # Python 3.12+ waits for open connections here; a redirect answer is quick.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 2.0)
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _REQUEST_READ_TIMEOUT)
            await self._answer(head, writer)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            await _respond(writer, 400, "Bad request", "This is not a sign-in redirect.")
        except OSError:
            pass  # the browser went away; nothing to tell it
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _answer(self, head: bytes, writer: asyncio.StreamWriter) -> None:
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, _, rest = request_line.partition(" ")
        target = rest.rpartition(" ")[0] or rest
        parts = urlsplit(target)
        if method != "GET" or parts.path != self._path:
            await _respond(writer, 404, "Not found", "Nothing here.")
            return
        outcome = self._outcome
        if outcome is None or outcome.done():
            await _respond(writer, 410, "Already done", "Return to Account Desk.")
            return
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        # Compared in constant time: the state is the redirect's only credential.
        if not secrets.compare_digest(
            query.get("state", "").encode(), self._expected_state.encode()
        ):
            await _respond(
                writer,
                400,
                "Sign-in refused",
                "This answer does not belong to the sign-in Account Desk started. "
                "Start the sign-in again from Account Desk.",
            )
            _settle(
                outcome,
                error=SocialLoginError(
                    "The redirect's state does not match the sign-in attempt.",
                    code="social_state_mismatch",
                ),
            )
            return
        if "error" in query:
            await _respond(writer, 200, "Sign-in cancelled", "Return to Account Desk to try again.")
            reason = query["error"][:100]
            _settle(
                outcome,
                error=SocialLoginError(
                    f"The identity provider answered {reason!r}.",
                    code="social_refused",
                    params={"reason": reason},
                ),
            )
            return
        code = query.get("code", "")
        if not code:
            await _respond(writer, 400, "Sign-in failed", "The answer carried no code.")
            _settle(
                outcome,
                error=SocialLoginError(
                    "The redirect carried no authorization code.", code="social_bad_redirect"
                ),
            )
            return
        # The browser hears back before the app moves on (and may close this listener).
        await _respond(
            writer, 200, "Signed in", "You can close this tab and return to Account Desk."
        )
        _settle(outcome, code=code)


def _settle(
    outcome: asyncio.Future[str], *, code: str | None = None, error: Exception | None = None
) -> None:
    if outcome.done():
        return
    if error is not None:
        outcome.set_exception(error)
    else:
        outcome.set_result(code or "")


async def _respond(writer: asyncio.StreamWriter, status: int, title: str, text: str) -> None:
    body = _PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
    writer.write(
        f"HTTP/1.1 {status} {title}\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n\r\n".encode("latin-1")
        + body
    )
    await writer.drain()


# -- one attempt ------------------------------------------------------------------------------


class SocialLoginAttempt:
    """One sign-in: PKCE pair, state, loopback listener and the authorize URL.

    ``async with SocialLoginAttempt(provider) as attempt:`` listens until the block ends.
    """

    def __init__(self, provider: IdentityProvider) -> None:
        self.provider = provider
        self.pkce = Pkce.generate()
        self.state = new_state()
        self._receiver = LoopbackReceiver(self.state)

    async def __aenter__(self) -> Self:
        await self._receiver.start(self.provider.redirect_port)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._receiver.aclose()

    @property
    def redirect_uri(self) -> str:
        return self._receiver.redirect_uri

    @property
    def authorize_url(self) -> str:
        """The page to open in a browser."""
        return authorize_url(
            self.provider,
            redirect_uri=self.redirect_uri,
            state=self.state,
            code_challenge=self.pkce.challenge,
        )

    async def wait_for_code(self, seconds: float = SIGN_IN_TIMEOUT) -> str:
        return await self._receiver.wait_for_code(seconds)

    def __repr__(self) -> str:
        return f"SocialLoginAttempt(redirect_uri={self.redirect_uri!r})"


def open_in_browser(url: str) -> bool:
    """Open ``url`` in a graphical browser; False when there is none.

    A console browser (lynx, w3m, ``www-browser``) would run in the terminal the app draws on,
    so those are not used: the app shows the URL instead. Blocking: call it in a thread.
    """
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    # Console browsers are registered as plain GenericBrowser; graphical ones (and xdg-open,
    # open, start) as subclasses that return at once.
    if type(browser) is webbrowser.GenericBrowser:
        return False
    try:
        return browser.open(url, new=2)
    except OSError:
        return False
