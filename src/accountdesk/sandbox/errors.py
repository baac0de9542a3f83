"""Error bodies of the emulator and the handlers that guarantee their shape.

Two shapes exist, as in the official spec: the API gateway's `fault` body for bearer-token
problems (401) and `ErrorMessage` (`status`, `type`, `message`, `details[]`) for everything else.
The handlers installed here replace FastAPI's default 422 body and turn any unexpected exception
into an `ErrorMessage` too, so no client input ever sees a framework-shaped error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("accountdesk.sandbox")

MISSING_VALUE = "missing_value"
INVALID_VALUE = "invalid_value"


def field_error(field: str, type_: str, message: str) -> dict[str, str]:
    """One entry of `ErrorMessage.details`."""
    return {"field": field, "type": type_, "message": message}


class ApiProblem(Exception):
    """An error answered with the `ErrorMessage` body."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        details: Sequence[Mapping[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.details = [dict(detail) for detail in details]
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "type": self.type, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class TokenFault(Exception):
    """A bearer-token problem, answered 401 with the gateway `fault` body."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("Access Token expired" if expired else "Invalid access token")
        self.expired = expired

    def body(self) -> dict[str, Any]:
        if self.expired:
            return fault_body("Access Token expired", "keymanagement.service.access_token_expired")
        return fault_body("Invalid access token", "oauth.v2.InvalidAccessToken")


def fault_body(faultstring: str, errorcode: str) -> dict[str, Any]:
    return {"fault": {"faultstring": faultstring, "detail": {"errorcode": errorcode}}}


def bad_request(message: str, details: Sequence[Mapping[str, str]] = ()) -> ApiProblem:
    return ApiProblem(400, "bad_request", message, details)


def invalid_field(field: str, message: str) -> ApiProblem:
    """A 400 about a single field, with the message the UI shows next to that field."""
    return bad_request(
        "The request contains invalid data.", [field_error(field, INVALID_VALUE, message)]
    )


def invalid_token(message: str = "The token is invalid, expired or already used.") -> ApiProblem:
    return ApiProblem(400, "invalid_token", message, [field_error("token", INVALID_VALUE, message)])


def forbidden() -> ApiProblem:
    return ApiProblem(403, "forbidden", "User not authorized.")


def conflict(message: str) -> ApiProblem:
    return ApiProblem(409, "conflict_resource", message)


def duplicate_account(email: str, tenant: str) -> ApiProblem:
    return conflict(f"Duplicate account '{email}' for tenant '{tenant}'.")


_LOCATION_PREFIXES = {"body", "query", "path", "header", "cookie"}


def field_path(location: Sequence[int | str]) -> str:
    """`("body", "customerAddress", "tags", 0)` -> `customerAddress.tags[0]`."""
    parts = list(location)
    if parts and parts[0] in _LOCATION_PREFIXES:
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


def details_from_validation(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Turn pydantic/FastAPI validation errors into `ErrorMessage.details` entries."""
    details: list[dict[str, str]] = []
    for error in errors:
        location = error.get("loc", ()) if isinstance(error, Mapping) else ()
        kind = error.get("type", "") if isinstance(error, Mapping) else ""
        raw_message = str(error.get("msg", "Invalid value.")) if isinstance(error, Mapping) else ""
        path = field_path(location)
        if kind == "missing":
            if path == "":
                details.append(field_error("", MISSING_VALUE, "A JSON request body is required."))
            else:
                details.append(field_error(path, MISSING_VALUE, "This field is required."))
        elif path == "" and kind in {"model_attributes_type", "model_type", "dict_type"}:
            details.append(
                field_error(
                    "",
                    INVALID_VALUE,
                    "The request body must be a JSON object (Content-Type: application/json).",
                )
            )
        elif kind == "json_invalid":
            details.append(field_error("", INVALID_VALUE, "The request body is not valid JSON."))
        else:
            # A sentence, like every other detail message (pydantic's have no full stop).
            message = raw_message.removeprefix("Value error, ").rstrip(".") + "."
            details.append(field_error(path, INVALID_VALUE, message))
    return details


async def _problem_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _fault_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TokenFault)
    return JSONResponse(exc.body(), status_code=401)


async def _validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problem = bad_request("The request is not valid.", details_from_validation(exc.errors()))
    return JSONResponse(problem.body(), status_code=400)


_HTTP_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


async def _http_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status < 400:
        return JSONResponse({}, status_code=status, headers=exc.headers)
    type_ = _HTTP_TYPES.get(status, "bad_request" if status < 500 else "server_error")
    message = exc.detail if isinstance(exc.detail, str) else "The request failed."
    if status == 404:
        message = "The requested resource does not exist."
    elif status == 405:
        message = "This method is not allowed on this resource."
    body = ApiProblem(status, type_, message).body()
    return JSONResponse(body, status_code=status, headers=exc.headers)


async def _unexpected_handler(_request: Request, exc: Exception) -> JSONResponse:
    # Logged without the request: bodies and query strings may carry passwords and tokens.
    logger.error("Unexpected error in the sandbox: %s", type(exc).__name__)
    body = ApiProblem(500, "server_error", "The sandbox failed to process the request.").body()
    return JSONResponse(body, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiProblem, _problem_handler)
    app.add_exception_handler(TokenFault, _fault_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(Exception, _unexpected_handler)
