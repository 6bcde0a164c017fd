"""The ``gtm-tui`` command: ``main.py`` picks the verb, each verb is a module of its own."""

from __future__ import annotations

DEFAULT_FILE = "gtm-pilot.json"  # the workspace ``gtm-tui`` and ``gtm-tui serve`` open when none is named
