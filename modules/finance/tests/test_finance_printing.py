"""FIN-15: a proforma and an invoice as PDFs — three formats, A4 and A5, the company's logo and
name, a chosen title and description, Jalali dates and Persian digits, numbers kept left to
right, the grand total in Persian words, Rials or Tomans as the user reads money — and e-mailed
from the document's page through the outbox to a real SMTP server, once, the PDF attached."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import subprocess
import tempfile
from decimal import Decimal
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel import pdf_cache
from kernel.jobs import OutboxMessage, run_due
from kernel.models import User
from kernel.persian.words import amount_in_words
from kernel.testing import create_record, create_user, csrf, pdf_text
from kernel.web.app import build_app
from modules.finance.models import Product
from modules.finance.services import drafts, issuing
from modules.finance.tests.finance_helpers import PERMS, PROFORMA, jdate, three_lines, world

DOCS = (*PERMS, "finance.proforma.convert", "finance.document.mail")
# A 1×1 PNG: the logo the administrator uploaded, kept as a data: URL in the settings.
LOGO = "data:image/png;base64," + base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005"
    "0001ff89993d1d0000000049454e44ae426082")).decode()


def _setup(kernel: Any, **world_kw: Any) -> dict[str, Any]:
    w = world(kernel, perms=DOCS, **world_kw)
    w["marketer"] = create_record(kernel, None, "base.partner", kind="person", name="رضا بازاریاب")
    with kernel.session() as s:
        s.get(Product, w["carpet"]).marketer_commission = Decimal("2.5")
        kernel.set_setting(s, "company.name", "فرش‌بافی سپید")
        kernel.set_setting(s, "company.logo_url", LOGO)
    with kernel.session(w["actor"]) as s:
        doc = drafts.create_document(kernel, s, w["actor"], PROFORMA, {
            "partner_id": w["customer"], "date": jdate(1405, 2, 1), "marketer_id": w["marketer"],
            "description": "تحویل در کارخانه"}, three_lines(w))
        w["pid"] = doc.id
    with kernel.session(w["actor"]) as s:
        issuing.issue_proforma(kernel, s, w["actor"], w["pid"])
    return w


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier3")


def _text(pdf: bytes) -> str:
    return "\n".join(pdf_text(pdf))


def _poppler(tool: str, pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run([tool, f.name] if tool == "pdfinfo" else [tool, "-list", f.name],
                              capture_output=True, text=True, check=True).stdout


def _page_size(pdf: bytes) -> tuple[int, int]:
    """The first page's size in points (A4 595×842, A5 420×595)."""
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", _poppler("pdfinfo", pdf))
    assert m is not None
    return round(float(m.group(1))), round(float(m.group(2)))


