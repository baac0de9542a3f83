"""Error bodies as models, only so the emulator's own /openapi.json documents them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    field: str
    type: str
    message: str


class ErrorMessage(BaseModel):
    status: int
    type: str
    message: str
    details: list[ErrorDetail] | None = None


class FaultDetail(BaseModel):
    errorcode: str


class FaultBody(BaseModel):
    faultstring: str
    detail: FaultDetail


class Fault(BaseModel):
    fault: FaultBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorMessage, "description": "Invalid request; `details` name the fields."},
    401: {
        "model": Fault | ErrorMessage,
        "description": "Bearer token problem (`fault` body) or wrong credentials (ErrorMessage).",
    },
    403: {"model": ErrorMessage, "description": "Not allowed with this token, or not activated."},
    404: {"model": ErrorMessage, "description": "Unknown resource."},
    409: {"model": ErrorMessage, "description": "Duplicate account or stale metadata.version."},
    429: {"model": ErrorMessage, "description": "Locked after failed attempts; see Retry-After."},
}
