"""``python -m gtm_tui.cli``: the same command as ``gtm-tui`` (the git merge driver uses it)."""

import sys

from gtm_tui.cli.main import main

sys.exit(main())
