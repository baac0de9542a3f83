"""The API log handed on: one request as a curl command, every request as a HAR 1.2 file.

Both are built from `TraceEvent`s, which the client redacts as it makes them: a password or a
token is already `MASK` (``***``) there, so neither the command nor the file can carry one.
The HAR format is the one browsers' developer tools import (Chrome, Firefox: Network panel,
"Import HAR"); see http://www.softwareishard.com/blog/har-12-spec/.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from accountdesk.api.tracing import TraceEvent

__all__ = ["HAR_VERSION", "as_curl", "build_har", "har_text"]

HAR_VERSION = "1.2"

# Headers curl works out itself; replaying httpx's would only get in the way
# (accept-encoding without --compressed makes curl print gzip bytes).
_NOT_REPLAYED = frozenset({"host", "content-length", "accept-encoding", "connection"})

# HAR wants a start time; an event made without one (a hand-built trace) gets the epoch.
_UNKNOWN_START = datetime.fromtimestamp(0, UTC)


def _url(event: TraceEvent) -> str:
    return event.origin + event.path


def as_curl(event: TraceEvent) -> str:
    """A shell command that sends the request again, one option per line.

    Secrets stay masked: whoever runs it puts their own token or password in place of ``***``.
    """
    lines = [f"curl -X {event.method} {shlex.quote(_url(event))}"]
    lines += [
        f"-H {shlex.quote(f'{name}: {value}')}"
        for name, value in event.request_headers.items()
        if name.lower() not in _NOT_REPLAYED
    ]
    if event.request_body:
        lines.append(f"--data-raw {shlex.quote(event.request_body)}")
    return " \\\n  ".join(lines)


def _pairs(headers: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers.items()]


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def _status_text(status: int | None) -> str:
    try:
        return HTTPStatus(status).phrase if status is not None else ""
    except ValueError:
        return ""


def _entry(event: TraceEvent) -> dict[str, Any]:
    url = _url(event)
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    request: dict[str, Any] = {
        "method": event.method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _pairs(event.request_headers),
        "queryString": [{"name": name, "value": value} for name, value in query],
        "headersSize": -1,
        "bodySize": len(event.request_body.encode()) if event.request_body else 0,
    }
    if event.request_body:
        request["postData"] = {
            "mimeType": _header(event.request_headers, "content-type") or "application/json",
            "text": event.request_body,
        }
    body = event.response_body or ""
    response: dict[str, Any] = {
        # HAR's convention for "no answer" (a refused connection, a timeout) is status 0.
        "status": event.status or 0,
        "statusText": _status_text(event.status),
        "httpVersion": "HTTP/1.1" if event.status is not None else "",
        "cookies": [],
        "headers": _pairs(event.response_headers),
        "content": {
            "size": len(body.encode()),
            "mimeType": _header(event.response_headers, "content-type") or "x-unknown",
            "text": body,
        },
        "redirectURL": _header(event.response_headers, "location") or "",
        "headersSize": -1,
        "bodySize": -1,
    }
    entry: dict[str, Any] = {
        "startedDateTime": (event.started_at or _UNKNOWN_START).isoformat(),
        "time": event.duration_ms,
        "request": request,
        "response": response,
        "cache": {},
        # Only the whole attempt is measured; HAR puts an unsplit duration under "wait".
        "timings": {"send": 0, "wait": event.duration_ms, "receive": 0},
    }
    if event.error:
        entry["comment"] = event.error
    return entry


def build_har(events: Sequence[TraceEvent], *, creator: str, version: str) -> dict[str, Any]:
    """The HAR document (``{"log": …}``) of ``events``, oldest first."""
    return {
        "log": {
            "version": HAR_VERSION,
            "creator": {"name": creator, "version": version},
            "entries": [_entry(event) for event in events],
        }
    }


def har_text(events: Sequence[TraceEvent], *, creator: str, version: str) -> str:
    """`build_har` as the JSON text of a ``.har`` file."""
    return json.dumps(build_har(events, creator=creator, version=version), indent=2) + "\n"
