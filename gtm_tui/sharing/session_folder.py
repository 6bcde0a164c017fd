"""The one folder a browser session may export to, as ``gtm-tui serve`` hands it to each session.

The server (``sharing.serve``) sets the variable for every session it starts;
exports (``io.exporting``) read it. It lives here, below both, so the format
layer reads it without the server importing the formats.
"""

from __future__ import annotations

# Set by ``gtm-tui serve`` for each browser session: the folder its exports must stay under.
SESSION_FOLDER_VARIABLE = "GTM_TUI_EXPORT_FOLDER"
