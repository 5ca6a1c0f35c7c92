"""One Alembic branch per module; models and migrations agree on SQLite and PostgreSQL (KER-04)."""

import pytest
from sqlalchemy import inspect, select

from kernel import migrations
from kernel.kernel import Kernel


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_models_and_migrations_agree(make_kernel, engine):
    """Every installed module (ours, the test module, the pip-installed partner example)."""
    kernel = make_kernel(edition="tier5", modules=("notes", "acme_hello"), packages=("peyvand_notes",), engine=engine)
    assert {"kernel", "base", "tasks", "finance", "notes", "acme_hello"} <= {"kernel", *kernel.module_names}
    assert migrations.diff(kernel) == []
    assert not migrations.pending(kernel)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_enabling_a_module_on_a_live_database_adds_its_tables_and_keeps_rows(make_kernel, engine, tmp_path):
    from modules.base.models import Province

    kernel = make_kernel(engine=engine, home=tmp_path / "h")
    with kernel.session() as s:
        s.add(Province(name="اصفهان", name_en="Isfahan", area_code="31"))
    assert "notes_note" not in inspect(kernel.engine).get_table_names()
    # Same database, now with the notes module enabled.
    bigger = Kernel(kernel.config.__class__(**{**kernel.config.__dict__, "extra_modules": ("notes",),
                                               "extra_packages": ("peyvand_notes",)}))
    migrations.upgrade(bigger)
    assert "notes_note" in inspect(bigger.engine).get_table_names()
    with bigger.sessions() as s:
        assert s.scalars(select(Province.name)).all() == ["اصفهان"]
    assert migrations.diff(bigger) == []
    bigger.engine.dispose()
