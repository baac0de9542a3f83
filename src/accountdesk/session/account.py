"""The account service: one method per thing a customer does with their account.

User interfaces call these and nothing below them: no screen builds an API call or handles a
token. Each method keeps the session's state right: a confirmed email change updates who is
logged in (and publishes `EmailChanged`), a confirmed deletion ends the session, a password
change keeps this session and the server ends the others.

Failures are `AccountDeskError`s: the API client's typed errors (`EmailTakenError`,
`VersionConflictError`, `InvalidCodeError`…), `SessionExpiredError` when the customer session is
gone, and `BackendNotReadyError` from whoever hands out the service before it is connected.
"""

from __future__ import annotations

from collections.abc import Sequence

from accountdesk.api import sandbox_extras
from accountdesk.api.client import CustomerApiClient
from accountdesk.api.errors import MalformedResponseError, ServerError, TransportError
from accountdesk.api.models import (
    Address,
    AddressCreate,
    AddressUpdate,
    Customer,
    CustomerPatch,
    CustomerSignup,
    DeletionOutcome,
)
from accountdesk.api.tracing import TraceCallback
from accountdesk.session.manager import SessionManager
from accountdesk.session.social import SIGN_IN_TIMEOUT, SocialLoginAttempt
from accountdesk.session.stores import TokenStore


def open_account(
    base_url: str,
    tenant: str,
    client_id: str,
    store: TokenStore,
    *,
    environment_key: str,
    trace: TraceCallback | None = None,
) -> AccountService:
    """The account service of one environment, with its session and API client.

    Close it with ``await service.session.aclose()`` (that closes the client too).
    """
    client = CustomerApiClient(base_url, tenant, client_id, trace=trace)
    return AccountService(SessionManager(client, store, environment_key=environment_key), client)