def test_the_customer_copy_accounting_and_archive_in_a4_and_a5(kernel: Any, login_as: Any) -> None:
    w = _setup(kernel)
    with kernel.sessions() as s:
        grand = s.get(kernel.resources["finance.proforma"].model, w["pid"]).grand_total
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        url = f"/finance/proforma/{w['pid']}"
        page = c.get(url).text  # the print menu under the document
        assert f"{url}/print.pdf?format=customer&amp;paper=A5" in page and f"{url}/print" in page
        customer = c.get(f"{url}/print.pdf?format=customer&paper=A5&title=پیش‌فاکتور فروش اردیبهشت")
        assert customer.status_code == 200 and customer.headers["content-type"] == "application/pdf"
        text = _text(customer.content)
        # The chosen title, the customer, the Jalali date and the number in Persian digits and in order,
        # the grand total in Persian words, the company's name; the logo is drawn (an image on page 1).
        for wanted in ("پیش‌فاکتور فروش اردیبهشت", "فرش کاشان", "۱۴۰۵/۰۲/۰۱", "PF-۱۴۰۵-۰۰۰۰۱",
                       amount_in_words(grand, "rial", "fa"), "فرش‌بافی سپید", "تحویل در کارخانه", "امضای مشتری"):
            assert wanted.replace("\u200c", "") in text.replace("\u200c", ""), wanted
        assert "بیست و نه میلیون و پانصد و پنجاه هزار ریال" in text
        assert _page_size(customer.content) == (420, 595)  # A5
        assert len(_poppler("pdfimages", customer.content).splitlines()) > 2, "the company's logo"
        # Nothing the business keeps to itself on the customer's copy.
        assert "پورسانت" not in text and "رضا بازاریاب" not in text
        accounting = _text(c.get(f"{url}/print.pdf?format=accounting&paper=A4").content)
        # Per-line taxes with the rates, the exempt line, the marketer and their commission:
        # 2.5 % of the carpets' net 22,500,000 = 562,500 Rials.
        # The VAT rate beside its total (pdftotext gives "(۱۰٪)" in visual order, ")٪۱۰").
        assert "۱۰٪" in accounting or "٪۱۰" in accounting
        for wanted in ("مالیات بر ارزش افزوده", "عوارض شهرداری", "معاف",
                       "پورسانت", "۵۶۲٬۵۰۰", "رضا بازاریاب", "۲٬۲۵۰٬۰۰۰"):
            assert wanted in accounting, wanted
        assert _page_size(c.get(f"{url}/print.pdf?format=accounting&paper=A4").content) == (595, 842)
        with kernel.session(w["actor"]) as s:
            issuing.convert(kernel, s, w["actor"], w["pid"])
        archive = _text(c.get(f"{url}/print.pdf?format=archive").content)
        # The document's life: written, issued with its number, converted into its invoice.
        assert "بایگانی" in archive and "تاریخچه" in archive and "INV-۱۴۰۵-۰۰۰۰۱" in archive
        assert "تبدیل‌شده به فاکتور".replace("\u200c", "") in archive.replace("\u200c", "")
        # The history names the invoice by its number, as the paper does, never by its id.
        history = archive.split("تاریخچه", 1)[1]
        assert "INV-۱۴۰۵-۰۰۰۰۱" in history and not re.search(r"#\s*[0-9۰-۹]", history), history
        # Bad choices are refused in Persian, nothing rendered.
        bad = c.get(f"{url}/print.pdf?format=secret")
        assert bad.status_code == 400 and "یکی از گزینه" in bad.text


def _images(pdf: bytes) -> list[tuple[int, int]]:
    """The sizes (pixels) of the images drawn in the PDF."""
    rows = [r.split() for r in _poppler("pdfimages", pdf).splitlines()[2:]]
    return [(int(r[3]), int(r[4])) for r in rows if r[2] == "image"]


def test_prints_reuse_fonts_and_stylesheets_and_follow_a_new_title_logo_or_name(kernel: Any, login_as: Any) -> None:
    """Issue 11: the second PDF parses no stylesheet and reads no font again, and says the same;
    a new title, logo or company name is printed at once (nothing stale is kept)."""
    w = _setup(kernel)
    pdf_cache.clear()
    url = f"/finance/proforma/{w['pid']}/print.pdf?format=customer&paper=A5"
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        first = c.get(url).content
        [kit] = pdf_cache.idle_kits(kernel.static_dirs())
        assert kit.parsed == 3  # pdf.css (with fonts.css and the fonts), print.css, print_a5.css
        assert c.get(url).content == first  # the same HTML: the same bytes, kept
        assert pdf_cache.counts() == {"rendered": 1, "kept": 1}
        titled = c.get(f"{url}&title=پیش‌فاکتور ویژه بهار").content
        assert pdf_cache.idle_kits(kernel.static_dirs()) == [kit] and kit.parsed == 3
        before, after = set(_text(first).split()), set(_text(titled).split())
        assert {"ویژه", "بهار"} <= after - before and before - after <= {"پیش‌فاکتور", "پیشفاکتور"}
        assert _images(first) == _images(titled) == [(1, 1)]
        red = io.BytesIO()
        Image.new("RGB", (60, 20), (200, 30, 30)).save(red, "PNG")
        with kernel.session() as s:
            kernel.set_setting(s, "company.logo_url", "data:image/png;base64," + base64.b64encode(red.getvalue()).decode())
            kernel.set_setting(s, "company.name", "قالی‌بافی نوین")
        changed = c.get(url).content
        assert _images(changed) == [(60, 20)]
        assert "نوین" in _text(changed) and "سپید" not in _text(changed)
        assert pdf_cache.counts() == {"rendered": 3, "kept": 1} and kit.parsed == 3


