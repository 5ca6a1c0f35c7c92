"""Requests a client cannot abuse (issue 9): bodies over the limit are refused with 413 before
they are read (item 6); file names lose their bidi overrides (item 8)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from kernel.testing import create_user, serving


def test_an_oversized_login_body_is_refused_unread(make_kernel):
    kernel = make_kernel(max_body_bytes=64 * 1024)
    sent = []

    def chunks() -> Iterator[bytes]:  # 50 MB without a Content-Length: counted as it arrives
        for _ in range(800):
            sent.append(1)
            yield b"x" * 65536

    with serving(kernel) as url, httpx.Client(base_url=url, timeout=30) as c:
        declared = c.post("/login", content=b"a=" + b"x" * (65 * 1024),
                          headers={"content-type": "application/x-www-form-urlencoded"})
        streamed = c.post("/login", content=chunks(), headers={"content-type": "application/octet-stream"})
    assert declared.status_code == 413
    assert "درخواست بیش از حد بزرگ است (حداکثر ۶۴ کیلوبایت)" in declared.text
    assert streamed.status_code == 413
    # The server stopped reading long before the 50 MB were sent.
    assert len(sent) < 100


def test_api_refusal_speaks_the_clients_language(make_kernel):
    kernel = make_kernel(max_body_bytes=1024)
    create_user(kernel, "admin", admin=True)
    with serving(kernel) as url, httpx.Client(base_url=url, timeout=30) as c:
        big = {"name": "x" * 2000}
        en = c.post("/api/base/partner", json=big)
        fa = c.post("/api/base/partner", json=big, headers={"accept-language": "fa-IR"})
    assert (en.status_code, en.json()) == (413, {"error": "The request is too large (at most 1 KB)"})
    assert (fa.status_code, fa.json()) == (413, {"error": "درخواست بیش از حد بزرگ است (حداکثر ۱ کیلوبایت)"})


def test_bodies_under_the_limit_and_uploads_still_work(make_kernel, login_as):
    from starlette.testclient import TestClient

    from kernel.testing import csrf
    from kernel.web.app import build_app

    kernel = make_kernel(max_body_bytes=4096, max_upload_bytes=200 * 1024)
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "admin")  # a login form well under the limit
        token = csrf(c)
        made = c.post("/api/base/partner", json={"kind": "company", "name": "شرکت نمونه"}, headers={"x-csrf-token": token})
        assert made.status_code == 201
        pid = made.json()["id"]
        # A 100 KB file is far over the body limit but within the upload limit.
        up = c.post("/attachments", data={"csrf": token, "resource": "base.partner", "record_id": str(pid)},
                    files={"file": ("نامه.pdf", b"%PDF-1.4\n" + b"0" * 100_000, "application/pdf")},
                    follow_redirects=False)
        assert up.status_code in (200, 303), up.text[-500:]
        too_big = c.post("/attachments", data={"csrf": token, "resource": "base.partner", "record_id": str(pid)},
                         files={"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * 300_000, "application/pdf")})
        assert too_big.status_code == 413
    from kernel.models import Attachment

    with kernel.sessions() as s:
        assert [a.size for a in s.query(Attachment)] == [100_009]


def test_an_attachment_name_loses_its_bidi_overrides(make_kernel, login_as):
    from starlette.testclient import TestClient

    from kernel.models import Attachment
    from kernel.testing import csrf
    from kernel.web.app import build_app

    kernel = make_kernel()
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "admin")
        token = csrf(c)
        pid = c.post("/api/base/partner", json={"kind": "company", "name": "شرکت"}, headers={"x-csrf-token": token}).json()["id"]
        # Shown as "reporttxt.pdf" with the override: the reader would take a text file for a PDF.
        c.post("/attachments", data={"csrf": token, "resource": "base.partner", "record_id": str(pid)},
               files={"file": ("report\u202efdp.txt", b"plain text", "text/plain")})
    with kernel.sessions() as s:
        assert [a.filename for a in s.query(Attachment)] == ["reportfdp.txt"]
