"""The server behind ``gtm-tui serve``: the team works on one workspace file from their browsers.

textual-serve runs a fresh ``gtm-tui FILE`` process for every browser session
and relays its screen over a websocket. Every session opens the same file, so
the workspace's lock and its field-by-field merge (storage.py, workspace.py)
keep teammates' edits from colliding, exactly as for two terminals.

The page gives whoever loads it full edit rights to the pilot, so it is never
open to anyone who merely reaches the port: the server listens on 127.0.0.1
unless told otherwise and every request needs a random access token. The
token comes in the URL printed at start (``?token=…``); the first request that
carries it gets an HttpOnly, SameSite=Strict cookie so the page's own
websocket and static files pass too (the page's script adds its own query to
the websocket URL, so the token cannot ride there). Anything else gets a 403.

This module imports textual-serve (aiohttp) but never Textual itself: the
session processes are where the app runs. The command line itself (options,
exit codes) is ``gtm_tui.cli.serve``.
"""

from __future__ import annotations

import logging
import os
import secrets
import shlex
import socket
import sys
from pathlib import Path
from typing import Awaitable, Callable

import aiohttp_jinja2
from aiohttp import web
# textual_serve is aiohttp and imports no Textual (the app itself runs in child processes), so the
# core stays Textual-free; tests/test_architecture.py checks the real imports.
from textual_serve.server import Server, to_int

from gtm_tui.data.storage import WorkspaceFileError
from gtm_tui.data.workspace import Workspace

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_COOKIE = "gtm_tui_token"
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_token() -> str:
    """A fresh access token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def session_command(path: Path) -> str:
    """The shell command each browser session runs: this very Python, on the file's absolute path.

    textual-serve starts it through the shell, so every part is quoted: a
    file named ``pilot; rm -rf ~.json`` stays a file name.
    """
    return shlex.join([sys.executable, "-m", "gtm_tui.cli", str(path.resolve())])


def page_url(host: str, port: int, token: str) -> str:
    """The URL to hand to teammates (a wildcard host is shown as this machine's name)."""
    if host in WILDCARD_HOSTS:
        host = socket.gethostname()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}/?token={token}"


def unusable_reason(path: Path) -> str | None:
    """Why ``path`` cannot be served (one clear line), or None when every session could open and save it.

    Checked before listening, so a typo fails at once in the terminal instead
    of in every teammate's browser.
    """
    if path.is_dir():
        return f"{path} is a folder; give the workspace file inside it"
    if not path.exists():
        return f"{path} does not exist; create it first (gtm-tui new {shlex.quote(str(path))})"
    try:
        Workspace.open(path)
    except WorkspaceFileError as error:
        return str(error)
    if not os.access(path, os.R_OK | os.W_OK):
        return f"{path} is read-only for you; teammates' changes could not be saved"
    if not os.access(path.resolve().parent, os.W_OK | os.X_OK):
        return f"folder {path.resolve().parent} is read-only for you; the lock file and saves need to write there"
    return None


def token_matches(given: str | None, token: str) -> bool:
    """Compare in constant time, so the token cannot be guessed byte by byte from response times."""
    if not given:
        return False
    return secrets.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def same_origin(request: web.Request) -> bool:
    """True unless the request comes from a page on another site (a browser always sends Origin on websockets)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1].rstrip("/") == request.host


class TokenServer(Server):
    """textual-serve's Server with the access token required on every route."""

    def __init__(self, path: Path, *, host: str, port: int, token: str) -> None:
        super().__init__(session_command(path), host=host, port=port, title=f"gtm-tui · {path.name}")
        self.path = path
        self.token = token
        self.url = page_url(host, port, token)

    def initialize_logging(self) -> None:
        """textual-serve's log, without aiohttp's access lines (each would print the token)."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.require_token)
        return app

    @web.middleware
    async def require_token(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a missing or wrong token with 403; remember a right one in a cookie."""
        in_query = "token" in request.query
        given = request.query.get("token") if in_query else request.cookies.get(TOKEN_COOKIE)
        if not token_matches(given, self.token):
            raise web.HTTPForbidden(text="gtm-tui: a missing or wrong access token; use the URL printed by gtm-tui serve\n")
        if not same_origin(request):
            raise web.HTTPForbidden(text="gtm-tui: a request from another site was refused\n")
        response = await handler(request)
        if in_query and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """The page, with its websocket and static URLs on the address the browser used.

        textual-serve builds them from the listening host; behind 0.0.0.0 or
        "localhost" that would be another origin, and the token cookie would
        not follow the websocket.
        """
        base = f"{request.scheme}://{request.host}"
        ws_scheme = "wss" if request.scheme == "https" else "ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{ws_scheme}://{request.host}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        # the URL holds the token: keep it out of caches and out of Referer headers
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def on_startup(self, app: web.Application) -> None:
        print(f"gtm-tui is serving {self.path.resolve()}", flush=True)
        print(f"Open (and share with your team): {self.url}", flush=True)
        if self.host in WILDCARD_HOSTS or self.host not in {"127.0.0.1", "localhost", "::1"}:
            print(
                f"Listening on {self.host or 'every address'}: anyone on the network who has the token can edit the pilot.",
                flush=True,
            )
        print("Each browser tab runs its own gtm-tui on the file. Press Ctrl+C to stop.", flush=True)
