"""``python -m accountdesk``: the same as the ``accountdesk`` command."""

from accountdesk.cli import main

raise SystemExit(main())
