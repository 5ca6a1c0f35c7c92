"""Occasions and holidays in the database (KER-19): shipped years, working days, religions,
the administrator's edits surviving a refill. SQLite and PostgreSQL."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from kernel.errors import InputError
from kernel.occasions import (
    Occasion,
    fill_year,
    is_holiday,
    next_working_day,
    occasions_between,
    occasions_on,
    working_days,
)
from kernel.occasions.editing import OccasionInput, add_occasion, edit_occasion, remove_occasion
from kernel.occasions.hooks import fill_coming_years
from kernel.occasions.workweek import set_workweek

ENGINES = ["sqlite", "postgresql"]
ASHURA_1405 = dt.date(2026, 6, 25)  # Thursday 4 Tir 1405


def one(session, year, key):
    return session.scalars(select(Occasion).where(Occasion.year == year, Occasion.key == key)).one()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_migration_ships_1404_to_1406(make_kernel, engine):
    k = make_kernel(engine=engine)
    with k.sessions() as s:
        years = set(s.scalars(select(Occasion.year).distinct()))
        assert years == {1404, 1405, 1406}
        assert one(s, 1404, "ashura").date == dt.date(2025, 7, 6)
        assert one(s, 1405, "nowruz-1").date == dt.date(2026, 3, 21)
        assert one(s, 1405, "ashura").source == "computed"


@pytest.mark.parametrize("engine", ENGINES)
def test_next_working_day_skips_fridays_and_holidays(make_kernel, engine):
    k = make_kernel(engine=engine)
    with k.sessions() as s:
        assert is_holiday(s, ASHURA_1405)
        assert is_holiday(s, dt.date(2026, 6, 26))  # a Friday
        assert not is_holiday(s, dt.date(2026, 6, 27))
        assert next_working_day(s, ASHURA_1405) == dt.date(2026, 6, 27)
        # 29 Esfand 1404 (a Friday and Eid al-Fitr), then Nowruz 1–4, the 1st also Eid's second day.
        assert next_working_day(s, dt.date(2026, 3, 20)) == dt.date(2026, 3, 25)
        assert next_working_day(s, dt.date(2026, 6, 28)) == dt.date(2026, 6, 28)
        assert next_working_day(s, dt.date(2026, 6, 28), after=True) == dt.date(2026, 6, 29)
        assert next_working_day(s, dt.datetime(2026, 6, 25, 9, 30)) == dt.date(2026, 6, 27)
        week = [dt.date(2026, 6, 24) + dt.timedelta(days=i) for i in range(5)]
        assert working_days(s, week) == [dt.date(2026, 6, 27), dt.date(2026, 6, 28)]


def test_the_weekend_is_configurable(make_kernel):
    k = make_kernel()
    with k.session() as s:
        set_workweek(s, {3, 4}, {2})  # Thursday and Friday off, Wednesday a half day
    with k.sessions() as s:
        assert is_holiday(s, dt.date(2026, 6, 18))  # a Thursday
        assert next_working_day(s, dt.date(2026, 6, 18)) == dt.date(2026, 6, 20)
    with k.session() as s, pytest.raises(InputError):
        set_workweek(s, set(range(7)), set())


def test_occasions_by_religion_and_sect(make_kernel):
    k = make_kernel()
    with k.sessions() as s:
        mawlid_shia, mawlid_sunni = one(s, 1405, "mawlid-shia").date, one(s, 1405, "mawlid-sunni").date

        def keys(day, **kw):
            return {o.key for o in occasions_on(s, day, **kw)}

        # A partner's religion field ("shia", "sunni", ...) is understood as it is.
        assert "mawlid-shia" in keys(mawlid_shia, religion="shia")
        assert "mawlid-shia" not in keys(mawlid_shia, religion="sunni")
        assert "mawlid-sunni" in keys(mawlid_sunni, religion="sunni")
        assert "mawlid-sunni" not in keys(mawlid_sunni, religion="islam", sect="shia")
        assert {"mawlid-sunni"} <= keys(mawlid_sunni)  # no filter: everything
        assert "christmas" in keys(dt.date(2026, 12, 25), religion="christian")
        assert "christmas" not in keys(dt.date(2026, 12, 25), religion="shia")
        assert "armenian-christmas" in keys(dt.date(2027, 1, 6), religion="christian")
        # National occasions concern everyone, whatever the religion.
        assert "nowruz-1" in keys(dt.date(2026, 3, 21), religion="zoroastrian")
        assert "nowruz-1" in keys(dt.date(2026, 3, 21), religion="other")
        holidays = occasions_between(s, dt.date(2026, 3, 21), dt.date(2026, 3, 25), holidays_only=True)
        assert {o.key for o in holidays} >= {"nowruz-1", "nowruz-4", "eid-al-fitr-2"}
        assert all(o.date < dt.date(2026, 3, 25) for o in holidays)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_administrators_edits_survive_a_refill(make_kernel, engine, make_user):
    k = make_kernel(engine=engine)
    with k.session() as s:
        ashura = one(s, 1405, "ashura")
        # Iran saw the moon a day later: Ashura moves to Friday.
        edit_occasion(s, ashura, OccasionInput(name=ashura.name, date="1405/04/05", holiday=True,
                                               religion="islam", sect="shia"))
        remove_occasion(s, one(s, 1405, "yalda"))
        add_occasion(s, OccasionInput(name="تعطیلی به دلیل آلودگی هوا", date="1405/09/20", holiday=True))
        # A computed row whose date is stale (the correction table changed) is moved back.
        one(s, 1405, "ghadir").date = dt.date(2026, 6, 1)
    with k.session() as s:
        added, moved = fill_year(s, 1405)
        assert (added, moved) == (0, 1)
    with k.sessions() as s:
        ashura = one(s, 1405, "ashura")
        assert (ashura.date, ashura.source) == (dt.date(2026, 6, 26), "edited")
        assert one(s, 1405, "yalda").deleted_at is not None
        assert one(s, 1405, "ghadir").date == dt.date(2026, 6, 4)
        assert is_holiday(s, dt.date(2026, 12, 11))  # 20 Azar 1405, the declared closure
        assert not is_holiday(s, ASHURA_1405)
        assert not occasions_on(s, dt.date(2026, 12, 21))  # Yalda removed
        # History is kept as for every record.
        assert s.scalar(select(func.count()).select_from(Occasion).where(Occasion.source == "added")) == 1


def test_invalid_hijri_date_changes_nothing(make_kernel):
    k = make_kernel()
    with k.sessions() as s:
        before = one(s, 1405, "ashura").date
    with pytest.raises(InputError) as info, k.session() as s:
        edit_occasion(s, one(s, 1405, "ashura"), OccasionInput(name="عاشورا", hijri="1448/01/30"))
    assert info.value.msgid == "Month {month} of {year} AH has 29 days"
    with k.sessions() as s:
        ashura = one(s, 1405, "ashura")
        assert (ashura.date, ashura.source) == (before, "computed")


def test_moving_by_the_hijri_date(make_kernel):
    k = make_kernel()
    with k.session() as s:
        ashura = one(s, 1405, "ashura")
        edit_occasion(s, ashura, OccasionInput(name=ashura.name, date="1405/04/04", hijri="1448/01/11",
                                               holiday=True, religion="islam", sect="shia"))
        assert ashura.date == dt.date(2026, 6, 26) and (ashura.calendar, ashura.month, ashura.day) == ("hijri", 1, 11)


def test_the_yearly_job_fills_this_year_and_the_next(make_kernel):
    k = make_kernel()
    with k.session() as s:
        fill_coming_years(s, dt.datetime(2028, 6, 1))  # 1407
    with k.sessions() as s:
        years = set(s.scalars(select(Occasion.year).distinct()))
        assert {1407, 1408} <= years
        assert one(s, 1407, "nowruz-1").date == dt.date(2028, 3, 20)
    with k.session() as s:
        assert fill_year(s, 1407) == (0, 0)  # idempotent


def test_the_command_fills_a_later_year_and_keeps_edits(tmp_path, monkeypatch, capsys):
    from kernel.cli import main
    from kernel.config import from_env
    from kernel.kernel import Kernel

    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path / "var"))
    monkeypatch.delenv("PEYVAND_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    assert main(["occasions", "fill", "1407"]) == 0
    assert "Occasions of 1407:" in capsys.readouterr().out
    k = Kernel(from_env())
    try:
        with k.session() as s:
            ashura = one(s, 1407, "ashura")
            edit_occasion(s, ashura, OccasionInput(name="عاشورا", date="1407/03/25", holiday=True))
        assert main(["occasions", "fill", "1407"]) == 0
        assert "0 added, 0 moved" in capsys.readouterr().out
        with k.sessions() as s:
            assert one(s, 1407, "ashura").date == dt.date(2028, 6, 14)
        assert main(["occasions", "fill", "2028"]) == 2  # a Gregorian year typed by mistake
    finally:
        k.engine.dispose()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_month_that_began_a_day_later_moves_its_occasions(make_kernel, engine):
    from kernel.occasions.corrections import corrections, set_month_start
    from kernel.persian.hijri import HijriDate, from_hijri, to_hijri

    k = make_kernel(engine=engine)
    computed_first = from_hijri(1448, 1, 1)
    with k.session() as s:
        tasua = one(s, 1405, "tasua")
        edit_occasion(s, tasua, OccasionInput(name="تاسوعا (ویرایش‌شده)", date="1405/04/03", holiday=True))
        assert set_month_start(s, 1448, 1, computed_first + dt.timedelta(days=1)) == -1
        assert fill_year(s, 1405) == (0, 1)  # Ashura moved; the edited Tasua stays
    with k.sessions() as s:
        assert one(s, 1405, "ashura").date == ASHURA_1405 + dt.timedelta(days=1)
        assert one(s, 1405, "tasua").date == dt.date(2026, 6, 24)
        table = corrections(s)
        assert to_hijri(ASHURA_1405 + dt.timedelta(days=1), table) == HijriDate(1448, 1, 10)
        assert table[(1447, 1)] == -1  # the shipped months stay
    with k.session() as s, pytest.raises(InputError) as info:
        set_month_start(s, 1448, 2, from_hijri(1448, 2, 1) + dt.timedelta(days=5))
    assert info.value.msgid == "A lunar month begins at most two days away from the computed day"
