"""Finding the stylesheets: the wheel's copy first, then the checkout's styles/."""

from __future__ import annotations

from pathlib import Path

import pytest

from accountdesk.tui import paths


def make_styles(directory: Path, *names: str) -> Path:
    directory.mkdir(parents=True)
    for name in names:
        (directory / name).write_text("/* */\n")
    return directory


def test_app_then_forms_then_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    styles = make_styles(tmp_path / "styles", "zeta.tcss", "forms.tcss", "app.tcss", "alpha.tcss")
    monkeypatch.setattr(paths, "_CANDIDATES", (styles,))
    assert [path.name for path in paths.stylesheets()] == [
        "app.tcss",
        "forms.tcss",
        "alpha.tcss",
        "zeta.tcss",
    ]


def test_the_installed_copy_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = make_styles(tmp_path / "site" / "styles", "app.tcss")
    checkout = make_styles(tmp_path / "repo" / "styles", "app.tcss")
    monkeypatch.setattr(paths, "_CANDIDATES", (installed, checkout))
    assert paths.styles_dir() == installed
    monkeypatch.setattr(paths, "_CANDIDATES", (tmp_path / "missing", checkout))
    assert paths.styles_dir() == checkout


def test_missing_styles_say_where_they_were_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "_CANDIDATES", (tmp_path / "nowhere",))
    with pytest.raises(FileNotFoundError, match="nowhere"):
        paths.stylesheets()


def test_the_checkout_has_the_app_stylesheet() -> None:
    assert paths.stylesheets()[0].name == "app.tcss"
