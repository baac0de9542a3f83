"""The pure form checks behind the sign-up, login and reset screens."""

from __future__ import annotations

import pytest

from accountdesk.tui.validation import (
    PASSWORD_MAX_LENGTH,
    TOO_COMMON,
    assess_password,
    email_problem,
    new_password_problem,
    password_problem,
    passwords_match_problem,
    required_problem,
)


@pytest.mark.parametrize(
    "value", ["ada@example.com", "  ada@example.com ", "ada+shop@sub.example.co.uk"]
)
def test_email_syntax_accepts_ordinary_addresses(value: str) -> None:
    assert email_problem(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "Enter your email address."),
        ("ada", "@-sign"),
        ("ada@", "after the @-sign"),
        ("ada@example", "period"),
        ("a da@example.com", "invalid characters"),
    ],
)
def test_email_syntax_names_the_problem(value: str, expected: str) -> None:
    problem = email_problem(value)
    assert problem is not None
    assert expected in problem


def test_email_check_does_not_need_dns() -> None:
    # A syntactically valid domain that cannot resolve must pass: deliverability is not checked.
    assert email_problem("someone@no-such-domain.invalid-tld-for-tests") is None


def test_required_rejects_blank_and_whitespace() -> None:
    assert required_problem("", "First name") == "First name is required."
    assert required_problem("   ", "City") == "City is required."
    assert required_problem("Ada", "First name") is None


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("", "Enter a password."),
        ("1234567", "Use at least 8 characters (7 so far)."),
        ("x" * (PASSWORD_MAX_LENGTH + 1), "Use at most 128 characters (129 now)."),
    ],
)
def test_password_length_limits_block(password: str, problem: str) -> None:
    assert password_problem(password) == problem
    assert not assess_password(password).acceptable


def test_password_length_counts_code_points_and_allows_any_unicode() -> None:
    # 8 emoji are 8 characters (32 bytes in UTF-8): acceptable, never truncated.
    assert password_problem("😀" * 8) is None
    assert password_problem("x" * PASSWORD_MAX_LENGTH) is None
    assert password_problem("pass word with spaces") is None


def test_short_but_valid_password_warns_about_recommended_length() -> None:
    assessment = assess_password("Kx9#mPq2vL")
    assert assessment.acceptable
    assert "15+ characters are recommended" in assessment.hint


def test_common_password_scores_low_with_zxcvbn_advice() -> None:
    assessment = assess_password("passwordpassword")
    assert assessment.acceptable  # no composition rules: weak is advice, not a block
    assert assessment.score <= 1
    assert "weak" in assessment.hint


def test_long_random_password_is_strong() -> None:
    assessment = assess_password("violet-harbour-telescope-quietly-7")
    assert assessment.score == 4
    assert assessment.hint == "Strength: strong."


def test_password_built_from_user_details_is_penalised() -> None:
    alone = assess_password("lovelaceada1815")
    with_details = assess_password("lovelaceada1815", ("ada", "lovelace", "ada@example.com"))
    assert with_details.score <= alone.score


def test_passwords_must_match() -> None:
    assert passwords_match_problem("secret-one", "") == "Repeat the password."
    assert passwords_match_problem("secret-one", "secret-two") == "The passwords don't match."
    assert passwords_match_problem("secret-one", "secret-one") is None


def test_blocked_password_hint_does_not_repeat_the_error() -> None:
    assert assess_password("short").hint == "Too short to rate yet."
    assert assess_password("x" * (PASSWORD_MAX_LENGTH + 1)).hint == "Too long."


@pytest.mark.parametrize("password", ["password1", "p@ssw0rd", "iloveyou", "monkey123", "Sunshine"])
def test_well_known_passwords_are_refused(password: str) -> None:
    assert password_problem(password) is None  # long enough...
    assessment = assess_password(password)
    assert assessment.problem == TOO_COMMON  # ...but on every attacker's list
    assert new_password_problem(password) == TOO_COMMON
    assert assessment.hint == "Strength: very weak. Attackers try this one first."


def test_a_common_word_inside_a_longer_password_is_only_advice() -> None:
    assert new_password_problem("Demo-Password-42") is None
    assert new_password_problem("monkey123-under-the-bridge") is None
