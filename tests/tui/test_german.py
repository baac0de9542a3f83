"""German: the catalogue is complete and consistent, nothing user-facing bypasses it, and the
app paints in German when asked (``--lang de``, ``language = "de"``, the locale)."""

from __future__ import annotations

import ast
import gettext
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from helpers import EMBEDDED, demo_logged_in, kiosk_settings, settle, wait_ready, wait_until
from textual.pilot import Pilot
from textual.widgets import Button, Static

from accountdesk.cli import _load_settings, build_parser, main
from accountdesk.session import Environment, Settings
from accountdesk.tui import address_rules, i18n
from accountdesk.tui.app import AccountDeskApp
from accountdesk.tui.screens.account import AccountScreen
from accountdesk.tui.screens.export import SaveFolderScreen
from accountdesk.tui.screens.signup import SignUpScreen
from accountdesk.tui.validation import email_problem
from accountdesk.tui.wording import local_time, plural

ROOT = Path(__file__).resolve().parents[2]
TUI = ROOT / "src" / "accountdesk" / "tui"
TEMPLATE = i18n.LOCALE_DIR / "accountdesk.pot"
GERMAN = i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "accountdesk.po"
COMPILED = GERMAN.with_suffix(".mo")
COMPACT = (80, 24)
# The keyword specs `python3 dev.py i18n` extracts with (babel.cfg, -k plural:2,3).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "plural": (2, 3)}

SnapCompare = Callable[..., bool]
MakeApp = Callable[..., AccountDeskApp]


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def messages(catalogue: Catalog) -> Iterator[Message]:
    return (message for message in catalogue if message.id)


def forms(text: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if text is None:
        return ()
    return text if isinstance(text, tuple) else (text,)


# -- the catalogue --------------------------------------------------------------------------


def test_template_holds_exactly_the_messages_in_the_code() -> None:
    """A `_()` added without running ``python3 dev.py i18n`` would never be translated."""
    in_code = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            TUI, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        )
    }
    in_template = {message.id for message in messages(read_catalogue(TEMPLATE))}
    assert in_code == in_template


def test_every_message_has_a_finished_german_translation() -> None:
    template = {message.id for message in messages(read_catalogue(TEMPLATE))}
    german = {message.id: message for message in messages(read_catalogue(GERMAN))}
    assert template == set(german)
    for message in german.values():
        assert not message.fuzzy, message.id
        assert forms(message.string), message.id
        assert all(forms(message.string)), message.id


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdr]")


@pytest.mark.parametrize(
    "message", list(messages(read_catalogue(GERMAN))), ids=lambda message: str(message.id)[:40]
)
def test_placeholders_are_the_same_in_german(message: Message) -> None:
    """Each form has the placeholders of its English form; a singular may leave out the count
    ("Unsaved change"), as English does."""
    english = [set(_PLACEHOLDER.findall(form)) for form in forms(message.id)]
    german = [set(_PLACEHOLDER.findall(form)) for form in forms(message.string)]
    if len(english) == 1:
        assert german == english, message.string
    else:
        assert german[-1] == english[-1], message.string
        assert all(form <= english[-1] for form in german), message.string


def test_compiled_catalogue_matches_the_po_file() -> None:
    """The .mo that ships is the .po as it is now (``python3 dev.py i18n`` compiles it)."""
    fresh = io.BytesIO()
    write_mo(fresh, read_catalogue(GERMAN))
    fresh.seek(0)
    with COMPILED.open("rb") as shipped:
        assert gettext.GNUTranslations(shipped)._catalog == (  # type: ignore[attr-defined]
            gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        )


# -- nothing user-facing outside the catalogue ---------------------------------------------

# Calls whose first argument is shown to the user, keywords that are, attributes that are.
_SHOWN_FIRST_ARGUMENT = {
    "Static", "Label", "Button", "FormField", "Checkbox", "RadioButton", "notify",
    "show_success", "show_error", "set_error", "update", "add_column", "Text",
    "ConfirmScreen", "Collapsible", "TabPane", "Option",
}  # fmt: skip
_SHOWN_KEYWORDS = {
    "placeholder", "title", "hint", "tooltip", "label", "prompt", "description", "message",
    "sub_title", "detail", "confirm_label", "cancel_label", "reason", "notice",
}  # fmt: skip
_SHOWN_ATTRIBUTES = {"border_title", "border_subtitle", "label", "tooltip", "title", "sub_title"}
_TRANSLATING = {"_", "N_", "ngettext", "plural"}
# Their ``description`` names a worker in the log, not a key in the footer.
_WORKERS = {"work", "run_worker", "_queue"}


