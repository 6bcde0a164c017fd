"""Posting a message to the team's channel through an incoming webhook (Slack, Teams, Mattermost).

All three accept a JSON body ``{"text": …}`` POSTed to the webhook's URL.
The URL is a secret (whoever has it can post to the channel), so a message
about a failure names the host only. One attempt, with a timeout: a digest
sent twice is worse than one that says it failed (the exit code tells cron).
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10.0


class PostError(Exception):
    """The message did not reach the channel; the text says why, without the URL's secret part."""


def is_webhook_url(text: str) -> bool:
    """Whether ``text`` looks like an http(s) URL to post to."""
    parts = urlsplit(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def where(url: str) -> str:
    """The URL as it may be shown: scheme, host and port, no path (the secret part)."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def post(url: str, text: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
    """POST ``{"text": text}`` to ``url``; ``PostError`` with one clear reason when it was not accepted."""
    if not is_webhook_url(url):
        raise PostError("a webhook URL starts with https:// (or http://) and names a host")
    body = json.dumps({"text": text}).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": "gtm-tui digest"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(4096)
    except urllib.error.HTTPError as error:
        raise PostError(f"{where(url)} refused the message: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise PostError(f"{where(url)} did not answer within {timeout:g} s") from None
        words = getattr(reason, "strerror", None) or str(reason)
        raise PostError(f"could not reach {where(url)}: {words}") from None
    except TimeoutError:
        raise PostError(f"{where(url)} did not answer within {timeout:g} s") from None
    except (OSError, ValueError) as error:
        raise PostError(f"could not post to {where(url)}: {error}") from None
