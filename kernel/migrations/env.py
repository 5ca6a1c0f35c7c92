"""Alembic environment: the Kernel passes itself and its connection through the Config."""

from __future__ import annotations

from alembic import context

config = context.config
kernel = config.attributes["kernel"]
only = config.attributes.get("only_module")


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=kernel.metadata,
        include_object=kernel.migration_filter(only),
        render_as_batch=True,
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    with kernel.engine.connect() as conn:
        _run(conn)
        conn.commit()
else:
    _run(connection)
