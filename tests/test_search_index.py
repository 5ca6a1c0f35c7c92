"""Search by any part of a name uses a trigram index on both engines and follows every change."""

import pytest
from sqlalchemy import inspect, select, text

from kernel import migrations, records
from kernel.actor import SYSTEM


def found(kernel, words):
    res = kernel.resources["notes.note"]
    with kernel.sessions() as s:
        page = records.list_records(kernel, s, SYSTEM, res, records.ListQuery(search=words))
        return sorted(n.title for n in page.items)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_index_exists_and_follows_insert_update_delete(make_kernel, engine):
    from peyvand_notes.models import Note

    k = make_kernel(modules=("notes",), packages=("peyvand_notes",), engine=engine)
    with k.engine.connect() as conn:
        if engine == "sqlite":
            assert conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='notes_note_fts'")).first()
        else:
            assert "notes_note_search_trgm" in {i["name"] for i in inspect(conn).get_indexes("notes_note")}
    with k.session() as s:
        s.add_all([Note(title="شرکت پارس‌تلفن"), Note(title="فروشگاه نیک‌نام"), Note(title="آریا")])
    assert found(k, "پارس تلفن") == ["شرکت پارس‌تلفن"]
    assert found(k, "نیکنام") == ["فروشگاه نیک‌نام"]
    with k.session() as s:
        note = s.scalars(select(Note).where(Note.title == "آریا")).one()
        note.title = "آریا تلفن"
    assert found(k, "تلفن") == ["آریا تلفن", "شرکت پارس‌تلفن"]
    with k.session() as s:
        s.delete(s.scalars(select(Note).where(Note.title == "آریا تلفن")).one())
    assert found(k, "تلفن") == ["شرکت پارس‌تلفن"]
    assert found(k, "پا") == ["شرکت پارس‌تلفن"]  # shorter than a trigram: still found
    assert migrations.diff(k) == []  # the derived index is not a model/migration difference


def test_upgrade_repairs_a_search_index_a_table_rebuild_dropped(make_kernel):
    from peyvand_notes.models import Note

    k = make_kernel(modules=("notes",), packages=("peyvand_notes",))
    with k.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER notes_note_fts_ai"))  # what a batch migration's copy does
    migrations.upgrade(k)
    with k.session() as s:
        s.add(Note(title="پس از بازسازی"))
    assert found(k, "بازسازی") == ["پس از بازسازی"]
