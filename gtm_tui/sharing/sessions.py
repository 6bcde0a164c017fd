"""What ``gtm-tui serve`` tells each browser session's app process, through its environment.

The server sets it, the exports read it: kept here, apart from the server, so
an export does not load the web server to learn one name.
"""

from __future__ import annotations

# The folder a browser session's exports must stay under (the server owner's choice).
SESSION_FOLDER_VARIABLE = "GTM_TUI_EXPORT_FOLDER"
