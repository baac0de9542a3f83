"""Property tests: whatever a server sends, the client answers with a typed ApiError or a
valid model, never another exception."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountdesk.api import ApiError, CustomerApiClient, RetryPolicy
from accountdesk.api.errors import error_from_response
from accountdesk.api.redaction import redact_body

BASE = "https://api.example.com"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)
# Bodies: arbitrary bytes, arbitrary JSON, and JSON shaped like the API's own answers.
shaped = st.fixed_dictionaries(
    {},
    optional={
        "status": st.integers() | st.text(),
        "type": st.text() | st.integers(),
        "message": st.text() | st.none() | st.lists(st.text()),
        "details": json_values,
        "fault": json_values,
        "access_token": st.text() | st.integers(),
        "expires_in": st.integers() | st.text() | st.none(),
        "id": st.text() | st.integers() | st.none(),
        "addresses": json_values,
    },
)
bodies = (
    st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | shaped.map(lambda v: json.dumps(v).encode())
)
headers = st.dictionaries(
    st.sampled_from(["Retry-After", "Content-Type", "X-Other"]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)


@given(status=st.integers(min_value=100, max_value=599), body=bodies, head=headers)
def test_any_error_answer_becomes_a_typed_api_error(
    status: int, body: bytes, head: dict[str, str]
) -> None:
    error = error_from_response(status, head, body)
    assert isinstance(error, ApiError)
    assert isinstance(str(error), str)
    assert isinstance(error.code, str)
    assert all(isinstance(v, str) for v in error.params.values())


@given(body=bodies)
def test_redaction_never_raises(body: bytes) -> None:
    assert isinstance(redact_body(body), str)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([200, 201, 400, 401, 403, 404, 409, 429, 500, 503]), body=bodies)
async def test_every_operation_answers_a_model_or_an_api_error(status: int, body: bytes) -> None:
    calls: list[Any] = []
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.route().mock(return_value=httpx.Response(status, content=body))
        async with CustomerApiClient(
            BASE, "demo", "c", retry=RetryPolicy(attempts=1), trace=calls.append
        ) as api:
            for operation in (
                lambda: api.anonymous_login(),
                lambda: api.login("anon", "a@example.com", "password-1"),
                lambda: api.get_profile("customer", expand_addresses=True),
                lambda: api.list_addresses("customer"),
                lambda: api.refresh_customer_token("anon", "refresh"),
                lambda: api.validate_token("customer"),
            ):
                with contextlib.suppress(ApiError):
                    await operation()
    assert len(calls) == 6


@pytest.mark.parametrize("depth", [10, 2000, 100_000])
def test_nesting_of_any_depth_is_an_api_error(depth: int) -> None:
    error = error_from_response(400, {}, b"[" * depth + b"]" * depth)
    assert isinstance(error, ApiError)
