"""The customers list with balance and score (/finance/customers, FIN-12): the largest balance
first, pages by a keyset cursor that neither repeats nor skips, sorted by score, filtered by band,
the record scope (a clerk limited to Isfahan never sees Tehran's customer), a cursor typed by hand
answered in Persian (400, the first page), and the score on the profile and on the plan page."""

from __future__ import annotations

from typing import Any

from kernel.testing import actor_of, create_record
from modules.finance.services import cheques, customers_list
from modules.finance.tests.plan_helpers import INVOICE_DAY, invoice, make_plan, new_cheque, pay, plan_world


def _world(k: Any) -> dict[str, Any]:
    """gaz (Isfahan) owes 120,000,000 and bounced a cheque; vanak (Tehran) owes 240,000,000 with no
    history; six more Isfahan customers owe 120,000,000 each, one of them paid on time."""
    w = plan_world(k)
    invoice(k, w, "vanak")
    invoice(k, w, "vanak")
    chq = new_cheque(k, w, "55001", "5500000000000001", 24_000_000, k_today(k))
    ids = make_plan(k, w, w["invoice"], first=k_today(k))
    pay(k, w, w["invoice"], "cheque", 24_000_000, ids[1], cheque_id=chq)
    with k.session(w["boss"]) as s:
        cheques.change_state(k, s, w["boss"], chq, "deposited")
    with k.session(w["boss"]) as s:
        cheques.change_state(k, s, w["boss"], chq, "bounced")
    w["more"] = []
    for i in range(6):
        pid = create_record(k, None, "base.partner", kind="company", name=f"مشتری {i}",
                            province_id=_province(k, w["gaz"]))
        w[f"c{i}"] = pid
        w["more"].append(pid)
        inv = invoice(k, w, f"c{i}")
        if i == 0:
            rows = make_plan(k, w, inv, first=k_today(k))
            pay(k, w, inv, "cash", 24_000_000, rows[0], on=INVOICE_DAY)  # the cash part, on its day
    return w


def k_today(k: Any) -> Any:
    from kernel.timezone import local_today

    return local_today(k.config.timezone)


def _province(k: Any, partner: int) -> int:
    from modules.base.models import Partner

    with k.sessions() as s:
        return int(s.get(Partner, partner).province_id)


def test_pages_by_balance_score_band_and_scope(make_kernel: Any) -> None:
    k = make_kernel(edition="tier3")
    w = _world(k)
    boss = actor_of(k, w["boss_id"])
    with k.sessions() as s:
        first = customers_list.page(k, s, boss, size=3)
        assert first.rows[0].partner_id == w["vanak"] and first.rows[0].balance == 240_000_000
        seen = [r.partner_id for r in first.rows]
        after = first.following
        while after:
            nxt = customers_list.page(k, s, boss, size=3, after=after)
            seen += [r.partner_id for r in nxt.rows]
            after = nxt.following
        assert len(seen) == len(set(seen)) == 8  # every customer once, none skipped
        # Every order walked two at a time (ties of balance and score across pages) gives the
        # one page of 50 in the same order: nothing repeated, nothing skipped.
        for sort in customers_list.SORTS:
            for descending in (True, False):
                whole = [r.partner_id for r in customers_list.page(k, s, boss, sort=sort, descending=descending).rows]
                walked, after = [], ""
                while True:
                    part = customers_list.page(k, s, boss, sort=sort, descending=descending, size=2, after=after)
                    walked += [r.partner_id for r in part.rows]
                    if not (after := part.following):
                        break
                assert walked == whole and len(whole) == 8, (sort, descending)
        balances = [customers_list.page(k, s, boss, size=50).rows[i].balance for i in range(8)]
        assert balances == sorted(balances, reverse=True)
        by_score = customers_list.page(k, s, boss, sort="score", size=50).rows
        assert by_score[0].partner_id == w["c0"] and by_score[0].score == 100 and by_score[0].band == "good"
        assert by_score[-1].band == "none"
        bad = customers_list.page(k, s, boss, band="bad").rows
        assert [r.partner_id for r in bad] == [w["gaz"]] and bad[0].counts.bounced == 1
        # The clerk limited to Isfahan: Tehran's customer is not in any page.
        mine = customers_list.page(k, s, w["isf"], size=50).rows
        assert w["vanak"] not in [r.partner_id for r in mine] and len(mine) == 7


def test_the_page_in_persian_and_a_cursor_typed_by_hand(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    _world(k)
    c = web_client(k, "boss")
    page = c.get("/finance/customers")
    assert page.status_code == 200
    assert "مشتریان بر پایهٔ مانده و خوش‌حسابی" in page.text and "بدحساب" in page.text
    assert "خوش‌حساب" in page.text and "بدون سابقهٔ پرداخت" in page.text
    assert page.text.index("ونک تجارت") < page.text.index("گز اصفهان")  # the largest balance first
    r = c.get("/finance/customers?sort=score&band=good")
    assert r.status_code == 200 and "مشتری 0" in r.text and "گز اصفهان" not in r.text
    r = c.get("/finance/customers?after=abc")
    assert r.status_code == 400 and "از صفحهٔ نخست شروع کنید" in r.text and "ونک تجارت" in r.text
    r = c.get("/finance/customers?sort=nonsense&dir=sideways&band=%3Cscript%3E")
    assert r.status_code == 200 and "<script>" not in r.text
    isf = web_client(k, "isf")
    assert "ونک تجارت" not in isf.get("/finance/customers").text


def test_the_score_on_the_profile_and_on_the_plan_page(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = _world(k)
    c = web_client(k, "boss")
    profile = c.get(f"/base/partner/{w['gaz']}/profile")
    assert profile.status_code == 200 and "خوش‌حسابی مشتری" in profile.text
    assert 'data-band="bad"' in profile.text and "چک برگشتی: ۱" in profile.text
    assert "یک نودم" in profile.text  # the line saying how it is computed
    plan = c.get(f"/finance/invoice/{w['invoice']}/plan")
    assert plan.status_code == 200 and 'data-band="bad"' in plan.text and "چک برگشتی: ۱" in plan.text
    # A partner without invoices or history shows no score panel.
    assert "خوش‌حسابی مشتری" not in c.get(f"/base/partner/{w['supplier']}/profile").text


def test_own_records_see_the_balance_of_their_own_invoices(make_kernel: Any) -> None:
    """A user of "own" records sees only some of a customer's invoices, which the kept balance
    cannot answer: their balance is summed from the invoices they may see, the score is the
    customer's."""
    from kernel.testing import create_user
    from modules.finance.services import issuing
    from modules.finance.tests.plan_helpers import PERMS

    k = make_kernel(edition="tier3")
    w = plan_world(k)
    own = actor_of(k, create_user(k, "own", perms=PERMS, scope="own"))
    mine = create_record(k, own.user_id, "base.partner", kind="company", name="مشتری خودم")
    for actor in (own, w["boss"]):  # one invoice of 120,000,000 theirs, one the boss's
        with k.session(actor) as s:
            issuing.invoice_directly(k, s, actor, {"partner_id": mine, "date": INVOICE_DAY},
                                     [{"product_id": w["product"], "quantity": "1"}])
    with k.sessions() as s:
        rows = customers_list.page(k, s, own).rows
        assert [(r.partner_id, r.balance, r.band) for r in rows] == [(mine, 120_000_000, "none")]
        everyone = {r.partner_id: r.balance for r in customers_list.page(k, s, w["boss"]).rows}
        assert everyone[mine] == 240_000_000
