"""The per-request trace record handed to an optional callback (the TUI's API log panel)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["TraceCallback", "TraceEvent"]


@dataclass(frozen=True, slots=True)
class TraceEvent:
    """One HTTP attempt, already redacted: safe to log or show on screen.

    Attributes:
        method: HTTP method, e.g. ``"POST"``.
        path: request path with the query string; tokens in the path or query are masked.
        status: HTTP status, or ``None`` when no answer arrived.
        duration_ms: wall time of the attempt in milliseconds.
        request_body: the JSON sent (passwords and tokens masked), or ``None``.
        response_body: the answer's body (secrets masked, long bodies shortened), or ``None``.
        error: a sentence describing the failure, or ``None`` on success.
        request_headers: the headers sent, ``Authorization`` masked (``Bearer ***``).
        origin: scheme, host and port the request went to (``http://127.0.0.1:8765``), so
            an exported request (curl, HAR) names its server even after a reconnect moved it.
        started_at: when the attempt started (UTC), or ``None`` when not known.
        response_headers: the answer's headers, cookies and tokens masked.
    """

    method: str
    path: str
    status: int | None
    duration_ms: float
    request_body: str | None
    response_body: str | None
    error: str | None
    request_headers: Mapping[str, str] = field(default_factory=dict)
    origin: str = ""
    started_at: datetime | None = None
    response_headers: Mapping[str, str] = field(default_factory=dict)


TraceCallback = Callable[[TraceEvent], None]
