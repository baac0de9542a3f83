"""`python -m accountdesk.sandbox serve ...`."""

import sys

from accountdesk.sandbox.cli import main

sys.exit(main())
