"""The incoming-call pop-up's server side: the card (caller, company, the facts base, tasks and
finance add, only as far as the reader may see), one-click logging once, "new partner" from an
unknown number, the call list's kinds and "my calls today"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import utcnow
from kernel.actor import SYSTEM
from kernel.testing import create_record, create_user, csrf_of
from kernel.timezone import local_today
from modules.telephony.tests.telephony_helpers import (
    ENGINES,
    add_device,
    add_partner,
    calls,
    telephony_kernel,
)
from modules.telephony.tests.test_telephony_calls import incoming, table_rows

CLERK = ("telephony.call.view", "base.partner.*", "base.communication.*")


def _extension(k: Any, number: str, user_id: int) -> None:
    from modules.telephony.models import Extension

    with k.session() as session:
        session.add(Extension(number=number, user_id=user_id))


def _ring(k: Any, number: str, extension: str = "201", at: dt.datetime | None = None, duration: int = 95) -> int:
    from modules.telephony.sink import record_event

    device = k.__dict__.setdefault("test_device", add_device(k, "/dev/ttyUSB0"))
    call_id = record_event(k, device, incoming(number, at or utcnow().replace(microsecond=0), extension, duration))
    assert call_id is not None
    return call_id


def _communications(k: Any) -> list[Any]:
    from modules.base.models import Communication

    with k.sessions() as session:
        return list(session.scalars(select(Communication).order_by(Communication.id)))


def _employee(k: Any) -> int:
    """Zahra Rezaei of Kashan Carpets, with a communication of last week."""
    person = add_partner(k, "زهرا رضایی", mobile="+989121234567")
    company = create_record(k, None, "base.partner", kind="company", name="فرش کاشان")
    create_record(k, None, "base.employment", person_id=person, company_id=company, position="مدیر خرید")
    create_record(k, None, "base.communication", partner_id=person, kind="meeting", direction="out",
                  subject="جلسهٔ قیمت پاییز", started_at=utcnow() - dt.timedelta(days=7))
    return person


@pytest.mark.parametrize("engine", ENGINES)
def test_the_card_shows_the_caller_company_and_every_modules_facts(make_kernel, web_client, engine):
    from modules.finance.services import issuing

    k = make_kernel(engine=engine, edition="tier3", modules=("telephony", "tasks"), packages=("modules.telephony",))
    sara = create_user(k, "sara", perms=(*CLERK, "tasks.task.view", "finance.invoice.view"))
    _extension(k, "201", sara)
    person = _employee(k)
    create_record(k, None, "tasks.task", title="پیگیری پیش‌فاکتور", partner_id=person, assignee_id=sara)
    product = create_record(k, None, "finance.product", name="نصب", kind="service", price=5_000_000, tax_exempt=True)
    with k.session(SYSTEM) as s:
        issuing.invoice_directly(k, s, SYSTEM, {"partner_id": person, "date": local_today(k.config.timezone)},
                                 [{"product_id": product, "quantity": "1"}])
    call = _ring(k, "+98 912 123 4567")  # the PBX wrote it another way than the partner's mobile
    card = web_client(k, "sara").get(f"/telephony/call/{call}/popup")
    assert card.status_code == 200 and "<html" not in card.text  # a fragment, not a page
    text = card.text
    assert f'data-partner="{person}"' in text and "زهرا رضایی" in text and "فرش کاشان" in text
    assert "آخرین ارتباط" in text and "جلسهٔ قیمت پاییز" in text
    assert "کارهای باز" in text and "<dd>۱</dd>" in text
    assert "مانده" in text and "۵٬۰۰۰٬۰۰۰" in text
    assert f'href="/base/partner/{person}/profile"' in text and "ثبت تماس" in text and "۱:۳۵" in text
    # Facts follow their own permissions: a clerk without finance's sees no balance.
    create_user(k, "reza", perms=(*CLERK, "tasks.task.view"))
    other = web_client(k, "reza").get(f"/telephony/call/{call}/popup").text
    assert "کارهای باز" in other and "مانده" not in other and "۵٬۰۰۰٬۰۰۰" not in other


@pytest.mark.parametrize("engine", ENGINES)
def test_without_tasks_and_finance_the_card_has_what_base_knows(make_kernel, web_client, engine):
    k = telephony_kernel(make_kernel, engine)  # tier 1: base and telephony only
    assert "tasks.task" not in k.resources and "finance.invoice" not in k.resources
    sara = create_user(k, "sara", perms=CLERK)
    _extension(k, "201", sara)
    _employee(k)
    text = web_client(k, "sara").get(f"/telephony/call/{_ring(k, '۰۹۱۲۱۲۳۴۵۶۷')}/popup").text
    assert "زهرا رضایی" in text and "جلسهٔ قیمت پاییز" in text
    assert "کارهای باز" not in text and "مانده" not in text
    fresh = add_partner(k, "مهدی کریمی", mobile="+989351112233")
    assert fresh
    text = web_client(k, "sara").get(f"/telephony/call/{_ring(k, '09351112233')}/popup").text
    assert "مهدی کریمی" in text and "آخرین ارتباط" in text and "هنوز هیچ" in text


@pytest.mark.parametrize("engine", ENGINES)
def test_a_caller_outside_the_scope_is_a_number_at_ones_own_extension_and_nothing_elsewhere(
        make_kernel, web_client, engine):
    k = telephony_kernel(make_kernel, engine)
    own = create_user(k, "own", perms=CLERK, scope="own")  # sees only the partners they own
    _extension(k, "201", own)
    _employee(k)  # owned by nobody: outside "own"'s scope
    mine = _ring(k, "09121234567", extension="201")
    elsewhere = _ring(k, "09121234567", extension="202", at=utcnow() - dt.timedelta(minutes=3))
    client = web_client(k, "own")
    card = client.get(f"/telephony/call/{mine}/popup")
    assert card.status_code == 200
    assert "۰۹۱۲ ۱۲۳ ۴۵۶۷" in card.text and "زهرا رضایی" not in card.text and "فرش کاشان" not in card.text
    assert "جلسهٔ قیمت پاییز" not in card.text and "data-partner" not in card.text
    assert "طرف جدید" not in card.text and "ثبت تماس" not in card.text  # no duplicate, no log
    assert client.get(f"/telephony/call/{elsewhere}/popup").status_code == 404
    assert client.get("/telephony/call/999999/popup").status_code == 404
    # Posting the log by hand is refused in Persian and writes nothing.
    page = client.get("/telephony/today/mine", follow_redirects=True)
    refused = client.post(f"/telephony/call/{mine}/log", data={"csrf": csrf_of(page.text)},
                          headers={"X-Peyvand-Fragment": "1"})
    assert refused.status_code == 409 and "اجازهٔ دیدن این تماس‌گیرنده را ندارید" in refused.text
    assert client.post(f"/telephony/call/{elsewhere}/log", data={"csrf": csrf_of(page.text)}).status_code == 404
    assert len(_communications(k)) == 1  # the seed's meeting only


@pytest.mark.parametrize("engine", ENGINES)
def test_one_click_logs_the_call_once_with_its_time_duration_and_user(make_kernel, web_client, engine):
    k = telephony_kernel(make_kernel, engine)
    sara = create_user(k, "sara", perms=CLERK)
    _extension(k, "201", sara)
    person = _employee(k)
    at = utcnow().replace(microsecond=0) - dt.timedelta(minutes=10)
    call = _ring(k, "09121234567", at=at, duration=125)
    client = web_client(k, "sara")
    token = csrf_of(client.get(f"/telephony/call/{call}").text)
    logged = client.post(f"/telephony/call/{call}/log", data={"csrf": token, "note": "  سفارش ۲۰ تخته  "},
                         headers={"X-Peyvand-Fragment": "1"})
    assert logged.status_code == 200 and "تماس ثبت شد" in logged.text and "در ارتباطات ثبت شد" in logged.text
    comm = _communications(k)[-1]
    assert (comm.partner_id, comm.kind, comm.direction, comm.subject) == (person, "call", "in", "تماس ورودی (۲:۰۵)")
    assert (comm.started_at, comm.ended_at) == (at, at + dt.timedelta(seconds=125))
    assert (comm.owner_id, comm.result, comm.link_resource, comm.link_id) == (sara, "سفارش ۲۰ تخته",
                                                                              "telephony.call", call)
    assert [c.communication_id for c in calls(k)] == [comm.id]
    # A second click (another tab, the call's page) is told, and writes nothing.
    again = client.post(f"/telephony/call/{call}/log", data={"csrf": token}, headers={"X-Peyvand-Fragment": "1"})
    assert again.status_code == 409 and "این تماس پیش‌تر ثبت شده است" in again.text
    form_again = client.post(f"/telephony/call/{call}/log", data={"csrf": token}, follow_redirects=False)
    assert form_again.status_code == 303 and form_again.headers["location"] == f"/telephony/call/{call}"
    assert "این تماس پیش‌تر ثبت شده است" in client.get(form_again.headers["location"]).text
    assert len(_communications(k)) == 2
    # The call's page shows the card with the link to what was logged, and no second button.
    page = client.get(f"/telephony/call/{call}").text
    assert f'href="/base/communication/{comm.id}"' in page and 'action="/telephony/call/' not in page
    # Deleted from the communications: the call may be logged again.
    with k.session() as s:
        from modules.base.models import Communication

        s.get(Communication, comm.id).deleted_at = utcnow()
    assert client.post(f"/telephony/call/{call}/log", data={"csrf": token},
                       headers={"X-Peyvand-Fragment": "1"}).status_code == 200
    # Without the communication's create permission the route is refused.
    create_user(k, "viewer", perms=("telephony.call.view", "base.partner.view"))
    viewer = web_client(k, "viewer")
    assert viewer.post(f"/telephony/call/{call}/log",
                       data={"csrf": csrf_of(viewer.get("/telephony/today/mine", follow_redirects=True).text)}
                       ).status_code == 403


@pytest.mark.parametrize("engine", ENGINES)
def test_a_long_note_is_refused_and_nothing_is_logged(make_kernel, web_client, engine):
    k = telephony_kernel(make_kernel, engine)
    sara = create_user(k, "sara", perms=CLERK)
    _extension(k, "201", sara)
    _employee(k)
    call = _ring(k, "09121234567")
    client = web_client(k, "sara")
    token = csrf_of(client.get(f"/telephony/call/{call}").text)
    refused = client.post(f"/telephony/call/{call}/log", data={"csrf": token, "note": "ب" * 2001},
                          headers={"X-Peyvand-Fragment": "1"})
    assert refused.status_code == 400 and "یادداشت بیش از اندازه بلند است" in refused.text
    assert len(_communications(k)) == 1 and calls(k)[0].communication_id is None


@pytest.mark.parametrize("engine", ENGINES)
def test_new_partner_from_an_unknown_number_takes_its_calls(make_kernel, web_client, engine):
    k = telephony_kernel(make_kernel, engine)
    sara = create_user(k, "sara", perms=CLERK)
    _extension(k, "201", sara)
    call = _ring(k, "۰۹۱۲ ۹۹۹ ۸۸۷۷")
    earlier = _ring(k, "+989129998877", at=utcnow() - dt.timedelta(days=2))
    landline = _ring(k, "88776655", at=utcnow() - dt.timedelta(hours=1))
    client = web_client(k, "sara")
    card = client.get(f"/telephony/call/{call}/popup").text
    assert "شمارهٔ ناشناس" in card and "ثبت تماس" not in card
    new = f"/base/partner/new?kind=person&amp;mobile=09129998877&amp;next=%2Ftelephony%2Fcall%2F{call}"
    assert new in card
    assert "phone=02188776655" in client.get(f"/telephony/call/{landline}/popup").text  # not a mobile
    form = client.get(new.replace("&amp;", "&"))
    assert form.status_code == 200 and 'value="09129998877"' in form.text
    saved = client.post("/base/partner/new", data={
        "csrf": csrf_of(form.text), "kind": "person", "first_name": "نرگس", "last_name": "احمدی",
        "mobile": "09129998877", "next": f"/telephony/call/{call}"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/telephony/call/{call}"
    from modules.base.models import Partner

    with k.sessions() as s:
        partner = s.scalar(select(Partner.id).where(Partner.mobile == "+989129998877"))
    rows = {c.id: c.partner_id for c in calls(k)}
    assert rows[call] == rows[earlier] == partner and rows[landline] is None
    page = client.get(saved.headers["location"]).text
    assert "نرگس احمدی" in page and "ثبت تماس" in page


@pytest.mark.parametrize("engine", ENGINES)
def test_the_call_list_by_kind_and_my_calls_today(make_kernel, web_client, engine):
    k = telephony_kernel(make_kernel, engine)
    sara = create_user(k, "sara", perms=CLERK)
    reza = create_user(k, "reza", perms=CLERK)
    _extension(k, "201", sara)
    _extension(k, "202", reza)
    _ring(k, "09350000001", extension="201")
    _ring(k, "09350000002", extension="202", at=utcnow() - dt.timedelta(minutes=1), duration=0)
    client = web_client(k, "sara")
    mine = table_rows(client.get("/telephony/today/mine", follow_redirects=True).text)
    assert "۰۹۳۵ ۰۰۰ ۰۰۰۱" in mine and "۰۹۳۵ ۰۰۰ ۰۰۰۲" not in mine
    everyone = table_rows(client.get("/telephony/today", follow_redirects=True).text)
    assert "۰۹۳۵ ۰۰۰ ۰۰۰۱" in everyone and "۰۹۳۵ ۰۰۰ ۰۰۰۲" in everyone
    missed = table_rows(client.get("/telephony/call/?f_calls=missed").text)
    assert "۰۹۳۵ ۰۰۰ ۰۰۰۲" in missed and "۰۹۳۵ ۰۰۰ ۰۰۰۱" not in missed
    assert "۰۹۳۵ ۰۰۰ ۰۰۰۱" in table_rows(client.get("/telephony/call/?f_calls=incoming").text)
    assert "۰۹۳۵" not in table_rows(client.get("/telephony/call/?f_calls=outgoing").text)
    bad = client.get("/telephony/call/?f_calls=drop+table")
    assert bad.status_code in (200, 400) and bad.status_code < 500
    with k.sessions() as s:
        from modules.telephony.models import Call

        assert s.scalar(select(func.count()).select_from(Call)) == 2


def _pushes(k: Any) -> list[tuple[int, str, str]]:
    from kernel.push.models import PushMessage

    with k.sessions() as session:
        return [(m.user_id, m.kind, m.data) for m in session.scalars(select(PushMessage).order_by(PushMessage.id))]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_call_is_pushed_to_its_extensions_user_once_and_not_when_turned_off(make_kernel, web_client, engine):
    from devices.events import CallStarted
    from modules.telephony.sink import record_event

    k = telephony_kernel(make_kernel, engine, edition="tier2")  # three seats
    sara = create_user(k, "sara", perms=CLERK)
    reza = create_user(k, "reza", perms=CLERK)
    _extension(k, "201", sara)
    _extension(k, "202", reza)
    _employee(k)
    at = utcnow().replace(microsecond=0)  # one moment: two calls to utcnow() may fall either side of a second
    first = _ring(k, "09121234567", extension="201", at=at)  # an SMDR record, at the call's end
    _ring(k, "09121234567", extension="201", at=at)  # the same line again: no second call, no second push
    modem = add_device(k, "/dev/ttyACM0", driver="cid_modem")
    ringing = record_event(k, modem, CallStarted("incoming", "09121234567", utcnow(), "NMBR = 09121234567",
                                                  extension="202"))
    _ring(k, "09121234567", extension="299", at=utcnow() - dt.timedelta(minutes=9))  # nobody's extension
    assert _pushes(k) == [(sara, "telephony.call", f'{{"call_id":{first}}}'),
                          (reza, "telephony.call", f'{{"call_id":{ringing}}}')]
    # Sara turns pop-ups off on her preferences page; Reza still gets his.
    client = web_client(k, "sara")
    page = client.get("/preferences").text
    assert "نمایش پنجرهٔ تماس ورودی" in page and 'name="pref:telephony.popups" value="1" checked' in page
    saved = client.post("/preferences", data={"csrf": csrf_of(page), "lang": "fa", "money_unit": "rial"},
                        follow_redirects=False)
    assert saved.status_code == 303
    _ring(k, "09121234567", extension="201", at=utcnow() - dt.timedelta(minutes=20))
    later = _ring(k, "09121234567", extension="202", at=utcnow() - dt.timedelta(minutes=21))
    assert [p[0] for p in _pushes(k)] == [sara, reza, reza] and _pushes(k)[-1][2] == f'{{"call_id":{later}}}'
    # The pop-up's script is on every page of a user who reads calls, not of one who does not.
    assert '<script src="/static/telephony/popup.js" defer></script>' in client.get("/").text
    create_user(k, "nobody", perms=("base.partner.view",))
    assert "popup.js" not in web_client(k, "nobody").get("/").text
    assert "peyvand:push" in client.get("/static/telephony/popup.js").text


@pytest.mark.parametrize("engine", ENGINES)
def test_eight_simultaneous_clicks_log_the_call_once(make_kernel, engine):
    from concurrent.futures import ThreadPoolExecutor

    from kernel import Conflict
    from kernel.testing import actor_of
    from modules.telephony.call_log import log_call

    k = telephony_kernel(make_kernel, engine)
    sara = create_user(k, "sara", perms=CLERK)
    _extension(k, "201", sara)
    _employee(k)
    call = _ring(k, "09121234567")
    actor = actor_of(k, sara)

    def click(_: int) -> Any:
        try:
            with k.session(actor) as s:
                return int(log_call(k, s, actor, call, "").id)
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(click, range(8)))
    assert sum(isinstance(a, int) for a in answers) == 1, answers
    assert all(str(a) == "This call is already logged" for a in answers if not isinstance(a, int))
    assert len(_communications(k)) == 2  # the seed's meeting and this call
