"""What every HTTP adapter needs: a call whose failures become :class:`PanelError` with the
right promise — nothing reached the panel (``maybe_sent=False``: resend freely), or the request
may have been acted on (a timeout, a reset, a 5xx: ``maybe_sent=True``) — and a refusal turned
into the reason a user reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from modules.marketing.panels import PanelError

TIMEOUT = 10.0  # seconds: a call longer than this may still have sent (PanelError maybe_sent)
KEY_REFUSED = "The panel refused the API key"
NO_CREDIT = "The panel's credit is not enough for these messages"
REFUSED = "The panel refused the request"


def client(**kw: Any) -> httpx.Client:
    return httpx.Client(timeout=kw.pop("timeout", None) or TIMEOUT, **kw)


def request(http: httpx.Client, method: str, url: str, **kw: Any) -> httpx.Response:
    try:
        return http.request(method, url, **kw)
    except httpx.ConnectError as exc:  # nothing reached the panel
        raise PanelError("The panel could not be reached", detail=str(exc)) from exc
    except httpx.TransportError as exc:  # sent, maybe acted on, no answer (timeout, reset)
        raise PanelError("The panel did not answer in time", maybe_sent=True, detail=type(exc).__name__) from exc


def json_of(r: httpx.Response) -> Any:
    if r.status_code >= 500:
        raise PanelError("The panel answered without its usual reply", maybe_sent=True, detail=f"HTTP {r.status_code}")
    try:
        return r.json()
    except ValueError:
        raise PanelError("The panel answered without its usual reply", detail=f"HTTP {r.status_code}") from None


def refused(r: httpx.Response, text: str, *, credit: bool = False) -> PanelError:
    """A 4xx (or an error in the body): a retry cannot mend it."""
    if r.status_code in (401, 403):
        return PanelError(KEY_REFUSED, retry=False, detail=f"{r.status_code}: {text}")
    return PanelError(NO_CREDIT if credit else REFUSED, retry=False, detail=f"{r.status_code}: {text}")


def utc(stamp: Any) -> dt.datetime:
    """A panel's time (Unix seconds or ISO text) as naive UTC; now when it gave none."""
    try:
        if isinstance(stamp, str) and not stamp.isdigit():
            parsed = dt.datetime.fromisoformat(stamp)
            return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
        return dt.datetime.fromtimestamp(int(stamp), dt.UTC).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError):
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def intl(canonical: str) -> str:
    """+989121234567 → 989121234567 (the form SMS.ir takes)."""
    return canonical.lstrip("+")


def national(canonical: str) -> str:
    """+989121234567 → 09121234567 (Kavenegar, Melipayamak)."""
    return "0" + canonical[3:] if canonical.startswith("+98") else canonical
