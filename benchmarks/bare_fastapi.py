"""The reference for the sandbox's throughput: one FastAPI route returning a fixed profile.

    python -m benchmarks.bare_fastapi

Served by the sandbox's own `serve()` (same uvicorn settings, same socket setup, same ready
line), so the difference to the sandbox is the sandbox's work: token check, storage, rendering.
No token check, no database: the ceiling of the stack for `GET /customer/{tenant}/me`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from accountdesk.sandbox.server import serve

PROFILE: dict[str, Any] = {
    "id": "13869000",
    "customerNumber": "13869000",
    "title": "MRS",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "contactEmail": "demo@example.com",
    "contactPhone": "+44 20 7946 0018",
    "company": "Analytical Engines Ltd",
    "preferredLanguage": "en_GB",
    "preferredCurrency": "GBP",
    "preferredSite": "main",
    "accounts": [{"id": "demo@example.com"}],
    "businessModel": "B2C",
    "mixins": {},
    "metadata": {"mixins": {}, "version": 1},
}

app = FastAPI()


@app.get("/customer/{tenant}/me")
async def me(tenant: str) -> dict[str, Any]:
    return PROFILE


if __name__ == "__main__":
    serve(app, host="127.0.0.1", port=0)
