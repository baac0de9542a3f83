"""Checks for the sign-in forms, as pure functions (no Textual), so they can be tested alone.

Each `*_problem` function returns the short message to show next to the field, or None when
the value is acceptable. Rules follow OWASP ASVS 5.0 (V6): passwords of 8 to 128 characters,
counted as code points, any Unicode, no composition rules; 15 or more recommended; none
of the well-known passwords.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from accountdesk.tui import i18n
from accountdesk.tui.i18n import N_, _
from accountdesk.tui.wording import NO_SUCH_FOLDER

PASSWORD_MIN_LENGTH = 8
PASSWORD_RECOMMENDED_LENGTH = 15
PASSWORD_MAX_LENGTH = 128

TOO_COMMON = N_("This is one of the most common passwords; choose another.")

# zxcvbn's matching grows quickly with length; beyond this the score is already maximal
# and the extra characters would only slow down typing.
_STRENGTH_SAMPLE_LENGTH = 64

_TOKEN_PARAMETER = re.compile(r"(?:^|[?&#])token=([^&#]+)")

_SCORE_WORDS = (N_("very weak"), N_("weak"), N_("fair"), N_("good"), N_("strong"))


# C0 and C1 controls and DEL: what a paste can bring in that no single-line field should hold.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")


def control_characters_problem(value: str) -> str | None:
    """Tabs, line breaks and terminal escape sequences have no place in a one-line field."""
    if _CONTROL_CHARACTERS.search(value):
        return _("Remove the tabs, line breaks or other control characters.")
    return None


def folder_problem(value: str) -> str | None:
    """A folder to save into must exist (creating one from a typo would hide the file)."""
    return None if Path(value.strip()).expanduser().is_dir() else _(NO_SUCH_FOLDER)


# What the storefront API keeps of a free-text field (the sandbox refuses more, as a
# database column would): said before sending, in the form's words, not after a 400.
TEXT_MAX_LENGTH = 255


def length_problem(value: str, limit: int = TEXT_MAX_LENGTH) -> str | None:
    """A free-text value longer than the server keeps."""
    if len(value) > limit:
        return _("Use at most {limit} characters ({count} now).").format(
            limit=limit, count=len(value)
        )
    return None


def invisible_problem(value: str) -> str | None:
    """Text made of nothing but zero-width and other invisible format characters (and
    spaces): it would be stored as a name nobody can see. Such characters inside visible text
    (the joiner in an emoji family, ZWNJ in Persian) are fine."""
    if value.strip() and all(
        character.isspace() or unicodedata.category(character) == "Cf" for character in value
    ):
        return _(
            "Only invisible characters (such as zero-width spaces): type the text or clear it."
        )
    return None


def required_problem(value: str, label: str) -> str | None:
    """A value that must not be blank."""
    if value.strip():
        return None
    return _("{label} is required.").format(label=label)


def email_problem(value: str) -> str | None:
    """Email syntax only: deliverability (DNS) is the server's business, and needs the network."""
    candidate = value.strip()
    if not candidate:
        return _("Enter your email address.")
    # Imported on first use: the login screen paints before anyone has typed an address.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as error:
        return _email_syntax_message(str(error))
    return None


# email_validator explains in English. What people meet while typing an address is in the
# catalogue; in another language, any other explanation gives way to a general one.
_TYPING_MISTAKES = frozenset(
    {
        N_("An email address must have an @-sign."),
        N_("There must be something after the @-sign."),
        N_("There must be something before the @-sign."),
        N_("An email address cannot have two periods in a row."),
        N_("The part after the @-sign is not valid. It should have a period."),
        N_("The email address contains invalid characters before the @-sign."),
        N_("The email address contains an invalid character."),
        N_("There can't be anything after the email address."),
    }
)
NOT_AN_EMAIL_ADDRESS = N_("This is not a valid email address (like name@example.com).")


def _email_syntax_message(explanation: str) -> str:
    if explanation in _TYPING_MISTAKES:
        return _(explanation)
    if i18n.language() == i18n.SOURCE_LANGUAGE:
        return explanation
    return _(NOT_AN_EMAIL_ADDRESS)


def normalized_email(value: str) -> str:
    """The address as it should be sent: trimmed; the server compares case-insensitively."""
    return value.strip()


def same_address(first: str, second: str) -> bool:
    """True when two addresses name the same account (the server ignores case)."""
    return normalized_email(first).casefold() == normalized_email(second).casefold()


def password_problem(password: str) -> str | None:
    """What blocks submitting a new password (length limits only; no composition rules)."""
    length = len(password)
    if length == 0:
        return _("Enter a password.")
    if length < PASSWORD_MIN_LENGTH:
        return _("Use at least {minimum} characters ({length} so far).").format(
            minimum=PASSWORD_MIN_LENGTH, length=length
        )
    if length > PASSWORD_MAX_LENGTH:
        return _("Use at most {maximum} characters ({length} now).").format(
            maximum=PASSWORD_MAX_LENGTH, length=length
        )
    return None


def new_password_problem(password: str) -> str | None:
    """What blocks choosing this password: the length limits, or being a well-known password
    (ASVS 6.2.4: check against breached passwords; zxcvbn bundles the 30,000 most common)."""
    return assess_password(password).problem