def _has_words(node: ast.expr) -> bool:
    """A literal with letters in it: a string, or an f-string's fixed parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(character.isalpha() for character in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.IfExp):
        return _has_words(node.body) or _has_words(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_has_words(value) for value in node.values)
    return False


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def untranslated_literals(source: str) -> list[tuple[int, str]]:
    """(line, code) of each English literal in a user-facing position not wrapped in `_`."""
    found: list[ast.expr] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _call_name(node) not in _TRANSLATING | _WORKERS:
            name = _call_name(node)
            shown = list(node.args[:1]) if name in _SHOWN_FIRST_ARGUMENT else []
            if name == "Binding":
                shown = node.args[2:3]
            shown += [kw.value for kw in node.keywords if kw.arg in _SHOWN_KEYWORDS]
            found += [value for value in shown if _has_words(value)]
        elif isinstance(node, ast.arguments):
            # A default shown when the caller gives none: `label: str = "Password"`.
            positional = node.posonlyargs + node.args
            pairs = list(
                zip(positional[len(positional) - len(node.defaults) :], node.defaults, strict=True)
            )
            pairs += [
                (a, d)
                for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True)
                if d is not None
            ]
            found += [d for a, d in pairs if a.arg in _SHOWN_KEYWORDS and _has_words(d)]
        elif isinstance(node, ast.Assign):
            targets = node.targets
            if any(isinstance(t, ast.Attribute) and t.attr in _SHOWN_ATTRIBUTES for t in targets):
                found += [node.value] if _has_words(node.value) else []
            if any(isinstance(t, ast.Name) and t.id in ("TITLE", "SUB_TITLE") for t in targets):
                found += [node.value] if _has_words(node.value) else []
    return [(node.lineno, ast.unparse(node)[:80]) for node in found]


# A sentence: a capital, then at least two more words ("Type the tag first.").
_SENTENCE = re.compile(r"^[A-Z][\w']*(?: [^ ]+){2,}")
# Where a sentence is not for the user: log lines and a worker's description (the log's).
_NOT_SHOWN_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
# Sentences that never reach the screen, each with why.
_NOT_FOR_THE_USER = {
    "Account Desk sandbox ready at ",  # the embedded sandbox's ready line, read by the app
    "Account Desk stylesheets not found (looked in ",  # a broken install, for the developer
}


def _docstrings(tree: ast.AST) -> set[ast.AST]:
    """Docstrings, and the string statements that document an attribute."""
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def untranslated_sentences(source: str) -> list[tuple[int, str]]:
    """(line, text) of each English sentence outside the catalogue wherever it stands (a
    returned validation message, a constant, an exception's text), besides docstrings, log
    lines and worker descriptions: the positions `untranslated_literals` does not know."""
    tree = ast.parse(source)
    skipped: set[ast.AST] = _docstrings(tree)
    for node in ast.walk(tree):
        not_shown = isinstance(node, ast.Call) and _call_name(node) in _NOT_SHOWN_CALLS
        translated = isinstance(node, ast.Call) and _call_name(node) in _TRANSLATING
        described = isinstance(node, ast.keyword) and node.arg == "description"
        if not_shown or translated or described:
            skipped.update(ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if node in skipped or not isinstance(node, ast.Constant):
            continue
        text = node.value
        if isinstance(text, str) and _SENTENCE.match(text) and text not in _NOT_FOR_THE_USER:
            found.append((node.lineno, text[:80]))
    return sorted(found)


@pytest.mark.parametrize(
    "path", sorted(TUI.rglob("*.py")), ids=lambda path: str(path.relative_to(TUI))
)
def test_no_english_literal_is_shown_without_the_catalogue(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert untranslated_literals(source) == []
    assert untranslated_sentences(source) == []


def test_the_scan_finds_what_it_is_for() -> None:
    source = (
        'Button("Log in")\nLabel(f"Hello {name}")\nx.border_title = "Inbox"\n'
        'Binding("f2", "log", "API log")\nInput(placeholder="you@example.com")\n'
        'Button(_("Log in"))\nStatic("…")\nLabel(f"{label} *")\n'
        'def field(label: str = "Password") -> None: ...\n'
    )
    assert sorted(line for line, _code in untranslated_literals(source)) == [1, 2, 3, 4, 5, 9]
    anywhere = (
        'def tag_problem() -> str:\n    return "Type the tag first."\n'
        'REASON = "Your session expired. Log in again."\n'
        'raise SandboxStartError(f"The sandbox did not start within {n} seconds.")\n'
        'return _("Use at most {limit} characters.")\n'
        '_log.warning("The keyring did not answer in time")\n'
        '@work(description="Loading the account")\ndef load() -> None:\n'
        '    """Load the account from the server."""\n'
        'CITY = "city"\n'
    )
    assert [line for line, _text in untranslated_sentences(anywhere)] == [2, 3, 4]


# -- choosing the language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "environ", "chosen"),
    [
        ("de", {}, "de"),
        ("de_AT", {"LANG": "en_US.UTF-8"}, "de"),
        (None, {"LANG": "de_DE.UTF-8"}, "de"),
        (None, {"LC_ALL": "de_CH.UTF-8", "LANG": "en_GB.UTF-8"}, "de"),
        (None, {"LANGUAGE": "fr:de", "LANG": "en_GB.UTF-8"}, "de"),
        (None, {"LANGUAGE": "en", "LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_language_from_the_flag_the_config_or_the_locale(
    requested: str | None, environ: dict[str, str], chosen: str
) -> None:
    assert i18n.choose_language(requested, environ) == chosen


def test_an_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "xx"]) == 2
    assert "unknown language 'xx'; choose one of: en, de" in capsys.readouterr().err


def test_the_config_file_sets_the_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "de"\n')
    monkeypatch.setenv("ACCOUNTDESK_CONFIG", str(config))
    loaded = _load_settings(build_parser().parse_args([]))
    assert not isinstance(loaded, int)
    assert loaded[0].language == "de"


def test_validation_messages_speak_german() -> None:
    """Messages built from parts (a country, a kind of postal code, examples) read as German
    sentences, with the country's German name."""
    i18n.use_language("de")
    postal = address_rules.postal_code_problem("US", "ABC")
    assert postal is not None
    assert postal.startswith("PLZ (Land: Vereinigte Staaten) sieht so aus: ")
    assert " oder " in postal
    assert address_rules.postal_code_problem("DE", "1") == (
        "Postleitzahl (Land: Deutschland) sieht so aus: 26133 oder 53225."
    )
    phone = address_rules.phone_problem("DE", "12")
    assert phone is not None
    assert phone.startswith("Keine gültige Telefonnummer (Land: Deutschland); zum Beispiel +49")
    assert address_rules.tag_problem("a,b") == (
        "Ein Tag darf kein Komma enthalten; fügen Sie die Tags einzeln hinzu."
    )
    assert address_rules.rules_for("US").postal_placeholder.startswith("z. B.")
    i18n.use_language("en")
    assert address_rules.postal_code_problem("DE", "1") == (
        "A postal code in Germany looks like 26133 or 53225."
    )


def test_plurals_dates_and_country_names_follow_the_language() -> None:
    from datetime import UTC, datetime

    i18n.use_language("de")
    assert plural(1, "{n} address", "{n} addresses") == "1 Adresse"
    assert plural(1234, "{n} address", "{n} addresses") == "1.234 Adressen"
    assert "Dez." in local_time(datetime(2026, 12, 2, 12, tzinfo=UTC))
    assert i18n.country_name("Germany") == "Deutschland"
    i18n.use_language("en")
    assert plural(2, "{n} address", "{n} addresses") == "2 addresses"
    assert i18n.country_name("Germany") == "Germany"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ada", "Eine E-Mail-Adresse braucht ein @-Zeichen."),
        ("ada@", "Nach dem @-Zeichen muss etwas stehen."),
        (
            "ada@example",
            "Der Teil nach dem @-Zeichen ist ungültig: Er sollte einen Punkt enthalten.",
        ),
        # email_validator names the character: no catalogue entry, a general message instead.
        ("a da@example.com", "Das ist keine gültige E-Mail-Adresse (wie name@example.com)."),
    ],
)
def test_email_syntax_problems_in_german(value: str, expected: str) -> None:
    i18n.use_language("de")
    assert email_problem(value) == expected


