"""Merging duplicate partners (BASE-12): every link moves (found from the schema), roles are
unioned, empty fields filled, the duplicate goes to the recycle bin, and history tells who did it."""

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from kernel import InputError, NotFound, PermissionDenied, security
from kernel.models import History, User
from kernel.testing import create_user, csrf
from kernel.web.app import build_app
from modules.base.duplicates import find_duplicates
from modules.base.merge import link_counts, merge_partners, partner_links

T0 = dt.datetime(2025, 3, 1, 9, 0)


def actor(kernel, username):
    with kernel.sessions() as s:
        uid = s.scalars(select(User.id).where(User.username == username)).one()
        return security.load_actor(s, uid)


def seed(kernel):
    """Two records of one person (keep, drop), a company each side employs them, and links."""
    from modules.base.models import (
        Address,
        Communication,
        Contact,
        Employment,
        Partner,
        PartnerRole,
        Province,
    )

    with kernel.session() as s:
        isf = Province(name="اصفهان", area_code="31")
        s.add(isf)
        s.flush()
        keep = Partner(kind="person", first_name="علی", last_name="کریمی", mobile="+989121234567")
        drop = Partner(kind="person", first_name="علي", last_name="كريمي", mobile="+989351112233",
                       phone="+983132221100", national_id="0012345679", job="مهندس", province_id=isf.id)
        acme = Partner(kind="company", name="آکمه", phone="+982188776655")
        acme2 = Partner(kind="company", name="آکمه (تکراری)", economic_code="411111111111")
        other = Partner(kind="person", first_name="سارا", last_name="محمدی")
        s.add_all([keep, drop, acme, acme2, other])
        s.flush()
        s.add_all([
            Communication(kind="call", subject="تماس اول", started_at=T0, partner_id=drop.id),
            Communication(kind="meeting", subject="جلسه با آکمه", started_at=T0, partner_id=acme.id,
                          contact_id=drop.id),
            Communication(kind="call", subject="تماس قدیمی", started_at=T0, partner_id=keep.id),
            Contact(partner_id=drop.id, kind="mobile", value="09197654321"),
            Address(partner_id=drop.id, purpose="home", street="اصفهان، خیابان چهارباغ"),
            Employment(person_id=drop.id, company_id=acme.id, position="مدیر فروش"),
            Employment(person_id=other.id, company_id=acme2.id, position="حسابدار"),
            PartnerRole(partner_id=keep.id, role="customer"),
            PartnerRole(partner_id=drop.id, role="customer"),
            PartnerRole(partner_id=drop.id, role="lead"),
            PartnerRole(partner_id=acme2.id, role="supplier"),
        ])
        s.flush()
        return {"keep": keep.id, "drop": drop.id, "acme": acme.id, "acme2": acme2.id, "other": other.id,
                "isf": isf.id}


@pytest.fixture
def k(make_kernel):
    kernel = make_kernel()  # tier 1: two seats
    crud = tuple(f"base.partner.{a}" for a in ("view", "create", "edit", "delete"))
    create_user(kernel, "merger", perms=(*crud, "base.partner.merge"))
    create_user(kernel, "clerk", perms=crud)  # "base.partner.*" would include merge
    return kernel


@pytest.fixture
def ids(k):
    return seed(k)


