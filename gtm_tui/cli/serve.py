"""``gtm-tui serve [FILE] [--host H --port P --exports DIR --max-sessions N]``: vet the file, print the URL, serve.

The server (token, TokenServer, what makes a file unusable) is
``gtm_tui.sharing.serve``; this module only reads the command line.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from gtm_tui.cli import DEFAULT_FILE
from gtm_tui.cli.errors import OK, fail
from gtm_tui.sharing.serve import (
    DEFAULT_HOST,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_PORT,
    TokenServer,
    new_token,
    unusable_reason,
)


def serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gtm-tui serve",
        description="Serve the app to browsers: every teammate who opens the printed URL works on the same file.",
    )
    parser.add_argument("file", nargs="?", default=DEFAULT_FILE, help=f"the workspace file (default: {DEFAULT_FILE})")
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only; 0.0.0.0 opens it to the network)",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the port (default: {DEFAULT_PORT})")
    parser.add_argument("--exports", help="the folder browser sessions export into (default: the workspace's folder)")
    parser.add_argument(
        "--max-sessions", type=int, default=DEFAULT_MAX_SESSIONS,
        help=f"browser sessions at once, each a gtm-tui process (default: {DEFAULT_MAX_SESSIONS})",
    )
    return parser


def run(argv: Sequence[str]) -> int:
    args = serve_parser().parse_args(argv)
    if not 0 < args.port < 65536:
        return fail(f"port {args.port} is not a port number (1-65535)")
    path = Path(args.file)
    reason = unusable_reason(path)
    if reason:
        return fail(reason)
    if args.max_sessions < 1:
        return fail(f"--max-sessions {args.max_sessions}: at least one session is needed")
    exports = Path(args.exports).expanduser() if args.exports else None
    if exports is not None and not exports.is_dir():
        return fail(f"export folder {exports} does not exist")
    server = TokenServer(
        path.resolve(),
        host=args.host,
        port=args.port,
        token=new_token(),
        exports=exports,
        max_sessions=args.max_sessions,
    )
    try:
        server.serve()
    except OSError as error:
        return fail(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
    return OK