# -- the app in German -----------------------------------------------------------------------


def screen_text(app: AccountDeskApp) -> str:
    shown = [str(static.render()) for static in app.screen.query(Static)]
    shown += [str(button.label) for button in app.screen.query(Button)]
    return " ".join(shown)


async def test_lang_de_paints_the_login_screen_in_german(make_app: MakeApp) -> None:
    """What ``accountdesk --lang de`` builds: the settings from the command line."""
    loaded = _load_settings(build_parser().parse_args(["--lang", "de"]))
    assert not isinstance(loaded, int)
    app = make_app(settings=loaded[0])
    async with app.run_test(size=COMPACT) as pilot:
        await wait_ready(pilot, app)
        await settle(pilot)
        text = screen_text(app)
        assert "Bei Ihrem Konto anmelden" in text
        assert "Passwort vergessen?" in text
        assert "Log in to your account" not in text
        footer = [str(key.description) for key in app.screen.query("FooterKey")]
        assert "Anmelden" in footer
        assert "Beenden" in footer


@pytest.fixture
def german_app(make_app: MakeApp) -> AccountDeskApp:
    return make_app(
        Environment(name="sandbox", base_url=None, tenant="demo", client_id="demo-storefront"),
        settings=Settings(language="de"),
    )


def test_german_login_at_80x24(snap_compare: SnapCompare, german_app: AccountDeskApp) -> None:
    assert snap_compare(german_app, run_before=settle, terminal_size=COMPACT)


