"""The Textual app: screens, widgets and the shell that wires them to the session."""
