"""INS-01 end to end on both engines: a policy typed with Persian digits (thank-you SMS in its
transaction), refusals that change nothing, the daily scan by the clock (the agent's alarm, the
renewal SMS through the fake panel, the birthday alarm — each exactly once, however often and on
however many kernels the scan runs), renewal linked to the old policy, the premium's invoice with
finance's instalments, the agent's and the manager's scopes, the reports and the profile panel."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Alarm, utcnow
from kernel.db import transaction
from kernel.testing import csrf
from modules.insurance.models import Notice, Policy
from modules.insurance.services.scan import run_scan
from modules.insurance.tests.insurance_helpers import ENGINES, SYSTEM, agency, drain, jalali
from modules.marketing.fake_panel import FakePanel
from modules.marketing.models import Message
from modules.marketing.testing import add_panel


def _errors(html: str) -> list[str]:
    return re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]*)<', html)


def _policies(kernel: Any) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Policy)) or 0)


def _form(w: dict[str, Any], **over: Any) -> dict[str, Any]:
    today = w["today"]
    data = {"number": "AS-1405-۰۰۰۷۷", "type_id": w["car"], "insurer_id": w["asia"], "insured_id": w["maryam"],
            "starts_on": jalali(today - dt.timedelta(days=355)), "ends_on": jalali(today + dt.timedelta(days=10)),
            "premium": "۱۲٬۰۰۰٬۰۰۰"}
    data.update(over)
    return data


def _alarms(kernel: Any, user_id: int) -> list[str]:
    with kernel.sessions() as s:
        return list(s.scalars(select(Alarm.title).where(Alarm.user_id == user_id).order_by(Alarm.id)))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_policy_from_sale_to_renewal(make_kernel: Any, web_client: Any, api_client: Any, fake_panel: FakePanel,
                                       engine: str) -> None:
    kernel = make_kernel(edition="insurance", engine=engine)
    add_panel(kernel, fake_panel)
    w = agency(kernel)
    sara = web_client(kernel, "sara")
    token = csrf(sara, "/insurance/policy/new")

    # Bad input: a Persian message on the field, nothing saved.
    for bad, text in ((_form(w, ends_on=jalali(w["today"] - dt.timedelta(days=400))), "باید بعد از"),
                      (_form(w, premium="۰"), "بیشتر از صفر"),
                      (_form(w, premium="دوازده"), "عدد"),
                      (_form(w, insured_id=w["firm"]), "باید شخص حقیقی باشد")):
        resp = sara.post("/insurance/policy/new", data={"csrf": token, **bad}, follow_redirects=False)
        assert resp.status_code in (400, 422), resp.status_code
        assert text in resp.text, _errors(resp.text)
    assert _policies(kernel) == 0

    # Sold: typed with Persian digits; the thank-you SMS goes with it.
    resp = sara.post("/insurance/policy/new", data={"csrf": token, **_form(w)}, follow_redirects=False)
    assert resp.status_code == 303, resp.text[-3000:]
    with kernel.sessions() as s:
        policy = s.scalars(select(Policy)).one()
        assert (policy.number, policy.premium, policy.state, policy.owner_id) == ("AS-1405-00077", 12_000_000,
                                                                                  "active", w["sara"])
        assert policy.ends_on == w["today"] + dt.timedelta(days=10)
        pid = policy.id
        thanks = s.scalars(select(Message.body)).all()
    assert len(thanks) == 1 and "سپاسگزاریم" in thanks[0] and "AS-1405-00077" in thanks[0]

    # The daily scan by the clock: the agent's alarm, the renewal SMS, the birthday alarm.
    now = utcnow() + dt.timedelta(minutes=1)
    drain(kernel, now)
    titles = _alarms(kernel, w["sara"])
    assert any("AS-۱۴۰۵-۰۰۰۷۷" in t and "مریم کریمی" in t for t in titles), titles
    assert "تولد بیمه‌شده: مریم کریمی" in titles and "سالگرد ازدواج بیمه‌شده: مریم کریمی" in titles
    sent = sorted(m.message for m in fake_panel.state.sent.values())
    assert len(sent) == 2 and any("تمدید" in m and "AS-1405-00077" in m for m in sent), sent
    assert {m.receptor for m in fake_panel.state.sent.values()} == {"09121110000"}

    # Again, and from a second server on the same database: nothing more.
    other = make_kernel(edition="insurance", same_database_as=kernel, migrate=False)
    for k in (kernel, other, kernel):
        with transaction(k.sessions, SYSTEM) as s:
            assert run_scan(s, k, now + dt.timedelta(hours=2)) == {"expired": 0, "renewal": 0, "occasions": 0}
    drain(kernel, now + dt.timedelta(hours=3))
    assert len(_alarms(kernel, w["sara"])) == 3 and len(fake_panel.state.sent) == 2
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Notice)) == 3

    # Another agent does not see it; the team's manager does.
    reza, mina = web_client(kernel, "reza"), web_client(kernel, "mina")
    assert reza.get(f"/insurance/policy/{pid}").status_code == 404
    assert reza.get(f"/insurance/policy/{pid}/renew").status_code == 404
    assert mina.get(f"/insurance/policy/{pid}").status_code == 200

    # The API: the same scope and the same rules, in Persian.
    assert api_client(kernel, "reza").get(f"/api/insurance/policy/{pid}").status_code == 404
    api = api_client(kernel, "sara")
    bad = api.post("/api/insurance/policy", headers={"Accept-Language": "fa"},
                   json={"number": "X-1", "type_id": w["car"], "insurer_id": w["asia"], "insured_id": w["maryam"],
                         "starts_on": "2026-01-01", "ends_on": "2025-12-01", "premium": "۰"})
    assert bad.status_code == 422 and "صفر" in bad.json()["errors"]["premium"] and _policies(kernel) == 1

    # The premium in three instalments through finance's payment plan.
    first = w["today"] + dt.timedelta(days=30)
    resp = sara.post(f"/insurance/policy/{pid}/bill", data={"csrf": token, "count": "۳", "first": jalali(first)},
                     follow_redirects=False)
    assert resp.status_code == 303, resp.text[-3000:]
    from modules.finance.models import Instalment, Invoice

    with kernel.sessions() as s:
        policy = s.get(Policy, pid)
        invoice = s.get(Invoice, policy.invoice_id)
        assert invoice is not None and invoice.grand_total == 12_000_000 and invoice.partner_id == w["maryam"]
        parts = s.scalars(select(Instalment.amount).where(Instalment.invoice_id == invoice.id,
                                                          Instalment.deleted_at.is_(None))
                          .order_by(Instalment.position)).all()
    assert parts == [4_000_000, 4_000_000, 4_000_000]
    page = sara.get(f"/insurance/policy/{pid}").text
    assert "۴٬۰۰۰٬۰۰۰" in page
    again = sara.post(f"/insurance/policy/{pid}/bill", data={"csrf": token, "count": "2", "first": jalali(first)})
    assert again.status_code == 409 and "فاکتور" in again.text

    # Renewal: a prefilled form for the next period; saving it links both and renews the old.
    resp = sara.get(f"/insurance/policy/{pid}/renew", follow_redirects=False)
    assert resp.status_code == 303
    form = sara.get(resp.headers["location"])
    assert form.status_code == 200
    new_data = _form(w, number="AS-1406-00001", starts_on=jalali(w["today"] + dt.timedelta(days=10)),
                     ends_on=jalali(w["today"] + dt.timedelta(days=375)), premium="۱۳٬۵۰۰٬۰۰۰", renews_id=str(pid))
    resp = sara.post("/insurance/policy/new", data={"csrf": token, **new_data}, follow_redirects=False)
    assert resp.status_code == 303, resp.text[-3000:]
    with kernel.sessions() as s:
        old = s.get(Policy, pid)
        new = s.scalars(select(Policy).where(Policy.renews_id == pid)).one()
        assert old.state == "renewed" and new.state == "active"
        new_id = new.id
    assert "AS-1406-" in sara.get(f"/insurance/policy/{pid}").text.replace("\u2066", "").replace("۱۴۰۶", "1406")
    assert f"/insurance/policy/{pid}" in sara.get(f"/insurance/policy/{new_id}").text
    refused = sara.get(f"/insurance/policy/{pid}/renew")
    assert refused.status_code == 409 and "تمدید شده" in refused.text
    twice = sara.post("/insurance/policy/new", data={"csrf": token, **_form(w, number="X-2", renews_id=str(pid))})
    assert twice.status_code in (400, 422) and _policies(kernel) == 2

    # Reports, in the manager's scope: renewal rate of the period holding the old policy's end.
    period = {"from": jalali(w["today"]), "to": jalali(w["today"] + dt.timedelta(days=20))}
    rate = mina.get("/reports/insurance.renewal_rate", params=period)
    assert rate.status_code == 200 and "۱۰۰٪" in rate.text
    assert mina.get("/reports/insurance.renewal_rate.xlsx", params=period).status_code == 200
    expiring = mina.get("/reports/insurance.expiring", params=period)
    assert expiring.status_code == 200 and "۱۲٬۰۰۰٬۰۰۰" in expiring.text
    assert reza.get("/reports/insurance.expiring.pdf").status_code == 200

    # The list's "Ends in month" filter, typed with Persian digits.
    month = jalali(w["today"] + dt.timedelta(days=10))[:7]
    listed = mina.get("/insurance/policy/", params={"f_ends_month": month})
    assert listed.status_code == 200 and "AS-۱۴۰۵-۰۰۰۷۷" in listed.text and "AS-۱۴۰۶-۰۰۰۰۱" not in listed.text

    # The insured's profile lists the policies.
    profile = sara.get(f"/base/partner/{w['maryam']}/profile").text
    assert 'data-panel="insurance.policies"' in profile
