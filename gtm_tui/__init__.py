"""gtm-tui: pilot a new go-to-market workflow from the terminal."""

__version__ = "0.1.0"
