"""One HTTP exchange with a server exokg does not control, within bounds it sets.

Used by the ``--endpoint`` client and ``exokg publish`` (:mod:`exokg.query.endpoint`). An endpoint may be slow,
huge or hostile; :func:`exchange` therefore

- bounds the **total** time, not each wait: a watchdog shuts the socket at the deadline, so a server
  that sends one byte a second cannot stretch ``--timeout 5`` to a minute;
- reads at most ``max_bytes`` of answer and stops there (the answer is never read whole first);
- follows a redirect only to the same origin (scheme, host and port) and only with ``307``/``308``,
  which keep the method and body; any other redirect is reported with its target, never followed;
- turns every failure into one line that names the URL.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.parse

from exokg.core.errors import DataError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DEFAULT_MAX_BYTES", "MAX_REDIRECTS", "exchange"]

DEFAULT_MAX_BYTES = 64 << 20
MAX_REDIRECTS = 3


def _origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    try:
        port = parts.port or default
    except ValueError:
        raise UsageError(f"{url!r} has no valid port", where="--endpoint") from None
    return parts.scheme, (parts.hostname or "").lower(), port


def exchange(
    url: str,
    method: str,
    body: bytes | None,
    headers: Mapping[str, str],
    *,
    timeout: float,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[str, bytes]:
    """Send one request; return the answer's Content-Type and body (2xx only), or raise one line."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        status, reason, content_type, location, data = _once(
            url, method, body, headers, deadline, timeout, max_bytes
        )
        if status in (301, 302, 303, 307, 308):
            target = urllib.parse.urljoin(url, location or "")
            if status in (307, 308) and _origin(target) == _origin(url):
                url = target
                continue
            raise DataError(
                f"the endpoint redirects ({status}) to {target}; exokg follows only 307/308 to the"
                " same origin",
                where=url,
                fix="give that URL as --endpoint if you trust it",
            )
        if 200 <= status < 300:
            return content_type, data
        lines = data[:500].decode("utf-8", "replace").strip().splitlines()
        message = lines[0] if lines else reason
        kind = UsageError if 400 <= status < 500 else DataError
        raise kind(f"HTTP {status}: {message}", where=url)
    raise DataError(f"more than {MAX_REDIRECTS} redirects", where=url, fix="give the final URL")


def _once(
    url: str,
    method: str,
    body: bytes | None,
    headers: Mapping[str, str],
    deadline: float,
    timeout: float,
    max_bytes: int,
) -> tuple[int, str, str, str | None, bytes]:
    scheme, host, port = _origin(url)
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    remaining = deadline - time.monotonic()
    kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    connection = kind(host, port, timeout=max(remaining, 0.001))
    expired = threading.Event()

    def cut() -> None:  # the watchdog: the total time is up, whatever the server is doing
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(max(remaining, 0.0), cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request(method, target, body, dict(headers))
        response = connection.getresponse()
        data = bytearray()
        while chunk := response.read1(1 << 16):
            data += chunk
            if len(data) > max_bytes:
                raise DataError(
                    f"the answer is over {max_bytes} bytes",
                    where=url,
                    fix="add a LIMIT to the query, or raise --max-bytes",
                )
        if expired.is_set():
            raise TimeoutError
        return (
            response.status,
            response.reason,
            response.getheader("Content-Type", "") or "",
            response.getheader("Location"),
            bytes(data),
        )
    except TimeoutError:
        raise _too_slow(url, timeout) from None
    except (OSError, http.client.HTTPException) as error:
        if expired.is_set():
            raise _too_slow(url, timeout) from None
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise UsageError(
            f"cannot reach the endpoint ({reason})",
            where=url,
            fix="check the URL and that the server is running",
        ) from None
    finally:
        watchdog.cancel()
        connection.close()


def _too_slow(url: str, timeout: float) -> DataError:
    return DataError(
        f"no complete answer within {timeout:g} s",
        where=url,
        fix="raise --timeout or simplify the query",
    )