class AccountService:
    """What a customer can do, on top of one `SessionManager` and its API client."""

    def __init__(self, session: SessionManager, client: CustomerApiClient) -> None:
        self._session = session
        self._client = client
        # Addresses whose creation failed in a way that may have stored them after all.
        self._maybe_created: list[AddressCreate] = []

    @property
    def session(self) -> SessionManager:
        """Who is logged in, and the events that say when that changes."""
        return self._session

    async def connect(self) -> bool:
        """Resume a remembered session, or get an anonymous token to learn that the backend
        answers. True when a customer is logged in afterwards."""
        if await self._session.resume():
            return True
        await self._session.with_anonymous(_unused)
        return False

    # -- signing up and in -------------------------------------------------------------------

    async def sign_up(self, signup: CustomerSignup) -> str:
        """Create an account; returns the customer id. With double opt-in, an activation email
        goes out and the account is usable after `activate`."""
        return await self._session.with_anonymous(
            lambda anonymous: self._client.sign_up(anonymous, signup)
        )

    async def resend_activation(self, email: str) -> None:
        """Send the activation email again (the same answer whether or not the address waits)."""
        await self._session.with_anonymous(
            lambda anonymous: self._client.resend_activation_email(anonymous, email)
        )

    async def activate(self, code: str, *, remember: bool = False) -> None:
        """Confirm the sign-up with the emailed code; the customer is then logged in."""
        await self._session.complete_opt_in(code, remember=remember)

    async def log_in(self, email: str, password: str, *, remember: bool = False) -> None:
        await self._session.login(email, password, remember=remember)

    async def log_out(self) -> None:
        """End the session on the server and here; never raises on network errors."""
        await self._session.logout()

    async def forget_visitor(self) -> None:
        """Log out and start a new guest session, so that nobody who comes next continues
        anything of the previous person's, logged in or not (a shared terminal). Never
        raises on network errors."""
        await self._session.logout()
        await self._session.renew_anonymous()

    async def social_login(
        self,
        code: str,
        redirect_uri: str,
        *,
        code_verifier: str | None = None,
        remember: bool = False,
    ) -> None:
        """Log in with an identity provider's authorization code (PKCE verifier if used)."""
        await self._session.social_login(
            code, redirect_uri, code_verifier=code_verifier, remember=remember
        )

    async def finish_social_login(
        self,
        attempt: SocialLoginAttempt,
        *,
        seconds: float = SIGN_IN_TIMEOUT,
        remember: bool = False,
    ) -> None:
        """Wait for ``attempt``'s redirect, then log in with its code and PKCE verifier.

        Raises `SocialLoginError` for a redirect that is forged, refused or late, and the
        API's errors when socialLogin refuses the code.
        """
        code = await attempt.wait_for_code(seconds)
        await self.social_login(
            code, attempt.redirect_uri, code_verifier=attempt.pkce.verifier, remember=remember
        )

    async def sign_in_at_sandbox_idp(self, attempt: SocialLoginAttempt, email: str) -> None:
        """Sandbox only: sign in as ``email`` at the emulator's fake identity provider and
        follow its redirect to ``attempt``'s listener, as a person and their browser would."""
        await sandbox_extras.sign_in_at_sandbox_idp(attempt.authorize_url, email)

    # -- forgotten password --------------------------------------------------------------------

    async def request_password_reset(self, email: str) -> None:
        """Mail a reset code if the address has an account (the answer never says whether)."""
        await self._session.with_anonymous(
            lambda anonymous: self._client.request_password_reset(anonymous, email)
        )

    async def reset_password(self, code: str, new_password: str) -> None:
        """Set a new password with the emailed code; the server ends every session."""
        await self._session.with_anonymous(
            lambda anonymous: self._client.reset_password(anonymous, code, new_password)
        )

    # -- profile -------------------------------------------------------------------------------

    async def load_profile(self) -> Customer:
        """The logged-in customer's profile with every address."""
        return await self._session.with_customer(
            lambda access: self._client.get_profile(access, expand_addresses=True)
        )

    async def update_profile(self, patch: CustomerPatch) -> Customer:
        """Save profile changes; returns the profile as stored now.

        With ``patch.metadata.version`` set, raises `VersionConflictError` when the profile was
        changed elsewhere since that version was read. A field set to None is removed
        (sent as a JSON merge patch, the only PATCH in which null means "remove").
        """
        merge = patch.clears_fields
        await self._session.with_customer(
            lambda access: self._client.update_profile(access, patch, merge_patch=merge)
        )
        return await self.load_profile()

    # -- address book --------------------------------------------------------------------------

    async def list_addresses(self) -> list[Address]:
        return await self._session.with_customer(self._client.list_addresses)

    async def add_address(self, address: AddressCreate) -> str:
        """Store a new address; returns its id.

        The API has no idempotency key, so a creation whose answer was lost (the server may
        have stored it) is remembered: sending the same address again first looks for it in
        the address book and returns the stored one instead of adding it twice.
        """
        if address in self._maybe_created:
            stored = next(
                (found for found in await self.list_addresses() if _same_address(found, address)),
                None,
            )
            self._maybe_created.remove(address)
            if stored is not None and stored.id is not None:
                return stored.id
        try:
            return await self._session.with_customer(
                lambda access: self._client.add_address(access, address)
            )
        except (TransportError, MalformedResponseError, ServerError):
            self._maybe_created.append(address)
            raise

    async def update_address(self, address_id: str, update: AddressUpdate) -> None:
        await self._session.with_customer(
            lambda access: self._client.update_address(access, address_id, update)
        )

    async def set_default_address(self, address_id: str) -> None:
        await self.update_address(address_id, AddressUpdate(is_default=True))

    async def delete_address(self, address_id: str) -> None:
        await self._session.with_customer(
            lambda access: self._client.delete_address(access, address_id)
        )

    async def add_address_tags(self, address_id: str, tags: Sequence[str]) -> None:
        await self._session.with_customer(
            lambda access: self._client.add_address_tags(access, address_id, tags)
        )

    async def remove_address_tags(self, address_id: str, tags: Sequence[str]) -> None:
        await self._session.with_customer(
            lambda access: self._client.remove_address_tags(access, address_id, tags)
        )

    # -- credentials ---------------------------------------------------------------------------

    async def change_password(self, current_password: str, new_password: str) -> None:
        """Change the password; this session stays, the server ends every other one."""
        await self._session.with_customer(
            lambda access: self._client.change_password(access, current_password, new_password)
        )

    async def request_email_change(
        self, new_email: str, password: str, *, use_as_contact_email: bool = False
    ) -> None:
        """Mail a confirmation code to ``new_email``; the login email changes on `confirm`."""
        current = self._session.customer_email
        if current is None:
            current = (await self._session.with_customer(self._client.validate_token)).email or ""
        await self._session.with_customer(
            lambda access: self._client.request_email_change(
                access,
                email=current,
                password=password,
                new_email=new_email,
                sync_contact_email=use_as_contact_email,
            )
        )

    async def confirm_email_change(self, code: str) -> None:
        """Switch the login email with the emailed code; if it was the logged-in customer's,
        the session now knows the new address (`EmailChanged` is published)."""
        await self._session.with_anonymous(
            lambda anonymous: self._client.confirm_email_change(anonymous, code)
        )
        await self._session.refresh_email()

    async def assign_password_login(self, email: str, password: str) -> None:
        """Give a profile without one (social login only) an email and password login."""
        await self._session.with_customer(
            lambda access: self._client.assign_account(access, email, password)
        )
        await self._session.refresh_email()

    # -- deletion ------------------------------------------------------------------------------

    async def request_deletion(self) -> DeletionOutcome:
        """Mail the deletion confirmation (`DeletionOutcome.CONFIRMATION_SENT`); a server that
        deletes at once answers `DeletionOutcome.DELETED` and the session ends."""
        return await self._session.delete_account()

    async def confirm_deletion(self, code: str) -> None:
        """Delete the account with the emailed code; the session ends (`LoggedOut(DELETED)`)."""
        await self._session.delete_account(code)


async def _unused(_token: str) -> None:
    return None


def _same_address(stored: Address, sent: AddressCreate) -> bool:
    """Whether ``stored`` holds every field ``sent`` set (tags in any order)."""
    for field in sent.model_fields_set:
        wanted, found = getattr(sent, field), getattr(stored, field)
        if field == "tags":
            wanted, found = sorted(wanted or []), sorted(found or [])
        if wanted != found:
            return False
    return True