def test_tomans_for_a_user_who_reads_tomans_and_the_invoice_prints_too(kernel: Any, login_as: Any) -> None:
    w = _setup(kernel)
    with kernel.session(w["actor"]) as s:
        inv = issuing.convert(kernel, s, w["actor"], w["pid"])
        inv_id, grand = inv.id, inv.grand_total
    with kernel.session() as s:
        s.get(User, w["uid"]).money_unit = "toman"
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        text = _text(c.get(f"/finance/invoice/{inv_id}/print.pdf?format=customer&paper=A4").content)
        assert "INV-۱۴۰۵-۰۰۰۰۱" in text and "مبالغ به تومان" in text
        assert amount_in_words(grand, "toman", "fa") in text and "تومان" in text


def test_print_needs_the_permission_and_the_record_scope(kernel: Any, login_as: Any) -> None:
    w = _setup(kernel)
    create_user(kernel, "viewer", perms=("finance.proforma.view", "base.partner.view"))
    with TestClient(build_app(kernel)) as c:
        login_as(c, "viewer")
        url = f"/finance/proforma/{w['pid']}"
        assert "print.pdf" not in c.get(url).text  # no menu without the permission
        assert c.get(f"{url}/print.pdf").status_code == 403
        assert c.get(f"{url}/print").status_code == 403
    create_user(kernel, "other", perms=("finance.proforma.*",), scope="own")
    with TestClient(build_app(kernel)) as c:
        login_as(c, "other")
        assert c.get(f"/finance/proforma/{w['pid']}/print.pdf").status_code == 404  # not theirs


def test_the_pdf_is_emailed_once_through_the_outbox_with_the_pdf_attached(make_kernel: Any, smtp_server: Any,
                                                                         login_as: Any) -> None:
    kernel = make_kernel(edition="tier3", smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                         smtp_from="crm@sepid.example")
    w = _setup(kernel)
    create_record(kernel, None, "base.contact", partner_id=w["customer"], kind="email", value="Buy@Kashan.example")
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        url = f"/finance/proforma/{w['pid']}"
        form = c.get(f"{url}/print").text
        assert 'value="buy@kashan.example"' in form  # prefilled from the customer's e-mail contact
        token = csrf(c, f"{url}/print")
        bad = c.post(f"{url}/email", data={"csrf": token, "to": "buy@kashan", "subject": "پیش‌فاکتور",
                                           "format": "customer", "paper": "A4"})
        assert bad.status_code == 400 and "نشانی ایمیل معتبر نیست" in bad.text
        ok = c.post(f"{url}/email", follow_redirects=False, data={
            "csrf": token, "to": "buy@kashan.example", "subject": "پیش‌فاکتور PF-1405-00001",
            "message": "با سلام، پیش‌فاکتور پیوست است.", "format": "customer", "paper": "A5", "title": ""})
        assert ok.status_code == 303 and ok.headers["location"] == url
        # The archive copy's history names where it went.
        assert "buy@kashan.example" in _text(c.get(f"{url}/print.pdf?format=archive").content)
    with kernel.sessions() as s:
        assert [m.topic for m in s.scalars(select(OutboxMessage))] == ["finance.document_mail"]
    now = dt.datetime.utcnow()
    run_due(kernel, now=now + dt.timedelta(seconds=5))
    run_due(kernel, now=now + dt.timedelta(minutes=5))  # nothing sent twice
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "buy@kashan.example" and mail["Subject"] == "پیش‌فاکتور PF-1405-00001"
    parts = list(mail.iter_attachments())
    assert [p.get_content_type() for p in parts] == ["application/pdf"]
    assert parts[0].get_filename() == "پیش‌فاکتور PF-1405-00001.pdf"
    assert "PF-۱۴۰۵-۰۰۰۰۱" in _text(parts[0].get_content())
    assert "پیوست است" in mail.get_body(("plain",)).get_content()
    with kernel.sessions() as s:
        assert [m.status for m in s.scalars(select(OutboxMessage))] == ["done"]


