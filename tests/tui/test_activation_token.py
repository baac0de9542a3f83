"""Reading the emailed token out of whatever the user pastes."""

from __future__ import annotations

import pytest

from accountdesk.tui.validation import extract_token, token_problem


@pytest.mark.parametrize(
    ("pasted", "token"),
    [
        ("abc123DEF", "abc123DEF"),
        ("  abc123DEF \n", "abc123DEF"),
        ("https://shop.example/signup/optin/abc123DEF", "abc123DEF"),
        ("https://shop.example/signup/optin/abc123DEF/", "abc123DEF"),
        ("https://shop.example/signup/optin/abc123DEF?utm_source=mail", "abc123DEF"),
        ("/signup/optin/abc123DEF", "abc123DEF"),
        ("https://shop.example/password/reset?token=abc123DEF&lang=en", "abc123DEF"),
        ("https://shop.example/reset?lang=en&token=abc%2B123", "abc+123"),
        ("https://shop.example/reset#token=abc123DEF", "abc123DEF"),
        ("token=abc123DEF", "abc123DEF"),
        # A mail client wrapped the long link over two lines.
        ("https://shop.example/signup/optin/abc1\n23DEF", "abc123DEF"),
    ],
)
def test_token_comes_from_bare_code_or_link(pasted: str, token: str) -> None:
    assert extract_token(pasted) == token


def test_query_parameter_must_be_named_token_exactly() -> None:
    assert extract_token("https://shop.example/optin/abc?mytoken=zzz") == "abc"


@pytest.mark.parametrize("pasted", ["", "   ", "\n"])
def test_nothing_pasted(pasted: str) -> None:
    assert extract_token(pasted) is None
    assert token_problem(pasted) == "Paste the code or the whole link from the email."


def test_link_without_a_token() -> None:
    assert extract_token("https://shop.example") is None
    assert (
        token_problem("https://shop.example/")
        == "No code found in that link; paste the code itself."
    )
    assert token_problem("abc123") is None
