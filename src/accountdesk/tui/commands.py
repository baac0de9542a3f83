"""The command palette lists every Account Desk key binding of the current screen and the app.

Deriving the commands from the live bindings (rather than a second hand-kept list) means a
new screen's actions appear in the palette as soon as it declares its BINDINGS.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from accountdesk.tui.i18n import N_, _
from accountdesk.tui.wording import PALETTE_KEYWORDS

# Already offered by Textual's own system commands provider.
_SYSTEM_ACTIONS = frozenset({"quit", "command_palette", "change_theme", "help_quit"})

# What Textual's palette says in English (App.get_system_commands, the prompt), marked for the
# catalogue: translated where the palette shows it. A text Textual rewords stays English.
TEXTUAL_PALETTE_TEXTS = (
    N_("Search for commands…"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
)


def localized(command: SystemCommand) -> SystemCommand:
    """One of Textual's system commands in the UI's language (searched by the words shown)."""
    return command._replace(title=_(command.title), help=_(command.help))


class BoundActionsProvider(Provider):
    """One command per enabled binding of the app and the screen the palette was opened on."""

    def _commands(self) -> list[tuple[str, str, str, Callable[[], object]]]:
        """(name, help, binding id, callback) of each command, by name."""
        commands: list[tuple[str, str, str, Callable[[], object]]] = []
        seen: set[tuple[int, str]] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            node = active.node
            # Our bindings all carry an id (remappable); Textual's plumbing (tab focus,
            # copy) does not, and the system commands provider lists the rest.
            if not active.enabled or not binding.description or not binding.id:
                continue
            # Widget-level bindings (cursor moves in an Input) are not palette material.
            if not isinstance(node, App | Screen) or binding.action in _SYSTEM_ACTIONS:
                continue
            if (id(node), binding.action) in seen:
                continue
            seen.add((id(node), binding.action))
            key_display = self.app.get_key_display(binding) or key
            # The screen's active bindings speak the UI's language already.
            help_text = binding.tooltip or _("Key: {key}").format(key=key_display)
            commands.append(
                (
                    binding.description,
                    help_text,
                    binding.id,
                    partial(self.app.run_action, binding.action, node),
                )
            )
        return sorted(commands, key=lambda command: command[0])

    async def discover(self) -> Hits:
        for name, help_text, _id, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, binding_id, callback in self._commands():
            # The binding id and the keywords name the action in other words ("toggle-theme",
            # "dark light" for "Light/dark"): searching "theme" finds it. Names rank first.
            score = max(
                matcher.match(name),
                matcher.match(binding_id.replace("-", " ")) * 0.9,
                matcher.match(_(PALETTE_KEYWORDS.get(binding_id, ""))) * 0.8,
            )
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
