"""After a full session, no password or token is in any file the app or its sandbox wrote, nor
in the API log, except the one thing the user opted into: the refresh token in the 0600 token
file. (The sandbox's mailbox keeps the emailed codes: that is what a mailbox is for.)"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from helpers import DEMO_EMAIL, DEMO_PASSWORD, wait_mode, wait_ready

from accountdesk.session import Environment, FileTokenStore
from accountdesk.tui.app import AccountDeskApp

EMBEDDED = Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront")
NEW_PASSWORD = "Secrets-At-Rest-Password-77"
MakeApp = Callable[..., AccountDeskApp]


async def _echo(token: str) -> str:
    return token


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


async def test_a_full_session_leaves_no_secret_behind(
    make_app: MakeApp, isolated_user_dirs: Path
) -> None:
    token_file = isolated_user_dirs / "state" / "accountdesk" / "sessions.json"
    app = make_app(environment=EMBEDDED, token_store=FileTokenStore(token_file))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_ready(pilot, app)
        await app.account.log_in(DEMO_EMAIL, DEMO_PASSWORD, remember=True)
        await wait_mode(pilot, app, "account")
        access_before = await app.session.with_customer(_echo)
        saas = app.session.saas_token
        await app.account.change_password(DEMO_PASSWORD, NEW_PASSWORD)
        await app.account.load_profile()
        access_after = await app.session.with_customer(_echo)
        stored = await FileTokenStore(token_file).load(app.session.environment_key)
        assert stored is not None
        refresh = stored.refresh_token
        log_text = "\n".join(
            " ".join(
                str(part)
                for part in (event.path, event.request_body, event.response_body, event.error)
            )
            + " ".join(event.request_headers.values())
            for event in app.api_log
        )

    secrets = {
        "the old password": DEMO_PASSWORD,
        "the new password": NEW_PASSWORD,
        "the access token": access_before,
        "the renewed access token": access_after,
        "the saas token": saas or "",
    }
    assert all(secrets.values())
    leaks = [
        f"{name} in {path.relative_to(isolated_user_dirs)}"
        for path in files_under(isolated_user_dirs)
        for name, secret in secrets.items()
        if secret.encode() in path.read_bytes()
    ]
    leaks += [f"{name} in the API log" for name, secret in secrets.items() if secret in log_text]
    assert leaks == []
    holders = [
        path for path in files_under(isolated_user_dirs) if refresh.encode() in path.read_bytes()
    ]
    assert holders == [token_file]  # the one opted-in exception
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert refresh not in log_text
