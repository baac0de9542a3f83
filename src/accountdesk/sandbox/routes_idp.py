"""`/_sandbox/social/*`: the fake identity provider's front door (sandbox only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from accountdesk.sandbox.context import SandboxDep, require_known_tenant
from accountdesk.sandbox.idp import Identity, issue_code, subject_token
from accountdesk.sandbox.openapi_docs import ERROR_RESPONSES
from accountdesk.sandbox.validation import FieldProblems, check_email

router = APIRouter(prefix="/_sandbox/social", tags=["Sandbox only"], responses=ERROR_RESPONSES)

SUBJECT_TOKEN_LIFETIME = 3600


@router.get("/authorize")
async def authorize(
    sandbox: SandboxDep,
    tenant: Annotated[str, Query()],
    email: Annotated[str, Query()],
    redirect_uri: Annotated[str, Query(min_length=1)],
    name: Annotated[str | None, Query(max_length=200)] = None,
    code_challenge: Annotated[str | None, Query()] = None,
    code_challenge_method: Annotated[str | None, Query()] = None,
) -> dict[str, str]:
    """ "Sign in" as `email` and get the authorization code that POST socialLogin redeems.
    For PKCE pass `code_challenge` (S256) and later the matching `code_verifier`."""
    require_known_tenant(sandbox, tenant)
    with FieldProblems() as problems:
        address = check_email(problems, "email", email)
        if code_challenge is not None and (code_challenge_method or "S256") != "S256":
            problems.invalid("code_challenge_method", "Only S256 is supported.")
    with sandbox.db.transaction() as conn:
        code = issue_code(
            conn,
            tenant=tenant,
            email=address,
            name=name,
            redirect_uri=redirect_uri,
            code_challenge=code_challenge,
            now=sandbox.clock.now(),
            lifetime=sandbox.settings.lifetimes.social_code,
        )
    return {"code": code}


@router.get("/subject-token")
async def get_subject_token(
    sandbox: SandboxDep,
    tenant: Annotated[str, Query()],
    email: Annotated[str, Query()],
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, str | int]:
    """A subject access token (JWT) for POST exchangeauthtoken, valid for one hour."""
    require_known_tenant(sandbox, tenant)
    with FieldProblems() as problems:
        address = check_email(problems, "email", email)
    identity = Identity(email=address, name=name)
    token = subject_token(
        secret=sandbox.idp_secret,
        tenant=tenant,
        identity=identity,
        now=sandbox.clock.now(),
        lifetime=SUBJECT_TOKEN_LIFETIME,
    )
    return {"subjectAccessToken": token, "expiresIn": SUBJECT_TOKEN_LIFETIME}