def rows(k, model, **where):
    with k.sessions() as s:
        stmt = select(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return list(s.scalars(stmt))


def history(k, table, record_id):
    with k.sessions() as s:
        return [(h.action, json.loads(h.changes), h.user_id) for h in s.scalars(
            select(History).where(History.table_name == table, History.record_id == record_id).order_by(History.id))]


def check_merged(k, ids, result, uid):
    from modules.base.models import Address, Communication, Contact, Employment, Partner, PartnerRole

    if result is not None:  # what merge_partners answered (the page does not show it)
        assert result.skipped == {"base_partner_role.partner_id": 1}
        assert sorted(result.filled) == ["job", "national_id", "phone", "province_id"]
        assert result.contacts_added == ["+989351112233"]
        assert result.moved == {"base_address.partner_id": 1, "base_communication.contact_id": 1,
                                "base_communication.partner_id": 1, "base_contact.partner_id": 1,
                                "base_employment.person_id": 1, "base_partner_role.partner_id": 1}
    comms = rows(k, Communication)
    assert sorted((c.subject, c.partner_id, c.contact_id) for c in comms) == sorted([
        ("تماس اول", ids["keep"], None), ("جلسه با آکمه", ids["acme"], ids["keep"]), ("تماس قدیمی", ids["keep"], None)])
    # A moved call carries keep's province (filled from drop's), as if it had been logged for keep.
    assert next(c for c in comms if c.subject == "تماس اول").province_id == ids["isf"]
    assert [a.partner_id for a in rows(k, Address)] == [ids["keep"]]
    assert [(e.person_id, e.company_id) for e in rows(k, Employment, position="مدیر فروش")] == [(ids["keep"], ids["acme"])]
    assert sorted(r.role for r in rows(k, PartnerRole, partner_id=ids["keep"])) == ["customer", "lead"]
    assert rows(k, PartnerRole, partner_id=ids["drop"]) == []  # nothing left to block emptying the bin
    contacts = sorted((c.kind, c.value) for c in rows(k, Contact, partner_id=ids["keep"]))
    assert contacts == [("mobile", "+989197654321"), ("mobile", "+989351112233")]
    assert rows(k, Contact, partner_id=ids["drop"]) == []
    keep = rows(k, Partner, id=ids["keep"])[0]
    drop = rows(k, Partner, id=ids["drop"])[0]
    # Empty fields filled, keep's own values (name, mobile) untouched; drop's landline filled phone.
    assert (keep.name, keep.mobile, keep.phone, keep.national_id, keep.job, keep.province_id) == (
        "علی کریمی", "+989121234567", "+983132221100", "0012345679", "مهندس", ids["isf"])
    assert "+989197654321" in keep.contact_numbers and "+989351112233" in keep.contact_numbers
    assert drop.deleted_at is not None and drop.contact_numbers == ""
    # History: each moved record says partner drop → keep, by whom; both partners have a merge entry.
    moved_call = next(c for c in comms if c.subject == "تماس اول")
    assert ("update", {"partner_id": [ids["drop"], ids["keep"]]}, uid) in [  # from the ORM, per row
        (a, {n: v for n, v in ch.items() if n == "partner_id"}, u) for a, ch, u in history(k, "base_communication", moved_call.id)]
    keep_log = history(k, "base_partner", ids["keep"])
    merge = next(ch for a, ch, u in keep_log if a == "merge" and u == uid)
    assert merge["Merged from"][1].startswith(f"#{ids['drop']} ")
    assert "base_partner_role.partner_id (1)" in merge["Moved records"][1]
    drop_log = history(k, "base_partner", ids["drop"])
    assert [a for a, _, u in drop_log if u == uid] == ["delete", "merge"]
    assert next(ch for a, ch, _ in drop_log if a == "merge")["Merged into"][1] == f"#{ids['keep']} علی کریمی"


def test_merge_moves_every_link_and_keeps_history(k, ids):
    me = actor(k, "merger")
    with k.session(me) as s:
        result = merge_partners(k, s, me, ids["keep"], ids["drop"])
    check_merged(k, ids, result, me.user_id)
    # Search and duplicate checks now find keep by the numbers that came from drop.
    with k.sessions() as s:
        assert [m.id for m in find_duplicates(k, s, me, mobile="۰۹۳۵ ۱۱۱ ۲۲۳۳")] == [ids["keep"]]
        assert [m.id for m in find_duplicates(k, s, me, national_id="0012345679")] == [ids["keep"]]


def test_companies_merge_with_their_personnel_and_roles(k, ids):
    from modules.base.models import Employment, PartnerRole

    me = actor(k, "merger")
    with k.session(me) as s:
        result = merge_partners(k, s, me, ids["acme"], ids["acme2"])
    assert result.moved["base_employment.company_id"] == 1
    assert sorted(e.person_id for e in rows(k, Employment, company_id=ids["acme"])) == [ids["drop"], ids["other"]]
    assert [r.role for r in rows(k, PartnerRole, partner_id=ids["acme"])] == ["supplier"]
    assert result.filled == ["economic_code"]


def test_the_merge_is_part_of_the_callers_transaction(k, ids):
    from modules.base.models import Communication, Partner

    me = actor(k, "merger")
    with pytest.raises(RuntimeError), k.session(me) as s:
        merge_partners(k, s, me, ids["keep"], ids["drop"])
        raise RuntimeError("something later in the same transaction failed")
    assert rows(k, Partner, id=ids["drop"])[0].deleted_at is None
    assert {c.partner_id for c in rows(k, Communication, subject="تماس اول")} == {ids["drop"]}


def test_refusals(k, ids):
    me = actor(k, "merger")
    with k.session(me) as s:
        with pytest.raises(InputError) as same:
            merge_partners(k, s, me, ids["keep"], ids["keep"])
        assert same.value.msgid == "A partner cannot be merged into itself"
        with pytest.raises(InputError) as mixed:
            merge_partners(k, s, me, ids["keep"], ids["acme"])
        assert mixed.value.msgid == "A person cannot be merged with a company"
        with pytest.raises(NotFound):
            merge_partners(k, s, me, ids["keep"], 999_999)
    with k.session() as s:
        from modules.base.models import Partner

        s.get(Partner, ids["other"]).deleted_at = T0
    with k.session(me) as s, pytest.raises(NotFound):
        merge_partners(k, s, me, ids["keep"], ids["other"])  # in the recycle bin
    clerk = actor(k, "clerk")
    with k.session(clerk) as s, pytest.raises(PermissionDenied):
        merge_partners(k, s, clerk, ids["keep"], ids["drop"])


def test_a_partner_outside_the_users_scope_cannot_be_merged(k, ids):
    with k.session() as s:
        s.scalars(select(User).where(User.username == "clerk")).one().is_active = False
    create_user(k, "own", perms=("base.partner.*", "base.partner.merge"), scope="own")
    me = actor(k, "own")
    from modules.base.models import Partner

    with k.session(me) as s:
        mine = Partner(kind="person", first_name="علی", last_name="کریمی")
        s.add(mine)
        s.flush()
        mine_id = mine.id
    with k.session(me) as s, pytest.raises(NotFound):
        merge_partners(k, s, me, mine_id, ids["drop"])


def test_links_are_found_from_the_schema(k):
    found = {link.key for link in partner_links(k)}
    assert {"base_communication.partner_id", "base_communication.contact_id", "base_contact.partner_id",
            "base_address.partner_id", "base_employment.person_id", "base_employment.company_id",
            "base_partner_role.partner_id"} <= found
    # Exactly the foreign keys to base_partner.id of enabled modules' tables, whatever they are.
    expected = {f"{t.name}.{fk.parent.name}" for t in k.metadata.sorted_tables
                if t.name.startswith(k.table_prefixes()) for fk in t.foreign_keys
                if fk.column.table.name == "base_partner"}
    assert found == expected


def test_merge_page_shows_both_and_what_moves_then_merges(k, ids, login_as):
    with TestClient(build_app(k)) as c:
        login_as(c, "merger")
        detail = c.get(f"/base/partner/{ids['keep']}").text
        assert f'href="/base/partner/merge?keep={ids["keep"]}"' in detail and "ادغام با…" in detail
        profile = c.get(f"/base/partner/{ids['keep']}/profile")
        assert profile.status_code != 200 or f'href="/base/partner/merge?keep={ids["keep"]}"' in profile.text
        page = c.get(f"/base/partner/merge?keep={ids['keep']}&drop=۰{ids['drop']}")
        assert page.status_code == 200
        html = page.text
        assert f'<a href="/base/partner/{ids["drop"]}">علي كريمي</a>' in html  # side by side
        assert "ارتباطات — طرف حساب: ۱" in html and "ارتباطات — شخص طرف گفتگو: ۱" in html
        assert "نقش طرف حساب: ۲" in html and "پرسنل و سمت‌ها — شخص: ۱" in html
        assert "به طرف حسابِ ماندنی کپی می‌شود" in html  # national ID will be filled
        bad = c.get(f"/base/partner/merge?keep={ids['keep']}&drop={ids['acme']}").text
        assert "یک شخص را نمی‌توان با یک شرکت ادغام کرد" in bad and 'name="drop" value=' not in bad.split("<section")[-1]
        token = csrf(c, "/base/partner/merge")
        same = c.post("/base/partner/merge", data={"csrf": token, "keep": ids["keep"], "drop": ids["keep"]})
        assert same.status_code == 400 and "یک طرف حساب را نمی‌توان با خودش ادغام کرد" in same.text
        resp = c.post("/base/partner/merge", data={"csrf": token, "keep": ids["keep"], "drop": ids["drop"]},
                      follow_redirects=False)
        assert resp.status_code == 303
        assert resp.headers["location"] in (f"/base/partner/{ids['keep']}/profile", f"/base/partner/{ids['keep']}")
        assert c.get(resp.headers["location"]).status_code == 200
        history_page = c.get(f"/base/partner/{ids['keep']}").text
        assert "ادغام‌شده از" in history_page and "Merger" in history_page
    check_merged(k, ids, None, actor(k, "merger").user_id)


def test_merge_needs_its_permission_on_every_path(k, ids, login_as):
    with TestClient(build_app(k)) as c:
        login_as(c, "clerk")
        assert "/base/partner/merge" not in c.get(f"/base/partner/{ids['keep']}").text
        assert c.get(f"/base/partner/merge?keep={ids['keep']}&drop={ids['drop']}").status_code == 403
        token = csrf(c, "/base/partner/new")
        resp = c.post("/base/partner/merge", data={"csrf": token, "keep": ids["keep"], "drop": ids["drop"]})
        assert resp.status_code == 403
    from modules.base.models import Partner

    assert rows(k, Partner, id=ids["drop"])[0].deleted_at is None


def test_counts_on_the_page_match_what_moves(k, ids):
    with k.sessions() as s:
        before = {link.key: n for link, n in link_counts(k, s, ids["drop"])}
    me = actor(k, "merger")
    with k.session(me) as s:
        result = merge_partners(k, s, me, ids["keep"], ids["drop"])
    assert before == {key: result.moved.get(key, 0) + result.skipped.get(key, 0) for key in before}
    with k.sessions() as s:
        assert link_counts(k, s, ids["drop"]) == []
        assert s.scalar(select(func.count()).select_from(History).where(History.action == "merge")) == 2


@pytest.mark.postgres
def test_merge_on_postgresql(make_kernel):
    k = make_kernel(engine="postgresql")
    create_user(k, "merger", perms=("base.partner.*", "base.partner.merge"))
    ids = seed(k)
    me = actor(k, "merger")
    with k.session(me) as s:
        result = merge_partners(k, s, me, ids["keep"], ids["drop"])
    check_merged(k, ids, result, me.user_id)
