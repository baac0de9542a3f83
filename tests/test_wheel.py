"""The built wheel is a working install: it carries the stylesheets and the app finds them there.

An editable install reads the checkout's top-level styles/, which would hide a wheel that
forgot them; so this builds the real wheel, installs it into an empty directory and asks the
installed package where its styles are.
"""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "--target", "wheel", "--directory", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("accountdesk-*.whl")
    return built


def test_wheel_ships_every_stylesheet_inside_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for sheet in sorted((ROOT / "styles").glob("*.tcss")):
        assert f"accountdesk/styles/{sheet.name}" in names


def test_wheel_ships_the_compiled_translations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for catalogue in sorted((ROOT / "src/accountdesk/tui/locale").glob("*/LC_MESSAGES/*.mo")):
        relative = catalogue.relative_to(ROOT / "src")
        assert relative.as_posix() in names
    assert "accountdesk/tui/locale/de/LC_MESSAGES/accountdesk.mo" in names


def test_app_installed_from_the_wheel_finds_its_styles_in_the_install(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = "from accountdesk.tui.paths import stylesheets; print(*stylesheets(), sep='\\n')"
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {probe}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    found = [Path(line) for line in result.stdout.splitlines()]
    assert [path.name for path in found][:2] == ["app.tcss", "forms.tcss"]
    assert all(path.is_relative_to(target / "accountdesk" / "styles") for path in found)
