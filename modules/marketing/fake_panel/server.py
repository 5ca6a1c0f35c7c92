"""The fake panel's own HTTP server (``http.server``, threaded) for tests and the benchmark;
what it answers is :func:`modules.marketing.fake_panel.api.answer`."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from modules.marketing.fake_panel.api import answer
from modules.marketing.fake_panel.state import PanelState


def form_params(query: str, body: str) -> dict[str, str]:
    return {k: v[-1] for k, v in {**parse_qs(query), **parse_qs(body)}.items()}


def json_body(raw: str) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive: a bulk send's calls reuse one connection

    def log_message(self, format: str, *args: Any) -> None:  # the tests' output stays readable
        return

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        is_json = "json" in (self.headers.get("content-type") or "")
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, body = answer(self.server.state, url.path, form_params(url.query, "" if is_json else raw), headers,
                              json_body(raw) if is_json else None)
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: PanelState) -> None:
        self.state = state
        super().__init__(("127.0.0.1", 0), _Handler)


class FakePanel:
    """Start with :meth:`start`; ``base_url`` is what a panel row points at."""

    def __init__(self, state: PanelState | None = None) -> None:
        self.state = state or PanelState()
        self._server = _Server(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-sms-panel", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakePanel:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def report_delivery(self, webhook_url: str, messageid: int) -> httpx.Response:
        """Call our webhook as Kavenegar does for a delivery report (``messageid``, ``status``)."""
        with self.state.lock:
            sent = self.state.sent[messageid]
            status = self.state.outcome(sent.receptor)
        return httpx.post(webhook_url, data={"messageid": str(messageid), "status": str(status)}, timeout=10)

    def report_inbound(self, webhook_url: str, sender: str, message: str, receptor: str = "10004346") -> httpx.Response:
        """Call our webhook as Kavenegar does for a received message (``messageid``, ``from``, ``to``, ``message``)."""
        mid = self.state.add_inbound(sender, message, receptor)
        with self.state.lock:
            self.state.inbox[-1].read = True
        return httpx.post(webhook_url, data={"messageid": str(mid), "from": sender, "to": receptor,
                                             "message": message}, timeout=10)