def _is_common_password(sample: str, sequence: list[dict[str, Any]]) -> bool:
    """zxcvbn matched the whole password, as typed or in l33t spelling, to its list of
    common passwords."""
    return any(
        match["pattern"] == "dictionary"
        and match.get("dictionary_name") == "passwords"
        and match["i"] == 0
        and match["j"] == len(sample) - 1
        for match in sequence
    )


def passwords_match_problem(password: str, repeated: str) -> str | None:
    if not repeated:
        return _("Repeat the password.")
    if password != repeated:
        return _("The passwords don't match.")
    return None


@dataclass(frozen=True, slots=True)
class PasswordAssessment:
    """How good a new password is: `problem` blocks submitting, `hint` is advice only."""

    score: int
    """zxcvbn score, 0 (guessable) to 4 (very unguessable)."""
    problem: str | None
    hint: str

    @property
    def acceptable(self) -> bool:
        return self.problem is None


def assess_password(password: str, user_inputs: tuple[str, ...] = ()) -> PasswordAssessment:
    """Length rule plus a zxcvbn strength estimate and one line of advice.

    `user_inputs` are the user's own details (email, names): zxcvbn penalises passwords built
    from them.
    """
    problem = password_problem(password)
    if not password:
        return PasswordAssessment(
            0, problem, _("At least {minimum} characters.").format(minimum=PASSWORD_MIN_LENGTH)
        )
    # Imported on first use: its dictionaries cost startup time the login screen never needs.
    from zxcvbn import zxcvbn

    sample = password[:_STRENGTH_SAMPLE_LENGTH]
    result = zxcvbn(sample, user_inputs=[u for u in user_inputs if u])
    if problem is None and _is_common_password(sample, result["sequence"]):
        problem = _(TOO_COMMON)
    score = int(result["score"])
    feedback = result["feedback"]
    advice = _zxcvbn_advice(
        str(feedback.get("warning") or "") or next(iter(feedback.get("suggestions") or []), "")
    )
    words = _("Strength: {score}.").format(score=_(_SCORE_WORDS[score]))
    if problem == _(TOO_COMMON):
        hint = _("Strength: very weak. Attackers try this one first.")
    elif problem is not None:
        # The blocking problem is shown as the field's error; don't repeat it here.
        hint = (
            _("Too long.") if len(password) > PASSWORD_MAX_LENGTH else _("Too short to rate yet.")
        )
    elif len(password) < PASSWORD_RECOMMENDED_LENGTH:
        hint = _("{strength} {length}+ characters are recommended.").format(
            strength=words, length=PASSWORD_RECOMMENDED_LENGTH
        )
    elif advice:
        hint = f"{words} {advice}"
    else:
        hint = words
    return PasswordAssessment(score, problem, hint)


def _zxcvbn_advice(advice: str) -> str:
    """zxcvbn's advice in the UI's language; none where the catalogue has no translation of
    it (an English sentence inside a German hint would read worse than no advice)."""
    if not advice:
        return ""
    translated = _(advice)
    if translated == advice and i18n.language() != i18n.SOURCE_LANGUAGE:
        return ""
    return translated


def extract_token(pasted: str) -> str | None:
    """The emailed token from a bare token or a pasted link; None if there is nothing usable.

    Links come as `https://shop/signup/optin/<token>` (the token is the last path segment) or
    with a `token=` query parameter. Mail clients wrap long lines, so all whitespace goes.
    """
    text = "".join(pasted.split())
    if not text:
        return None
    in_query = _TOKEN_PARAMETER.search(text)
    if in_query:
        return unquote(in_query.group(1))
    if "://" not in text and not text.startswith("/"):
        return unquote(text)
    segments = [segment for segment in urlsplit(text).path.split("/") if segment]
    if not segments:
        return None
    return unquote(segments[-1])


def token_problem(pasted: str) -> str | None:
    if not pasted.strip():
        return _("Paste the code or the whole link from the email.")
    if extract_token(pasted) is None:
        return _("No code found in that link; paste the code itself.")
    return None


_PHONE_EXAMPLE = "+44 20 7946 0018"


def phone_problem(value: str) -> str | None:
    """A phone number in international format (``+`` and the country code first): a profile
    has no country to guess the code from, so a local number would be ambiguous."""
    candidate = value.strip()
    if not candidate:
        return None
    # Imported on first use: its metadata tables are large and only profile forms need them.
    import phonenumbers
    from phonenumbers import NumberParseException, ValidationResult

    if not candidate.startswith(("+", "00")):
        return _("Start with + and the country code, for example {example}.").format(
            example=_PHONE_EXAMPLE
        )
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    try:
        number = phonenumbers.parse(candidate, None)
    except NumberParseException as error:
        if error.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            return _("Unknown country code after the +; check the first digits.")
        if error.error_type == NumberParseException.NOT_A_NUMBER:
            return _("Use digits only (spaces, dashes and brackets are fine).")
        return _("This is not a phone number; for example {example}.").format(
            example=_PHONE_EXAMPLE
        )
    country = f"+{number.country_code}"
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return _("Unknown country code after the +; check the first digits.")
    if reason == ValidationResult.TOO_SHORT:
        return _("Too few digits for a {country} number.").format(country=country)
    if reason == ValidationResult.TOO_LONG:
        return _("Too many digits for a {country} number.").format(country=country)
    if reason != ValidationResult.IS_POSSIBLE or not phonenumbers.is_valid_number(number):
        return _("Not a valid {country} number; check the digits after the country code.").format(
            country=country
        )
    return None
