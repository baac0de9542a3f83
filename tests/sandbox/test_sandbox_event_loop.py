"""The event loop owns the database; only argon2 leaves it.

Every route and dependency is a coroutine, so database work never hops to a worker thread
(each hop cost more than the whole `GET /me`); the slow, GIL-releasing argon2 calls run on
threads of their own, one per core, so a login never stalls other requests.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import pkgutil
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sandbox_harness import PASSWORD, Harness, new_tenant, unique_email

import accountdesk.sandbox as sandbox_package
from accountdesk.sandbox import create_app, passwords
from accountdesk.sandbox.settings import SandboxSettings


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


@pytest.mark.parametrize("put_as_patch", [False, True])
def test_every_route_and_dependency_is_a_coroutine(put_as_patch: bool) -> None:
    app = create_app(":memory:", settings=SandboxSettings(put_as_patch=put_as_patch))
    routers = [
        importlib.import_module(f"accountdesk.sandbox.{module.name}").router
        for module in pkgutil.iter_modules(sandbox_package.__path__)
        if module.name.startswith("routes_")
    ]
    routes = [
        route
        for route in [*app.routes, *(route for router in routers for route in router.routes)]
        if isinstance(route, APIRoute)
    ]
    assert len(routes) > 30
    sync = [
        f"{route.path} {sorted(route.methods)}: {call.__qualname__}"
        for route in routes
        for call in (route.endpoint, *_calls(route.dependant))
        # HTTPBearer is an instance whose __call__ is the coroutine.
        if not inspect.iscoroutinefunction(call)
        and not inspect.iscoroutinefunction(type(call).__call__)
    ]
    assert sync == []


async def test_argon2_runs_off_the_event_loop(
    monkeypatch: pytest.MonkeyPatch, asgi_client: httpx.AsyncClient
) -> None:
    threads: list[str] = []

    def recording(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any) -> Any:
            threads.append(threading.current_thread().name)
            return original(*args)

        return wrapper

    for name in ("hash_password", "verify_password"):
        monkeypatch.setattr(passwords, name, recording(getattr(passwords, name)))

    api = Harness(asgi_client, *(await new_tenant(asgi_client)))
    email = unique_email("loop")
    await api.register(email)
    login = await api.login(email, PASSWORD)
    assert login.status_code == 200
    access = login.json()["access_token"]
    changed = await api.change_password(access, PASSWORD, PASSWORD + "-new")
    assert changed.status_code == 204
    loop_thread = threading.current_thread().name
    # sign-up hashes; login verifies; a password change verifies and hashes.
    assert len(threads) == 4, threads
    assert loop_thread not in threads
    # Its own threads, one per core: glibc keeps each thread's 19 MiB in that thread's arena.
    assert all(name.startswith("argon2") for name in threads), threads


async def test_no_more_password_hashes_run_at_once_than_there_are_cores(
    monkeypatch: pytest.MonkeyPatch, asgi_client: httpx.AsyncClient
) -> None:
    """Each argon2 call holds 19 MiB: a burst of logins must queue, not multiply memory."""
    running = 0
    most = 0
    guard = threading.Lock()
    real = passwords._HASHER

    class CountingHasher:
        def verify(self, *args: Any) -> Any:
            nonlocal running, most
            with guard:
                running += 1
                most = max(most, running)
            try:
                return real.verify(*args)
            finally:
                with guard:
                    running -= 1

    # After the fixture's app seeded the demo customer (which hashes).
    monkeypatch.setattr(passwords, "_HASHER", CountingHasher())
    api = Harness(asgi_client, *(await new_tenant(asgi_client)))
    logins = await asyncio.gather(
        *(api.login(unique_email("burst"), PASSWORD) for _ in range(4 * (os.cpu_count() or 1)))
    )
    assert {response.status_code for response in logins} == {401}
    assert 1 <= most <= (os.cpu_count() or 1)
