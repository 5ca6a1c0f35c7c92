"""The board's kept column totals (the database's triggers append every change of a deal's key):
they always equal counting the deals, whatever wrote the change — a move, a new value, another
owner, won and lost, the recycle bin and back, a purge, a bare SQL UPDATE — before and after the
fold job; and a user whose view is more than "these owners' deals" (a province-limited role) is
never answered from them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from kernel.actor import SYSTEM
from kernel.models import Role
from kernel.testing import create_user
from modules.sales.tests.sales_helpers import (
    ENGINES,
    as_user,
    deal,
    opportunity,
    partner,
    people,
    reason,
    sales_kernel,
    stages,
)


def counted(k: Any, pipeline: int, closed: bool) -> dict[tuple[int, int], tuple[int, int]]:
    """(stage, owner) → (count, total), counted from the deals themselves."""
    from modules.sales.models import Opportunity

    owner = func.coalesce(Opportunity.owner_id, 0).label("owner")
    q = (select(Opportunity.stage_id, owner, func.count(), func.coalesce(func.sum(Opportunity.expected_value), 0))
         .where(Opportunity.pipeline_id == pipeline, Opportunity.deleted_at.is_(None))
         .group_by(Opportunity.stage_id, owner))
    if not closed:
        q = q.where(Opportunity.outcome == "open")
    with k.sessions() as s:
        return {(int(a), int(b)): (int(c), int(d)) for a, b, c, d in s.execute(q)}


def kept_by_owner(k: Any, pipeline: int, closed: bool, owners: list[int]) -> dict[tuple[int, int], tuple[int, int]]:
    from modules.sales.services.board_totals import kept

    out = {}
    with k.sessions() as s:
        stage_ids = [st.id for st in stages(k).values()]
        for owner in owners:
            for sid, value in kept(s, pipeline, stage_ids, (owner,), closed).items():
                if value != (0, 0):
                    out[(sid, owner)] = value
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_kept_totals_follow_every_change_of_a_deal_and_survive_the_fold(make_kernel: Any, engine: str) -> None:
    from kernel.records import delete_record, restore_record, update_record
    from modules.sales.models import BoardTotal, Opportunity
    from modules.sales.services.board_totals import fold
    from modules.sales.services.moves import move

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    st = stages(k)
    hotel = partner(k, u["sara"])
    a = deal(k, u["sara"], "الف", hotel, 100)
    b = deal(k, u["sara"], "ب", hotel, 200)
    c = deal(k, u["reza"], "ج", partner(k, u["reza"], "مسجد"), 300)
    d = deal(k, u["maryam"], "د", hotel, 400)
    pipeline = opportunity(k, a).pipeline_id
    owners = [u["sara"], u["reza"], u["maryam"], 0]

    def same() -> None:
        for closed in (False, True):
            assert kept_by_owner(k, pipeline, closed, owners) == counted(k, pipeline, closed)

    same()
    with k.session(as_user(k, u["maryam"])) as s:
        actor = as_user(k, u["maryam"])
        move(k, s, actor, a, st["سفارش فروش"].id)
        update_record(k, s, actor, k.resources["sales.opportunity"], b, {"expected_value": 250})
        s.get(Opportunity, c).owner_id = u["sara"]  # handed over
        move(k, s, actor, d, st["بازنده"].id, lost_reason_id=reason(k))
    same()
    res = k.resources["sales.opportunity"]
    with k.session(as_user(k, u["maryam"])) as s:
        delete_record(k, s, as_user(k, u["maryam"]), res, b)
    same()
    with k.session(as_user(k, u["maryam"])) as s:
        restore_record(k, s, as_user(k, u["maryam"]), res, b)
    same()
    with k.session() as s:  # a bare UPDATE, as a migration or an import would write it
        s.execute(update(Opportunity).where(Opportunity.id == a).values(expected_value=999, owner_id=None))
        s.execute(text("DELETE FROM sales_opportunity WHERE id = :i"), {"i": c})
    same()
    with k.session() as s:
        before = s.scalar(select(func.count()).select_from(BoardTotal))
        removed = fold(s)
    with k.session() as s:
        assert fold(s) == 0  # nothing left to fold
        rows = s.scalar(select(func.count()).select_from(BoardTotal))
    assert removed > 0 and rows == before - removed
    same()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_board_reads_kept_totals_only_for_a_scope_of_owners(make_kernel: Any, engine: str) -> None:
    from modules.base.models import Province, RoleProvince
    from modules.sales.services.board import board
    from modules.sales.services.board_totals import ALL, owners_seen

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    with k.session() as s:
        isf = Province(name="اصفهان", area_code="31")
        s.add(isf)
        s.flush()
        isf_id = isf.id
    isfahan = create_user(k, "isfahan", perms=("sales.opportunity.view", "sales.pipeline.view", "sales.stage.view",
                                               "base.partner.view"), scope="all")
    with k.session() as s:
        role = s.scalars(select(Role).where(Role.name == "role-isfahan")).one()
        s.add(RoleProvince(role_id=role.id, province_id=isf_id))
    there = partner(k, u["maryam"], "فرش کاشان")
    with k.session() as s:
        from modules.base.models import Partner

        s.get(Partner, there).province_id = isf_id
    isf_deal = deal(k, u["maryam"], "اصفهان", there, 700)
    with k.session() as s:  # Sara's deal with the manager's customer in Isfahan
        from modules.sales.models import Opportunity

        s.get(Opportunity, isf_deal).owner_id = u["sara"]
    deal(k, u["reza"], "بی‌جا", partner(k, u["reza"], "مسجد"), 50)
    a = deal(k, u["sara"], "سارا", partner(k, u["sara"], "هتل"), 5)
    pipeline = opportunity(k, a).pipeline_id
    actors = {"sara": as_user(k, u["sara"]), "maryam": as_user(k, u["maryam"]), "isfahan": as_user(k, isfahan),
              "boss": SYSTEM}  # an administrator
    with k.sessions() as s:
        seen = {name: owners_seen(k, s, actor) for name, actor in actors.items()}
        first = {name: board(k, s, actor, pipeline).columns[0] for name, actor in actors.items()}
        seller = board(k, s, as_user(k, u["maryam"]), pipeline, owner_id=u["reza"]).columns[0]
    assert seen["sara"] == (u["sara"],) and seen["boss"] == ALL
    assert set(seen["maryam"] or ()) == {u["sara"], u["reza"], u["maryam"]}
    assert seen["isfahan"] is None  # limited to a province: its totals are counted from its deals
    assert (first["sara"].count, first["sara"].total) == (2, 705)
    assert (first["maryam"].count, first["maryam"].total) == (3, 755)
    assert (first["boss"].count, first["boss"].total) == (3, 755)
    assert (first["isfahan"].count, first["isfahan"].total) == (1, 700)
    assert (seller.count, seller.total) == (1, 50)
