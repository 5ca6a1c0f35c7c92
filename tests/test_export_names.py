"""Issue 10: downloads are named for people — "طرف‌های حساب ۱۴۰۵-۰۹-۱۵.xlsx", the title in the
user's language and the Jalali day — with an RFC 5987 ``filename*`` and an ASCII ``filename``
fallback, for list, bulk and report exports and base's export-all."""

import re
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from kernel.persian.jalali import to_jalali
from kernel.persian.textnorm import to_persian_digits
from kernel.testing import create_user, csrf
from kernel.timezone import local_today
from kernel.web.app import build_app


def names(resp) -> tuple[str, str]:
    """(filename*, filename) of an attachment download."""
    disposition = resp.headers["content-disposition"]
    assert disposition.startswith("attachment; "), disposition
    utf8 = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
    plain = re.search(r'filename="([\x20-\x7e]+)"', disposition)
    assert utf8 and plain, disposition
    assert re.fullmatch(r"[A-Za-z0-9._-]+", plain.group(1)), plain.group(1)
    return unquote(utf8.group(1)), plain.group(1)


@pytest.fixture
def client(make_kernel, login_as):
    k = make_kernel()
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as c:
        yield login_as(c, "admin")


def test_exports_are_named_by_title_and_jalali_day(client):
    from modules.base.models import Partner

    j = to_jalali(local_today(client.app.state.kernel.config.timezone))
    stamp = f"{j.year:04d}-{j.month:02d}-{j.day:02d}"
    with client.app.state.kernel.session() as s:
        p = Partner(kind="company", name="شرکت نمونه")
        s.add(p)
        s.flush()
        pid = p.id
    for fmt in ("xlsx", "csv", "pdf"):
        assert names(client.get(f"/base/partner/export.{fmt}")) == (
            f"طرف‌های حساب {to_persian_digits(stamp)}.{fmt}", f"base.partner-{stamp}.{fmt}")
    bulk = client.post("/base/partner/bulk", data={"csrf": csrf(client, "/base/partner/"), "op": "xlsx",
                                                   "ids": [str(pid)]})
    assert names(bulk)[0] == f"طرف‌های حساب {to_persian_digits(stamp)}.xlsx"
    report = client.get("/reports/base.partners_by_province.xlsx")
    assert names(report) == (f"طرف‌های حساب به تفکیک استان و نقش {to_persian_digits(stamp)}.xlsx",
                             f"base.partners_by_province-{stamp}.xlsx")
    assert names(client.get("/base/partner/export-all.xlsx")) == (
        f"طرف‌های حساب {to_persian_digits(stamp)}.xlsx", f"partners-{stamp}.xlsx")
    client.post("/lang", data={"csrf": csrf(client), "lang": "en"})
    assert names(client.get("/base/partner/export.xlsx"))[0] == f"Partners {stamp}.xlsx"
