"""CRP-01/02 on both engines, walking a carpet maker's day: a design's variants and their stock on
its page; an issued invoice makes one warranty card per carpet sold (its serial, its dealer), the
cards print as a PDF with their codes; a customer's SMS with a code (Persian digits, lower case,
text around it) reaching the panel's line registers the card to their mobile, creates them as a
partner and answers once; the same code again, an unknown code and a void card are answered with
why, and nothing changes; a voided invoice voids its unregistered cards."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from kernel import migrations
from kernel.jobs import run_due
from kernel.testing import create_user, csrf, pdf_text, pdf_words
from modules.base.models import Partner
from modules.carpet.codes import ALPHABET, candidates, shown
from modules.carpet.models import WarrantyCard
from modules.carpet.tests.carpet_helpers import ENGINES, carpet_kernel, receive, sell, world
from modules.finance.services.issuing import void_invoice
from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Inbound, Message
from modules.marketing.testing import add_panel
from modules.marketing.tests.sms_helpers import drain

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def cards(kernel: Any, **where: Any) -> list[WarrantyCard]:
    with kernel.sessions() as s:
        rows = list(s.scalars(select(WarrantyCard).filter_by(**where).order_by(WarrantyCard.id)))
        s.expunge_all()
        return rows


def replies(panel: FakePanel, mobile: str) -> list[str]:
    return [m.message for _, m in sorted(panel.state.sent.items()) if m.receptor == mobile]


def sms(kernel: Any, panel: FakePanel, sender: str, body: str, now: dt.datetime) -> dt.datetime:
    """The panel receives an SMS; marketing's polling job reads it; the replies leave."""
    panel.state.add_inbound(sender, body)
    now += dt.timedelta(minutes=5)
    run_due(kernel, now=now)
    return drain(kernel, start=now)


def test_codes_are_read_from_what_customers_type() -> None:
    assert candidates("ثبت کارت acde-fh۳۴ لطفا") == ["ACDEFH34"]
    assert "ACDEFH34" in candidates("کد: ۱۲ ACDE FH34")  # a number typed before it
    assert candidates("سلام، ممنون") == [] and candidates("AC DE") == []
    assert shown("ACDEFH34") == "ACDE-FH34"


