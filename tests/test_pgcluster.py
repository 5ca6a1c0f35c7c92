"""The throwaway PostgreSQL cluster that `make test` (scripts/test.sh) starts is reachable."""

import os

import pytest
import sqlalchemy as sa

NOT_STARTED = (
    "PEYVAND_TEST_PG_URL is not set: run the suite through `make test`, which starts PostgreSQL "
    "(or: eval \"$(scripts/pgtest.sh start)\" before pytest, then scripts/pgtest.sh stop)"
)


def _pg_url() -> str:
    url = os.environ.get("PEYVAND_TEST_PG_URL")
    if not url:
        pytest.fail(NOT_STARTED, pytrace=False)
    return url


def test_postgres_cluster_answers():
    engine = sa.create_engine(_pg_url())
    try:
        with engine.connect() as conn:
            version = conn.execute(sa.text("select version()")).scalar_one()
            encoding = conn.execute(sa.text("show server_encoding")).scalar_one()
    finally:
        engine.dispose()
    assert version.startswith("PostgreSQL "), version
    assert engine.dialect.driver == "psycopg"
    assert encoding == "UTF8"


def test_postgres_keeps_persian_text():
    engine = sa.create_engine(_pg_url())
    text = "پیوند\u200cها ۱۴۰۵"  # with a ZWNJ and Persian digits
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("create temporary table t_pgcluster (s text)"))
            conn.execute(sa.text("insert into t_pgcluster values (:s)"), {"s": text})
            assert conn.execute(sa.text("select s from t_pgcluster")).scalar_one() == text
    finally:
        engine.dispose()
