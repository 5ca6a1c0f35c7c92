"""Relations between persons (BASE-16): one row read from both sides with its reverse label,
configurable kinds, the refusals a user can cause (itself, a company as spouse, a repeat), and
the personal preferences service remembers (FAQ 78, 79)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel import records
from kernel.records import FormErrors
from kernel.testing import create_user, csrf
from kernel.web.app import build_app
from modules.base.models import Preference, Relation, RelationKind
from modules.base.services.relations import relations_of
from modules.base.tests.test_base_profile import actor_of, admin_actor, make


def grab(pattern: str, text: str) -> str:
    """The first match of ``pattern`` (across lines); fails the test when there is none."""
    found = re.search(pattern, text, re.S)
    assert found is not None, pattern
    return found.group(0)



def people(kernel: Any) -> dict[str, int]:
    actor = admin_actor(kernel)
    return {
        "ali": make(kernel, actor, "base.partner", kind="person", first_name="علی", last_name="رضایی"),
        "maryam": make(kernel, actor, "base.partner", kind="person", first_name="مریم", last_name="کریمی"),
        "sara": make(kernel, actor, "base.partner", kind="person", first_name="سارا", last_name="رضایی"),
        "co": make(kernel, actor, "base.partner", kind="company", name="پارس‌تلفن"),
    }


@pytest.fixture
def admin(kernel: Any, login_as: Any) -> Any:
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        yield login_as(c, "admin")


def relate(kernel: Any, partner: int, kind: str, other: int) -> int:
    return make(kernel, admin_actor(kernel), "base.relation", partner_id=partner, kind=kind, other_id=other)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_relation_is_read_from_both_sides_with_its_reverse_label(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(engine=engine)
    create_user(kernel, "admin", admin=True)
    p = people(kernel)
    relate(kernel, p["sara"], "parent", p["ali"])  # Ali is Sara's parent
    relate(kernel, p["ali"], "spouse", p["maryam"])
    relate(kernel, p["maryam"], "referred_by", p["co"])  # a company may introduce a customer
    with kernel.sessions() as s:
        assert [(r.label, r.other_id) for r in relations_of(s, p["sara"])] == [("Parent", p["ali"])]
        ali = {(r.label, r.other_id) for r in relations_of(s, p["ali"])}
        assert ali == {("Child", p["sara"]), ("Spouse", p["maryam"])}
        # Asked by kind, from the partner's side, however the row was recorded.
        assert [r.other_id for r in relations_of(s, p["ali"], kind="child")] == [p["sara"]]
        assert [r.other_id for r in relations_of(s, p["sara"], kind="parent")] == [p["ali"]]
        assert relations_of(s, p["sara"], kind="child") == []
        assert [r.other_id for r in relations_of(s, p["maryam"], kind="spouse")] == [p["ali"]]
        assert [(r.label, r.other_id) for r in relations_of(s, p["co"])] == [("Introduced", p["maryam"])]


def test_refusals_change_nothing(kernel: Any) -> None:
    create_user(kernel, "admin", admin=True)
    p = people(kernel)
    relate(kernel, p["ali"], "spouse", p["maryam"])
    relate(kernel, p["sara"], "parent", p["ali"])
    cases = [
        ((p["ali"], "sibling", p["ali"]), "other_id", "A person cannot be related to themselves"),
        ((p["ali"], "spouse", p["co"]), "other_id", "A company cannot hold this relation; it is only between persons"),
        ((p["co"], "parent", p["ali"]), "partner_id", "A company cannot hold this relation; it is only between persons"),
        ((p["ali"], "spouse", p["maryam"]), "other_id", "This relation is already recorded"),
        ((p["maryam"], "spouse", p["ali"]), "other_id", "This relation is already recorded"),  # the same from her side
        ((p["ali"], "child", p["sara"]), "other_id", "This relation is already recorded"),  # parent seen from Ali
        ((p["ali"], "cousin", p["sara"]), "kind", "Choose one of the listed values"),
    ]
    actor = admin_actor(kernel)
    for (a, kind, b), field, msg in cases:
        with pytest.raises(FormErrors) as err, kernel.session(actor) as s:
            records.create_record(kernel, s, actor, kernel.resources["base.relation"],
                                  {"partner_id": a, "kind": kind, "other_id": b})
        assert err.value.errors[field].msgid == msg, (a, kind, b)
    with kernel.sessions() as s:
        assert len(s.scalars(select(Relation)).all()) == 2


def test_a_removed_relation_can_be_recorded_again(kernel: Any) -> None:
    create_user(kernel, "admin", admin=True)
    p = people(kernel)
    rid = relate(kernel, p["ali"], "sibling", p["sara"])
    actor = admin_actor(kernel)
    with kernel.session(actor) as s:
        records.delete_record(kernel, s, actor, kernel.resources["base.relation"], rid)
    relate(kernel, p["sara"], "sibling", p["ali"])
    with kernel.sessions() as s:
        assert [r.label for r in relations_of(s, p["ali"])] == ["Sibling"]


def test_configured_kinds_replace_the_built_in_ones(kernel: Any) -> None:
    create_user(kernel, "admin", admin=True)
    p = people(kernel)
    with kernel.session() as s:
        s.add_all([RelationKind(code="uncle", name="عمو", reverse_name="برادرزاده", persons_only=True, sequence=1),
                   RelationKind(code="nephew", name="برادرزاده", reverse_name="عمو", persons_only=True, sequence=2)])
    relate(kernel, p["sara"], "uncle", p["ali"])
    with kernel.sessions() as s:
        assert [(r.label, r.kind) for r in relations_of(s, p["ali"])] == [("برادرزاده", "nephew")]
    with pytest.raises(FormErrors):
        relate(kernel, p["ali"], "nephew", p["sara"])  # the same thing said from the other side
    with pytest.raises(FormErrors):
        relate(kernel, p["ali"], "spouse", p["maryam"])  # built-in kinds no longer apply


def test_profile_form_adds_a_relation_shown_on_both_profiles(kernel: Any, admin: Any) -> None:
    p = people(kernel)
    url = f"/base/partner/{p['ali']}/profile"
    html = admin.get(url).text
    assert 'data-panel="base.relations"' in html and '<option value="spouse">همسر</option>' in html
    token = csrf(admin, url)
    resp = admin.post(f"/base/partner/{p['ali']}/relations", data={"csrf": token, "kind": "spouse",
                                                                     "other_id": str(p["maryam"])},
                      follow_redirects=False)
    assert resp.status_code == 303
    ali = admin.get(resp.headers["location"]).text
    assert re.search(rf'همسر:</span>\s*<a href="/base/partner/{p["maryam"]}/profile">مریم کریمی</a>', ali)
    maryam = admin.get(f"/base/partner/{p['maryam']}/profile").text
    assert re.search(rf'همسر:</span>\s*<a href="/base/partner/{p["ali"]}/profile">علی رضایی</a>', maryam)
    # A company as the spouse: a Persian message, nothing saved.
    resp = admin.post(f"/base/partner/{p['ali']}/relations", data={"csrf": token, "kind": "spouse",
                                                                     "other_id": str(p["co"])})
    assert resp.status_code == 200 and "این نسبت فقط میان اشخاص است" in resp.text
    with kernel.sessions() as s:
        rel = s.scalars(select(Relation)).one()
    # Removed from the other person's profile: soft delete, gone from both.
    resp = admin.post(f"/base/partner/{p['maryam']}/relations/{rel.id}/delete", data={"csrf": token})
    assert resp.status_code == 200 and "مریم کریمی" not in grab(r'<ul class="plain relations">.*?</ul>', admin.get(url).text)
    with kernel.sessions() as s:
        assert s.get(Relation, rel.id).deleted_at is not None
    # A relation of other persons cannot be removed through this profile.
    rid = relate(kernel, p["sara"], "sibling", p["maryam"])
    assert admin.post(f"/base/partner/{p['ali']}/relations/{rid}/delete", data={"csrf": token}).status_code == 404


def test_relations_of_partners_outside_the_scope_are_not_named(kernel: Any, login_as: Any) -> None:
    create_user(kernel, "admin", admin=True)
    perms = ("base.partner.*", "base.relation.*")
    sara_id = create_user(kernel, "sara", perms=perms, scope="own")
    mine = make(kernel, actor_of(kernel, sara_id), "base.partner", kind="person", first_name="نسرین", last_name="امینی")
    theirs = make(kernel, admin_actor(kernel), "base.partner", kind="person", first_name="پنهان", last_name="مدیری")
    relate(kernel, mine, "sibling", theirs)
    with TestClient(build_app(kernel)) as c:
        html = login_as(c, "sara").get(f"/base/partner/{mine}/profile").text
        assert "نسرین امینی" in html and "پنهان مدیری" not in html


def test_preferences_are_remembered_on_the_profile(kernel: Any, admin: Any) -> None:
    p = people(kernel)
    url = f"/base/partner/{p['ali']}/profile"
    token = csrf(admin, url)
    for kind, text in (("like", "چای سبز"), ("allergy", "پنی‌سیلین")):
        admin.post(f"/base/partner/{p['ali']}/preferences", data={"csrf": token, "kind": kind, "text": text})
    panel = grab(r'data-panel="base.preferences".*?</section>', admin.get(url).text)
    assert "علاقه دارد</span> چای سبز" in panel and "حساسیت</span> پنی‌سیلین" in panel
    resp = admin.post(f"/base/partner/{p['ali']}/preferences", data={"csrf": token, "kind": "like", "text": ""})
    assert resp.status_code == 200 and "base-notice" in resp.text
    with kernel.sessions() as s:
        assert len(s.scalars(select(Preference)).all()) == 2
    # A company has no preferences panel.
    assert 'data-panel="base.preferences"' not in admin.get(f"/base/partner/{p['co']}/profile").text
