"""Issue 10: a phone search lists a partner once, though the phone lookup and the partners'
search both find it; a refused delete names each kind of dependant once, though a table points
at the record through two columns (a call's partner and its contact person)."""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from kernel import records
from kernel.testing import create_user, csrf
from kernel.web.app import build_app


@pytest.fixture
def k(make_kernel):
    k = make_kernel()
    create_user(k, "admin", admin=True)
    return k


def test_a_phone_search_lists_the_partner_once(k, login_as):
    from modules.base.models import Partner

    with k.session() as s:
        s.add(Partner(kind="company", name="شرکت نمونه", mobile="+989121234567"))
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        for query in ("۰۹۱۲ ۱۲۳ ۴۵۶۷", "09121234567"):
            hits = c.get("/search", params={"q": query, "format": "json"}).json()
            records = [h for h in hits if not h["url"].startswith("/search?")]  # not "search everywhere"
            assert [h["label"] for h in records] == ["شرکت نمونه"], hits
            assert hits[0]["url"].endswith("/profile")  # the lookup's hit, first and kept
        for everywhere in ("0", "1"):  # also when the fragment search of the same digits runs
            page = c.get("/search", params={"q": "09121234567", "all": everywhere}).text
            assert page.count("شرکت نمونه</a>") == 1


def test_a_refused_delete_names_each_kind_of_dependant_once(k, login_as):
    from modules.base.models import Communication, Partner

    with k.session() as s:
        person = Partner(kind="person", name="سارا احمدی", first_name="سارا", last_name="احمدی")
        company = Partner(kind="company", name="شرکت نمونه")
        s.add_all([person, company])
        s.flush()
        at = dt.datetime(2026, 11, 20, 7, 0)
        s.add_all([Communication(partner_id=person.id, kind="call", subject="تماس یک", started_at=at),
                   Communication(partner_id=company.id, contact_id=person.id, kind="call", subject="تماس دو",
                                 started_at=at),
                   Communication(partner_id=person.id, contact_id=person.id, kind="call", subject="تماس سه",
                                 started_at=at)])
        pid = person.id
    res = k.resources["base.partner"]
    with k.sessions() as s:
        assert records.dependants(k, s, res, pid) == [("Communications", 3)]
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        page = c.post(f"/base/partner/{pid}/delete", data={"csrf": csrf(c, f"/base/partner/{pid}")}).text
        refusal = re.search(r'<p class="error" role="alert">([^<]*)</p>', page)
        assert refusal and refusal.group(1).count("ارتباطات") == 1 and "۳" in refusal.group(1), refusal
