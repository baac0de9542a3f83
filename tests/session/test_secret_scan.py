"""The scan every saved screen picture passes (the screenshot script's and the app's)."""

from __future__ import annotations

from accountdesk.session.secret_scan import secrets_in


def test_finds_secrets_also_where_the_svg_escaped_them() -> None:
    svg = "<text>Pass&#160;&amp;word-1</text><text>eyJhbGciOi.token</text>"
    found = secrets_in(svg, ["Pass &word-1", "eyJhbGciOi.token", "Not-On-Screen-9"])
    assert found == ["Pass &word-1", "eyJhbGciOi.token"]


def test_ignores_fragments_too_short_to_mean_anything() -> None:
    # A half-typed password of two letters would match every picture.
    assert secrets_in("Log in to your account", ["in", "", "account"]) == ["account"]