@pytest.mark.parametrize("engine", ENGINES)
def test_cards_from_an_invoice_print_and_register_by_sms_once(
        make_kernel: Any, web_client: Any, fake_panel: FakePanel, engine: str) -> None:
    from modules.inventory.models import InventoryItem

    kernel = carpet_kernel(make_kernel, engine)
    assert migrations.diff(kernel) == []
    w = world(kernel)
    nine_cream, twelve_navy = w["variants"]["۹ متری — کرم"], w["variants"]["۱۲ متری — سرمه‌ای"]
    with kernel.session() as s:
        s.add(InventoryItem(product_id=twelve_navy, tracks_serials=True))
    receive(kernel, nine_cream, "3")
    receive(kernel, twelve_navy, "1", serials=("AF-7001",))
    sara = web_client(kernel, "sara")
    # -- the design's page: its sizes × colours with the stock of each (inventory's matrix)
    page = sara.get(f"/carpet/design/{w['design']}").text
    assert "data-carpet-design" in page and "inventory-matrix" in page and "۹ متری" in page and "سرمه‌ای" in page
    assert f'href="/finance/product/{nine_cream}">۳<' in page

    # -- an invoice of two carpets to a customer: one card each, the serial from the line
    invoice = sell(kernel, w, w["customer"], [{"product_id": nine_cream, "quantity": "۱"},
                                              {"product_id": twelve_navy, "quantity": "1", "serial_number": "AF-7001"}])
    sold = cards(kernel, invoice_id=invoice)
    assert [(c.product_id, c.serial, c.state, c.dealer_id, c.design_id) for c in sold] == [
        (nine_cream, None, "printed", None, w["design"]), (twelve_navy, "AF-7001", "printed", None, w["design"])]
    assert all(len(c.code) == 8 and set(c.code) <= set(ALPHABET) for c in sold) and sold[0].code != sold[1].code
    # -- a dealer's invoice: its card belongs to the dealer
    to_dealer = sell(kernel, w, w["negin"], [{"product_id": nine_cream, "quantity": "1"}])
    assert [c.dealer_id for c in cards(kernel, invoice_id=to_dealer)] == [w["dealers"]["negin"]]

    # -- the invoice's page offers the cards; their PDF holds each card's facts and code
    assert f"/carpet/invoice/{invoice}/cards.pdf" in sara.get(f"/finance/invoice/{invoice}").text
    pdf = sara.get(f"/carpet/invoice/{invoice}/cards.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.content))
    for c in sold:
        assert shown(c.code) in text
    assert len(PdfReader(io.BytesIO(pdf.content)).pages[0].images) == 2  # a QR code a card
    words = pdf_words(pdf.content)  # one line «افشان ۱۲۰۱ · ۹ متری · کرم»: its words (extraction reorders bidi runs)
    assert {"افشان", "۱۲۰۱", "۹", "۱۲", "متری", "کرم", "AF-7001", "کارت", "ضمانت"} <= words and "سرمه" in text

    # -- the settings: the panel's line; a wrong line is refused with the reason, nothing saved
    token = csrf(sara, "/carpet/settings")
    form = {"csrf": token, "line": "۱۰۰۰۴۳۴۶", "registered": "{name} گرامی، کارت {card_code} ثبت شد.",
            "already": "کارت {card_code} پیش‌تر ثبت شده است.", "unknown": "کارتی با این کد نیست.",
            "void": "کارت {card_code} باطل است."}
    bad = sara.post("/carpet/settings", data={**form, "void": "کارت {balance} باطل است."})
    assert bad.status_code == 422 and "{balance}" in bad.text
    assert sara.post("/carpet/settings", data=form, follow_redirects=False).status_code == 303

    # -- the customer texts the first card's code: Persian digits, lower case, words around it
    add_panel(kernel, fake_panel)
    now = drain(kernel)
    code = sold[0].code
    typed = f"سلام ثبت کارت {code[:4].lower()} {code[4:].translate(PERSIAN)}"
    now = sms(kernel, fake_panel, "09351234567", typed, now)
    card = cards(kernel, id=sold[0].id)[0]
    with kernel.sessions() as s:
        customer = s.scalars(select(Partner).where(Partner.mobile == "+989351234567")).one()
        inbound = s.scalars(select(Inbound).where(Inbound.address == "+989351234567")).one()
        assert (inbound.partner_id, inbound.communication_id is not None) == (customer.id, True)
    assert (card.state, card.mobile, card.partner_id) == ("registered", "+989351234567", customer.id)
    assert replies(fake_panel, "09351234567") == [f"{customer.name} گرامی، کارت {shown(code)} ثبت شد."]
    # the card's page shows the customer's mobile
    assert "۰۹۳۵" in sara.get(f"/carpet/card/{card.id}").text

    # -- the same code again, from someone else: told why, nothing changed, no second registration
    now = sms(kernel, fake_panel, "09121112233", code, now)
    assert replies(fake_panel, "09121112233") == [f"کارت {shown(code)} پیش‌تر ثبت شده است."]
    again = cards(kernel, id=sold[0].id)[0]
    assert (again.state, again.mobile, again.registered_at) == ("registered", "+989351234567", card.registered_at)
    # -- an unknown code; a void card
    now = sms(kernel, fake_panel, "09121112244", "ثبت AAAA-AAAA", now)
    assert replies(fake_panel, "09121112244") == ["کارتی با این کد نیست."]
    void = sara.post(f"/carpet/card/{sold[1].id}/void", data={"csrf": token, "reason": "کارت گم شد"},
                     follow_redirects=False)
    assert void.status_code == 303 and cards(kernel, id=sold[1].id)[0].state == "void"
    now = sms(kernel, fake_panel, "09121112255", sold[1].code, now)
    assert replies(fake_panel, "09121112255") == [f"کارت {shown(sold[1].code)} باطل است."]
    with kernel.sessions() as s:  # the refused senders were not made partners
        assert s.scalar(select(func.count()).select_from(Partner).where(Partner.mobile.in_(
            ["+989121112233", "+989121112244", "+989121112255"]))) == 0
        assert s.scalar(select(func.count()).select_from(Message)) == 4
    # -- a sender that is no mobile (a short code) registers nothing, and the message is still taken
    with kernel.sessions() as s:
        logged = s.scalar(select(func.count()).select_from(Inbound))
    now = sms(kernel, fake_panel, "30004321", cards(kernel, invoice_id=to_dealer)[0].code, now)
    assert cards(kernel, invoice_id=to_dealer)[0].state == "printed"
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Inbound)) == logged + 1
        assert s.scalar(select(func.count()).select_from(Message)) == 4
    # -- another message to a line that is not the warranty line is not a registration
    fake_panel.state.add_inbound("09121119999", dealer_code := cards(kernel, invoice_id=to_dealer)[0].code,
                                 receptor="30001111")
    run_due(kernel, now=now + dt.timedelta(minutes=5))
    assert cards(kernel, code=dealer_code)[0].state == "printed" and replies(fake_panel, "09121119999") == []

    # -- the dealer's invoice voided: its unregistered card is void too
    with kernel.session(w["actor"]) as s:
        void_invoice(kernel, s, w["actor"], to_dealer, "مشتری انصراف داد")
    assert [(c.state, c.void_reason) for c in cards(kernel, invoice_id=to_dealer)] == [("void", "مشتری انصراف داد")]


