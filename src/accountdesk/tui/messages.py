"""Messages the shell posts so screens and widgets can react without reaching across the tree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.worker import Worker

from accountdesk.api.tracing import TraceEvent
from accountdesk.session.events import SessionEvent


@dataclass
class ApiCallLogged(Message):
    """The API client finished a request; open API log panels append it."""

    event: TraceEvent


@dataclass
class SessionEventReceived(Message):
    """The session manager published a login/logout; the app routes the user accordingly."""

    event: SessionEvent


@dataclass
class WorkerFailed(Message):
    """A worker (of the app or of any screen) ended with an exception nobody handled."""

    worker: Worker[object]