def test_german_signup_at_80x24(snap_compare: SnapCompare, german_app: AccountDeskApp) -> None:
    async def signing_up(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(SignUpScreen(email="ada@example.com"))
        await settle(pilot)

    assert snap_compare(german_app, run_before=signing_up, terminal_size=COMPACT)


def test_german_account_at_80x24(snap_compare: SnapCompare, german_app: AccountDeskApp) -> None:
    async def in_german(pilot: Pilot[Any]) -> None:
        # The demo customer prefers British English, which the account follows: the operator
        # switches to German (tests/tui/test_customer_language.py has the rules).
        await demo_logged_in(pilot)
        app = pilot.app
        await wait_until(pilot, lambda: i18n.language() == "en", what="English, as preferred")
        await settle(pilot)
        await pilot.press("f10")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, AccountScreen)
                and app.screen.card.border_title == "Ihr Konto"
                and "Lovelace" in str(app.screen.query_one("#account-name", Static).render())
            ),
            what="the account in German",
        )
        await settle(pilot)

    assert snap_compare(german_app, run_before=in_german, terminal_size=COMPACT)


async def test_kiosk_banner_and_dialog_footers_in_german_at_80x24(make_app: MakeApp) -> None:
    """The kiosk's banner fits one line at 80 columns in German, and a dialog's own footer
    (a plain Textual footer before) lists its keys in German too."""
    app = make_app(EMBEDDED, settings=kiosk_settings("screenshot", language="de"))
    async with app.run_test(size=COMPACT) as pilot:
        await wait_ready(pilot, app)
        await settle(pilot)
        banner = app.screen.query_one(".kiosk-banner", Static)
        expected = "Geteiltes Terminal · nach 2 Minuten ohne Eingabe wird Ihre Sitzung gelöscht"
        assert str(banner.render()) == expected
        assert banner.size.width >= len(expected)

        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFolderScreen), what="dialog")
        await settle(pilot)
        assert "Ein Bild dieses Bildschirms speichern" in screen_text(app)
        footer = [str(key.description) for key in app.screen.query("FooterKey")]
        assert footer == ["Speichern", "Abbrechen"]


_TEXTUAL_WIDGETS_WE_USE = (
    "Button", "Checkbox", "DataTable", "Input", "OptionList", "RadioButton", "RadioSet", "Select",
    "TextArea",
)  # fmt: skip


async def test_textuals_key_panel_lists_the_keys_in_german(make_app: MakeApp) -> None:
    """The "Keys" panel (Textual's, from the palette) reads the same translated bindings as
    the footer and the palette."""
    app = make_app(settings=Settings(language="de"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot, app)
        app.action_show_help_panel()
        await settle(pilot)
        table = app.screen.query_one("BindingsTable")
        shown = "\n".join(line.text for line in table.render_lines(table.region.reset_offset))
        for german in ("Beenden", "Sprache", "API-Log", "Nach oben blättern"):
            assert german in shown
        assert "Quit" not in shown


def test_every_key_textual_shows_for_our_widgets_is_in_the_catalogue() -> None:
    """A Textual upgrade that adds a key to a widget we use fails here: mark its description
    in `TEXTUAL_DESCRIPTIONS` and translate it."""
    from textual import containers, screen, widgets
    from textual.widgets._select import SelectOverlay  # Select's menu; not exported

    from accountdesk.tui.localized_bindings import TEXTUAL_DESCRIPTIONS

    used = [
        *(getattr(widgets, name) for name in _TEXTUAL_WIDGETS_WE_USE),
        SelectOverlay,
        containers.VerticalScroll,
        screen.Screen,
    ]
    shown = {
        binding.description
        for widget in used
        for _key, binding in widget._merge_bindings()
        if binding.description
    }
    assert shown - set(TEXTUAL_DESCRIPTIONS) == set()