@pytest.mark.parametrize("engine", ENGINES)
def test_batches_for_dealers_reports_and_who_may_print(make_kernel: Any, web_client: Any, api_client: Any,
                                                       monkeypatch: Any, engine: str) -> None:
    kernel = carpet_kernel(make_kernel, engine)
    w = world(kernel)
    sara = web_client(kernel, "sara")
    token = csrf(sara, "/carpet/batches/new")
    # -- a bad count is refused in Persian and nothing is made
    bad = sara.post("/carpet/batches/new", data={"csrf": token, "dealer_id": str(w["dealers"]["arya"]),
                                                 "count": "۵۰۰۰"})
    assert bad.status_code == 422 and "۱٬۰۰۰" in bad.text and cards(kernel) == []
    for wrong in ({"dealer_id": "xyz", "count": "2"}, {"dealer_id": "999999", "count": "2"},
                  {"dealer_id": str(w["dealers"]["arya"]), "count": "دو"}):
        refused = sara.post("/carpet/batches/new", data={"csrf": token, **wrong})
        assert refused.status_code == 422 and ("نماینده را انتخاب کنید" in refused.text or
                                               "تعداد کارت‌ها را وارد کنید" in refused.text), wrong
    assert cards(kernel) == []
    made = sara.post("/carpet/batches/new", data={"csrf": token, "dealer_id": str(w["dealers"]["arya"]),
                                                  "design_id": str(w["design"]), "count": "۱۲"}, follow_redirects=False)
    assert made.status_code == 303
    batch = int(made.headers["location"].rsplit("/", 1)[1])
    ahead = cards(kernel, batch_id=batch)
    assert len(ahead) == 12 and {(c.dealer_id, c.invoice_id, c.state) for c in ahead} == {
        (w["dealers"]["arya"], None, "printed")}
    pdf = sara.get(f"/carpet/batch/{batch}/cards.pdf")
    assert len(pdf_text(pdf.content)) == 2  # eight cards a sheet
    assert all(shown(c.code) in " ".join(pdf_text(pdf.content)) for c in ahead)
    # -- a long print run: chunks rendered by two processes, joined in order into one PDF
    from kernel.web.templating import make_environment
    from modules.carpet import pdf as cards_pdf

    monkeypatch.setattr(cards_pdf, "CHUNK", 8)
    with kernel.sessions() as s:
        views = cards_pdf.card_views(s, ahead, "")
    joined = cards_pdf.render_in_parallel(make_environment(kernel), views, dict(kernel.static_dirs()), 2,
                                          lang="fa", company={"name": ""}, line="", title="")
    pages = pdf_text(joined)
    assert len(pages) == 2 and [c for c in ahead if shown(c.code) in pages[1]] == ahead[8:]
    # -- one registered by its customer; the dealers' report counts the rate
    from modules.carpet.services.registration import register_from_sms

    with kernel.session() as s:
        assert register_from_sms(kernel, s, inbound_id=0, address="+989351230000", body=ahead[0].code,
                                 partner_id=None).answer == "registered"
    report = sara.get("/reports/carpet.dealers").text
    assert "فرش آریا" in report and "۱۲" in report and "۸٪" in report
    assert "فرش آریا" in sara.get("/reports/carpet.cards").text
    # -- voiding needs a reason: without one the card stays as it was
    sara.post(f"/carpet/card/{ahead[1].id}/void", data={"csrf": token, "reason": "  "})
    assert cards(kernel, id=ahead[1].id)[0].state == "printed"
    # -- the API lists the cards (read-only: no one writes them through it)
    api = api_client(kernel, "sara")
    listed = api.get("/api/carpet/card", params={"batch_id": batch}).json()
    assert {row["code"] for row in listed["items"]} == {c.code for c in ahead}
    assert api.post("/api/carpet/card", json={"code": "ACDEFH34"}).status_code in (403, 405)
    # -- who may print: without carpet.card.print the PDF is refused; the list shows the codes
    create_user(kernel, "reza", perms=("carpet.card.view",))
    reza = web_client(kernel, "reza")
    assert reza.get(f"/carpet/batch/{batch}/cards.pdf").status_code == 403
    assert reza.get("/carpet/card/").status_code == 200
    # -- an own-scope user sees none of Sara's cards, and cannot print them either
    create_user(kernel, "nima", perms=("carpet.card.view", "carpet.card.print", "carpet.batch.view"), scope="own")
    nima = web_client(kernel, "nima")
    assert nima.get(f"/carpet/card/{ahead[0].id}").status_code == 404
    assert nima.get(f"/carpet/card/{ahead[0].id}/card.pdf").status_code == 404
    assert nima.get(f"/carpet/batch/{batch}/cards.pdf").status_code == 404