def test_a_document_in_the_archive_history_is_its_number_or_draft(kernel: Any) -> None:
    from kernel.persian.numbers import format_code
    from modules.finance import printing
    from modules.finance.models import Invoice
    from modules.finance.services.documents import INVOICE

    w = _setup(kernel)
    with kernel.session(w["actor"]) as s:
        draft = drafts.create_document(kernel, s, w["actor"], INVOICE, {"partner_id": w["customer"],
                                                                       "date": jdate(1405, 2, 2)}, three_lines(w))
        issued = issuing.convert(kernel, s, w["actor"], w["pid"])
        ids = (draft.id, issued.id)
    with kernel.sessions() as s:
        assert printing.document_number(kernel, s, Invoice, ids[0], "fa") == "پیش‌نویس"
        assert printing.document_number(kernel, s, Invoice, ids[1], "fa") == format_code("INV-1405-00001", "fa")
        assert printing.document_number(kernel, s, Invoice, ids[1], "en") == "INV-1405-00001"


def test_printing_without_the_mail_permission_cannot_email(kernel: Any, login_as: Any) -> None:
    """finance.document.mail is its own permission: a clerk who prints does not e-mail, by the
    page, by a hand-made POST or through the service; nothing is queued or written."""
    from kernel import PermissionDenied
    from kernel.models import History
    from kernel.testing import actor_of
    from modules.finance import printing
    from modules.finance.models import Proforma
    from modules.finance.services import mailing

    w = _setup(kernel)
    clerk = create_user(kernel, "clerk", perms=PERMS)  # finance.proforma.* holds print, not mail
    create_user(kernel, "mailer", perms=("finance.proforma.view", "finance.document.mail", "base.partner.view"))
    url = f"/finance/proforma/{w['pid']}"
    mail = {"to": "buy@kashan.example", "subject": "پیش‌فاکتور", "format": "customer", "paper": "A4"}
    with TestClient(build_app(kernel)) as c:
        login_as(c, "clerk")
        page = c.get(f"{url}/print")
        assert page.status_code == 200 and "print.pdf" in page.text  # prints,
        assert "finance-mail-form" not in page.text and f"{url}/email" not in page.text  # offered no e-mail
        refused = c.post(f"{url}/email", data={"csrf": csrf(c, f"{url}/print"), **mail})
        assert refused.status_code == 403 and "اجازهٔ انجام این کار را ندارید" in refused.text
    with TestClient(build_app(kernel)) as c:  # mail without print: the document is not printed for them
        login_as(c, "mailer")
        assert c.post(f"{url}/email", data={"csrf": csrf(c), **mail}).status_code == 403
    with pytest.raises(PermissionDenied), kernel.session(actor_of(kernel, clerk)) as s:
        doc = s.get(Proforma, w["pid"])
        mailing.queue(kernel, build_app(kernel).state.jinja, s, actor_of(kernel, clerk), doc, printing.PrintOptions(),
                      "fa", to=mail["to"], subject=mail["subject"], message="")
    with kernel.sessions() as s:
        assert s.scalars(select(OutboxMessage)).all() == []
        assert not any("E-mailed to" in (h.changes or "") for h in s.scalars(select(History)))
    # Those who e-mail are shown the form.
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        assert "finance-mail-form" in c.get(f"{url}/print").text
