"""Cheques (FIN-09) and our bank accounts (FIN-10): IBAN mod 97 and the bank read from it, the
Sayad ID, every allowed and refused change of state with its history, bad input refused on its
field with nothing saved, the alarm of a bounce, the search by number or Sayad ID, the due-date
calendar and the cash-in per week, and the record scope on all of them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import InputError
from kernel.models import History
from kernel.records import FormErrors
from kernel.testing import alarms_of, csrf
from modules.finance.banking_codes import check_iban, check_legal_or_national_id, check_sayad, iban_bank_code
from modules.finance.cheque_states import TRANSITIONS
from modules.finance.models import BankAccount, Cheque, ChequeEvent
from modules.finance.models.cheque import CHEQUE_STATES
from modules.finance.search_cheques import find
from modules.finance.services import cheque_calendar, cheques
from modules.finance.tests.cheque_helpers import RECEIVED, bank_id, cheque, cheque_world
from modules.finance.tests.finance_helpers import jdate

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
STATES = [s for s, _ in CHEQUE_STATES]
# How a new cheque reaches each state.
PATHS = {"received": [], "in_safe": ["in_safe"], "deposited": ["deposited"], "cleared": ["deposited", "cleared"],
         "bounced": ["deposited", "bounced"], "endorsed": ["endorsed"], "returned": ["returned"],
         "legal": ["deposited", "bounced", "legal"]}


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


@pytest.fixture
def sqlite_kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier3")


# -- IBAN and Sayad ID ----------------------------------------------------------------------------
def test_iban_mod_97_and_the_bank_it_names() -> None:
    # Real-format IBANs: persian-tools' Parsian example, ir-iban's Pasargad example, and the SWIFT
    # registry's Iranian example (a valid check, bank code 296 that no bank of ours has).
    assert check_iban("IR820540102680020817909002") == "IR820540102680020817909002"
    assert iban_bank_code("IR820540102680020817909002") == "054"
    assert iban_bank_code(check_iban("ir87 0570 0281 8001 0653 8921 01")) == "057"
    assert check_iban("IR۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱") == "IR062960000000100324200001"
    assert check_iban("\u2066IR82-0540-1026-8002-0817-9090-02\u2069") == "IR820540102680020817909002"
    broken = {
        "IR820540102680020817909003": "does not pass its check",  # last digit changed
        "IR820540102680020871909002": "does not pass its check",  # two digits swapped
        "IR82054010268002081790900": "exactly 24 digits",  # a digit short
        "IR8205401026800208179090021": "exactly 24 digits",
        "IR82054010268002081790900A": "exactly 24 digits",  # a letter
        "DE89370400440532013000": "starts with IR",  # a valid German IBAN is not an Iranian one
        "820540102680020817909002": "starts with IR",
    }
    for iban, words in broken.items():
        with pytest.raises(InputError) as err:
            check_iban(iban)
        assert words in err.value.msgid, iban


def test_sayad_id_is_sixteen_digits() -> None:
    assert check_sayad("۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۶") == "1234567890123456"
    assert check_sayad("1234-5678-9012-3456") == "1234567890123456"
    for bad, words in (("123456789012345", "exactly 16"), ("12345678901234567", "exactly 16"),
                       ("12345678901234AB", "digits only"), ("", "digits only"), ("۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵x", "digits only")):
        with pytest.raises(InputError) as err:
            check_sayad(bad)
        assert words in err.value.msgid, bad
    assert check_legal_or_national_id("10101234567") == "10101234567"  # a company's 11 digits
    assert check_legal_or_national_id("۰۰۱-۲۳۴۵۶۷-۹") == "0012345679"
    with pytest.raises(InputError):
        check_legal_or_national_id("0012345678")  # a person's ID whose check digit is wrong


def test_our_account_takes_its_bank_from_the_iban(sqlite_kernel: Any, web_client: Any) -> None:
    k = sqlite_kernel
    w = cheque_world(k)
    with k.sessions() as s:
        account = s.get(BankAccount, w["account"])
        assert account.bank_id == w["mellat"] and account.iban.startswith("IR") and len(account.iban) == 26
    c = web_client(k, "boss")
    token = csrf(c, "/finance/bank_account/new")
    refused = {"IR820540102680020817909003": "رقم کنترلی", "IR8205401026800208179090": "۲۴ رقم",
               "IR062960000000100324200001": "هیچ بانکی"}
    for iban, words in refused.items():
        r = c.post("/finance/bank_account/new", data={"csrf": token, "title": "حساب نو", "iban": iban, "kind": "current"},
                   follow_redirects=False)
        assert r.status_code == 400 and words in r.text, iban
    r = c.post("/finance/bank_account/new", data={"csrf": token, "title": "جاری پارسیان",
                                                  "iban": "IR82 0540 1026 8002 0817 9090 02", "kind": "current"},
               follow_redirects=False)
    assert r.status_code == 303
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(BankAccount)) == 2
        parsian = s.scalars(select(BankAccount).where(BankAccount.title == "جاری پارسیان")).one()
        assert (parsian.iban, parsian.bank_id) == ("IR820540102680020817909002", bank_id(k, "054"))


# -- the lifecycle -----------------------------------------------------------------------------
def _move(k: Any, actor: Any, cid: int, to: str, w: dict[str, Any], **kw: Any) -> Cheque:
    extra = {"endorsed_to_id": w["supplier"]} if to == "endorsed" else {}
    with k.session(actor) as s:
        return cheques.change_state(k, s, actor, cid, to, **{**extra, **kw})


def test_every_allowed_change_and_every_refused_one(sqlite_kernel: Any) -> None:
    k = sqlite_kernel
    w = cheque_world(k)
    n = 0
    for start in STATES:
        for to in STATES:
            n += 1
            cid = cheque(k, w["boss_id"], w["gaz"], w["mellat"], number=str(100000 + n), sayad=None)
            for step in PATHS[start]:
                _move(k, w["boss"], cid, step, w)
            if to in TRANSITIONS[start]:
                assert _move(k, w["boss"], cid, to, w).state == to
                continue
            with pytest.raises(FormErrors) as err:
                _move(k, w["boss"], cid, to, w)
            assert "to_state" in err.value.errors, (start, to)
            with k.sessions() as s:
                assert s.get(Cheque, cid).state == start and s.get(Cheque, cid).revision == len(PATHS[start])
                assert s.scalar(select(func.count()).where(ChequeEvent.cheque_id == cid)) == 1 + len(PATHS[start])
    assert n == 64
    assert {s for s, moves in TRANSITIONS.items() if not moves} == {"cleared", "returned"}
    assert "in_safe" not in TRANSITIONS["bounced"]


def test_each_change_is_a_history_row_with_day_user_and_note(kernel: Any) -> None:
    k = kernel
    w = cheque_world(k)
    cid = cheque(k, w["boss_id"], w["gaz"], w["mellat"])
    _move(k, w["boss"], cid, "in_safe", w, on=jdate(1405, 2, 2), note="گاوصندوق دفتر")
    _move(k, w["boss"], cid, "deposited", w, on=jdate(1405, 3, 15), account_id=w["account"])
    with k.sessions() as s:
        events = s.scalars(select(ChequeEvent).where(ChequeEvent.cheque_id == cid).order_by(ChequeEvent.id)).all()
        assert [(e.from_state, e.to_state, e.on, e.user_id, e.note) for e in events] == [
            (None, "received", RECEIVED, w["boss_id"], None),
            ("received", "in_safe", jdate(1405, 2, 2), w["boss_id"], "گاوصندوق دفتر"),
            ("in_safe", "deposited", jdate(1405, 3, 15), w["boss_id"], None)]
        assert events[2].account_id == w["account"]
        c = s.get(Cheque, cid)
        assert (c.state, c.state_on, c.revision, c.deposit_account_id) == ("deposited", jdate(1405, 3, 15), 2,
                                                                            w["account"])
        # The kernel's history of the record has the change too.
        changes = s.scalars(select(History.changes).where(History.table_name == "finance_cheque",
                                                          History.record_id == cid)).all()
        assert any("deposited" in str(ch) for ch in changes)
    # A date before the cheque was received, an account on a move that is no deposit: refused.
    with pytest.raises(FormErrors) as err:
        _move(k, w["boss"], cid, "cleared", w, on=jdate(1405, 1, 1))
    assert "on" in err.value.errors
    with pytest.raises(FormErrors) as err:
        _move(k, w["boss"], cid, "cleared", w, account_id=w["account"])
    assert "account_id" in err.value.errors


def test_endorsed_only_to_a_supplier_and_a_bounce_tells_the_owner(sqlite_kernel: Any) -> None:
    k = sqlite_kernel
    w = cheque_world(k)
    cid = cheque(k, w["boss_id"], w["gaz"], w["mellat"])
    for who in (None, w["gaz"]):
        with pytest.raises(FormErrors) as err:
            _move(k, w["boss"], cid, "endorsed", w, endorsed_to_id=who)
        assert "endorsed_to_id" in err.value.errors
    assert _move(k, w["boss"], cid, "endorsed", w).endorsed_to_id == w["supplier"]
    assert alarms_of(k, w["boss_id"]) == []
    _move(k, w["boss"], cid, "bounced", w, note="کسری موجودی")
    assert [t for t, _ in alarms_of(k, w["boss_id"])] == ["چک \u2066۱۲۳۴۵۶\u2069 برگشت خورد"]


def test_only_with_the_permission_and_inside_the_scope(sqlite_kernel: Any) -> None:
    from kernel import NotFound, PermissionDenied

    k = sqlite_kernel
    w = cheque_world(k)
    tehran = cheque(k, w["boss_id"], w["vanak"], w["mellat"])
    with pytest.raises(NotFound):
        _move(k, w["isf"], tehran, "in_safe", w)
    with pytest.raises(PermissionDenied):
        _move(k, w["viewer"], tehran, "in_safe", w)
    with k.sessions() as s:
        assert s.get(Cheque, tehran).state == "received"


# -- the pages: bad input refused on its field, nothing changed ---------------------------------------
def _form(w: dict[str, Any], **change: str) -> dict[str, str]:
    return {"partner_id": str(w["gaz"]), "bank_id": str(w["mellat"]), "number": "۷۷۸۸۹۹",
            "sayad_id": "۱۲۳۴ ۵۶۷۸ ۹۰۱۲ ۳۴۵۶", "amount": "۵۰٬۰۰۰٬۰۰۰", "due_date": "۱۴۰۵/۰۳/۱۵",
            "received_on": "۱۴۰۵/۰۲/۰۱", "issuer": "رضا محمدی", "drawn_on": "current", **change}


def test_bad_cheque_input_is_refused_on_its_field(sqlite_kernel: Any, web_client: Any) -> None:
    k = sqlite_kernel
    w = cheque_world(k)
    c = web_client(k, "boss")
    token = csrf(c, "/finance/cheque/new")
    bad = {"sayad_id": ("۱۲۳۴۵", "دقیقاً ۱۶ رقم"), "amount": ("۵۰ هزار", ""), "due_date": ("۱۴۰۵/۰۱/۳۰", "سررسید چک"),
           "issuer_national_id": ("0012345678", "")}
    for field, (value, words) in bad.items():
        r = c.post("/finance/cheque/new", data={"csrf": token, **_form(w, **{field: value})}, follow_redirects=False)
        assert r.status_code == 400, field
        assert f'data-error-for="{field}"' in r.text or f'id="err-{field}"' in r.text or words in r.text, field
        assert words in r.text, field
    r = c.post("/finance/cheque/new", data={"csrf": token, **_form(w, amount="-5")}, follow_redirects=False)
    assert r.status_code == 400 and "بیشتر از صفر" in r.text
    r = c.post("/finance/cheque/new", data={"csrf": token, **_form(w, sayad_id="12345678901234AB")},
               follow_redirects=False)
    assert r.status_code == 400 and "فقط رقم" in r.text
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Cheque)) == 0
    assert c.post("/finance/cheque/new", data={"csrf": token, **_form(w)}, follow_redirects=False).status_code == 303
    r = c.post("/finance/cheque/new", data={"csrf": token, **_form(w, number="778900")}, follow_redirects=False)
    assert r.status_code == 400 and "این شناسه صیادی" in r.text  # unique per bank
    with k.sessions() as s:
        saved = s.scalars(select(Cheque)).one()
        assert (saved.number, saved.sayad_id, saved.amount) == ("778899", "1234567890123456", 50_000_000)


def test_the_state_form_refuses_a_move_the_lifecycle_does_not_allow(sqlite_kernel: Any, web_client: Any) -> None:
    k = sqlite_kernel
    w = cheque_world(k)
    cid = cheque(k, w["boss_id"], w["gaz"], w["mellat"])
    c = web_client(k, "boss")
    page = c.get(f"/finance/cheque/{cid}")
    assert page.status_code == 200 and "گذاشتن در صندوق" in page.text and "تاریخچه‌ی چک" in page.text
    token = csrf(c, f"/finance/cheque/{cid}")
    for step in ("deposited", "bounced"):
        r = c.post(f"/finance/cheque/{cid}/state", data={"csrf": token, "to_state": step, "note": "بانک ملت"},
                   follow_redirects=False)
        assert r.status_code == 303
    r = c.post(f"/finance/cheque/{cid}/state", data={"csrf": token, "to_state": "in_safe", "revision": "2"},
               follow_redirects=False)
    assert r.status_code == 400 and "از وضعیت کنونی چک مجاز نیست" in r.text
    r = c.post(f"/finance/cheque/{cid}/state", data={"csrf": token, "to_state": "legal", "revision": "1"},
               follow_redirects=False)
    assert r.status_code == 409 and "کاربر دیگری" in r.text  # a page older than the last change
    r = c.post(f"/finance/cheque/{cid}/state", data={"csrf": token, "to_state": "legal", "on": "۱۴۰۵/۱۳/۴۰"},
               follow_redirects=False)
    assert r.status_code == 400
    with k.sessions() as s:
        assert (s.get(Cheque, cid).state, s.get(Cheque, cid).revision) == ("bounced", 2)
    tehran = cheque(k, w["boss_id"], w["vanak"], w["mellat"], number="999", sayad=None)
    isf = web_client(k, "isf")
    assert isf.get(f"/finance/cheque/{tehran}").status_code == 404
    r = isf.post(f"/finance/cheque/{tehran}/state", data={"csrf": csrf(isf, "/finance/cheque/"), "to_state": "in_safe"},
                 follow_redirects=False)
    assert r.status_code == 404
    with k.sessions() as s:
        assert s.get(Cheque, tehran).state == "received"


# -- finding a cheque, the calendar, the cash-in per week --------------------------------------------
def test_search_by_number_or_sayad_id_with_persian_digits(kernel: Any) -> None:
    k = kernel
    w = cheque_world(k)
    gaz = cheque(k, w["boss_id"], w["gaz"], w["mellat"], number="452310", sayad="9876543210123456")
    vanak = cheque(k, w["boss_id"], w["vanak"], w["mellat"], number="452311", sayad="9876543210123457")

    def found(actor: Any, query: str) -> list[str]:
        with k.sessions() as s:
            return [h.record for h in find(k, s, actor, query, 10)]

    assert found(w["boss"], "۴۵۲۳۱۰") == [f"finance.cheque:{gaz}"]
    assert found(w["boss"], "۹۸۷۶ ۵۴۳۲ ۱۰۱۲ ۳۴۵۷") == [f"finance.cheque:{vanak}"]
    assert found(w["boss"], "9876-5432-1012-3456") == [f"finance.cheque:{gaz}"]
    assert found(w["boss"], "4523") == [] and found(w["boss"], "علی") == []
    assert found(w["isf"], "452311") == [] and found(w["isf"], "9876543210123457") == []  # Tehran's
    assert found(w["isf"], "۴۵۲۳۱۰") == [f"finance.cheque:{gaz}"]


def test_the_calendar_month_and_the_cash_in_per_week(kernel: Any, web_client: Any) -> None:
    k = kernel
    w = cheque_world(k)
    # Khordad 1405 begins on a Friday (2026-05-22): the grid starts with six blank days.
    a = cheque(k, w["boss_id"], w["gaz"], w["mellat"], number="1", sayad=None, due=jdate(1405, 3, 1), amount=10)
    cheque(k, w["boss_id"], w["gaz"], w["mellat"], number="2", sayad=None, due=jdate(1405, 3, 1), amount=20)
    cheque(k, w["boss_id"], w["vanak"], w["mellat"], number="3", sayad=None, due=jdate(1405, 3, 31), amount=400)
    cheque(k, w["boss_id"], w["gaz"], w["mellat"], number="4", sayad=None, due=jdate(1405, 4, 1), amount=8000)
    _move(k, w["boss"], a, "deposited", w)
    _move(k, w["boss"], a, "cleared", w)
    with k.sessions() as s:
        month = cheque_calendar.month(k, s, w["boss"], 1405, 3, jdate(1405, 3, 10))
        isf = cheque_calendar.month(k, s, w["isf"], 1405, 3, jdate(1405, 3, 10))
    days = [d for week in month.weeks for d in week]
    assert days[:6] == [None] * 6 and days[6] is not None and days[6].day == 1
    assert len(days) % 7 == 0 and sum(d is not None for d in days) == 31
    first = days[6]
    assert (first.count, first.total, first.expected) == (2, 30, 20)  # the cleared one is in
    assert (month.count, month.total, month.expected) == (3, 430, 420)
    assert (isf.count, isf.total) == (2, 30)  # Tehran's cheque is not the Isfahan clerk's
    assert (month.previous, month.next) == ((1405, 2), (1405, 4))
    with k.sessions() as s:
        weeks = cheque_calendar.cash_in(k, s, w["boss"], jdate(1405, 3, 10))
    assert weeks[0].overdue and (weeks[0].count, weeks[0].total) == (1, 20)  # due 1 Khordad, not yet in
    assert weeks[1].start == jdate(1405, 3, 9) and weeks[1].start.weekday() == 5  # a Saturday
    # 31 Khordad (Sunday 21 June) and 1 Tir (Monday) fall in the week of Saturday 30 Khordad.
    assert [(x.count, x.total) for x in weeks[1:6]] == [(0, 0), (0, 0), (0, 0), (2, 8400), (0, 0)]
    c = web_client(k, "boss")
    page = c.get("/finance/cheques/calendar?y=1405&m=3")
    assert page.status_code == 200 and "خرداد" in page.text and "۱۴۰۵" in page.text and "ونک تجارت" in page.text
    assert "?y=1405&amp;m=2" in page.text and "?y=1405&amp;m=4" in page.text
    assert c.get("/finance/cheques/calendar?y=abc&m=99").status_code == 200
    assert "ونک تجارت" not in web_client(k, "isf").get("/finance/cheques/calendar?y=1405&m=3").text
    assert c.get("/finance/cheques/cash-in").status_code == 200


def test_the_demo_has_cheques_in_different_states(make_kernel: Any, web_client: Any) -> None:
    from kernel.demo import load_demo
    from kernel.testing import create_user

    k = make_kernel(edition="tier3")
    create_user(k, "admin", admin=True)
    out = load_demo(k)
    assert "2 bank accounts, 1 POS terminal and" in out, out
    with k.sessions() as s:
        states = set(s.scalars(select(Cheque.state)))
        assert {"received", "in_safe", "deposited", "cleared", "bounced"} <= states, states
        assert s.scalar(select(func.count()).select_from(ChequeEvent)) > s.scalar(select(func.count()).select_from(Cheque))
    c = web_client(k, "admin")
    assert c.get("/finance/cheque/").status_code == 200
    assert c.get("/finance/cheques/calendar").status_code == 200


def test_a_new_cheque_form_starts_received_today(sqlite_kernel: Any, web_client: Any) -> None:
    """``Field(starts_today=True)``: the day a cheque is received is today nine times in ten, in the
    user's digits; a date in the query string wins, and an edited cheque keeps its own."""
    from kernel.persian.jalali import format_jalali
    from kernel.timezone import local_today

    k = sqlite_kernel
    w = cheque_world(k)
    today = format_jalali(local_today(k.config.timezone), "fa")
    c = web_client(k, "boss")
    page = c.get("/finance/cheque/new")
    assert f'name="received_on" value="{today}"' in page.text
    assert f'value="{today}"' not in c.get("/finance/cheque/new?received_on=1405/02/01").text
    cid = cheque(k, None, w["gaz"], w["mellat"])
    assert f'value="{today}"' not in c.get(f"/finance/cheque/{cid}/edit").text