@pytest.mark.postgres
def test_two_messages_with_one_code_at_once_register_it_once(make_kernel: Any) -> None:
    """PostgreSQL: the card's row is locked while it is read; the second waits, then is told."""
    import threading

    from modules.carpet.services.registration import register_from_sms

    kernel = carpet_kernel(make_kernel, "postgresql")
    w = world(kernel)
    receive(kernel, w["variants"]["۶ متری — کرم"], "1")
    invoice = sell(kernel, w, w["customer"], [{"product_id": w["variants"]["۶ متری — کرم"], "quantity": "1"}])
    code = cards(kernel, invoice_id=invoice)[0].code
    start, answers = threading.Barrier(2), []

    def send(mobile: str) -> None:
        with kernel.session() as s:
            start.wait()
            answers.append((mobile, register_from_sms(kernel, s, inbound_id=0, address=mobile, body=code,
                                                      partner_id=None).answer))

    threads = [threading.Thread(target=send, args=(m,)) for m in ("+989351110001", "+989351110002")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a for _, a in answers) == ["already", "registered"]
    winner = next(m for m, a in answers if a == "registered")
    card = cards(kernel, invoice_id=invoice)[0]
    assert (card.state, card.mobile) == ("registered", winner)
    with kernel.sessions() as s:  # the one told "registered before" was not made a partner
        assert s.scalar(select(func.count()).select_from(Partner).where(
            Partner.mobile.in_(["+989351110001", "+989351110002"]))) == 1