def test_a_busy_day_shows_its_first_cheques_and_how_many_more(kernel: Any) -> None:
    """A day's cell lists its first ``SHOWN_PER_DAY`` cheques (oldest first, each with its
    customer) and says how many more; the sums count them all; other days are not held back."""
    k = kernel
    w = cheque_world(k)
    made = [cheque(k, w["boss_id"], w["gaz"], w["mellat"], number=f"7{i}", sayad=None, due=jdate(1405, 3, 5),
                   amount=100 + i) for i in range(cheque_calendar.SHOWN_PER_DAY + 2)]
    other = cheque(k, w["boss_id"], w["vanak"], w["mellat"], number="99", sayad=None, due=jdate(1405, 3, 6))
    with k.sessions() as s:
        month = cheque_calendar.month(k, s, w["boss"], 1405, 3, jdate(1405, 3, 1))
    days = {d.day: d for week in month.weeks for d in week if d is not None}
    busy = days[5]
    assert [row.id for row, _ in busy.cheques] == made[:cheque_calendar.SHOWN_PER_DAY]
    assert {name for _, name in busy.cheques} == {"گز اصفهان"}
    assert (busy.count, busy.more, busy.total) == (len(made), 2, sum(100 + i for i in range(len(made))))
    assert [(row.id, name) for row, name in days[6].cheques] == [(other, "ونک تجارت")]
    assert all(not d.cheques for n, d in days.items() if n not in (5, 6))
