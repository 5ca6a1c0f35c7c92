"""The triggers that keep ``sales_board_total`` (:mod:`modules.sales.models.board_total`), for
SQLite and PostgreSQL. A live deal (``deleted_at IS NULL``) counts +1 and its value under its key;
a change appends the old key's −1 and the new key's +1, so the rows of a key always sum to what
the deals say. An UPDATE that touches none of the key's columns (a deal's notes, its last
activity) fires nothing."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

KEY_COLUMNS = "pipeline_id, stage_id, owner_id, outcome, expected_value, deleted_at"
INSERT = "INSERT INTO sales_board_total (pipeline_id, stage_id, owner_id, outcome, n, total) "


def _row(rec: str, sign: str) -> str:
    return (f"SELECT {rec}.pipeline_id, {rec}.stage_id, COALESCE({rec}.owner_id, 0), {rec}.outcome, {sign}1, "
            f"{sign}COALESCE({rec}.expected_value, 0)")


def create_triggers(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"""
CREATE FUNCTION sales_board_total_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
    {INSERT}{_row('OLD', '-')};
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
    {INSERT}{_row('NEW', '')};
  END IF;
  RETURN NULL;
END $$"""))
        conn.execute(text(f"CREATE TRIGGER sales_board_total_keep AFTER INSERT OR DELETE OR UPDATE OF {KEY_COLUMNS} "
                          "ON sales_opportunity FOR EACH ROW EXECUTE FUNCTION sales_board_total_keep()"))
        return
    conn.execute(text("CREATE TRIGGER sales_board_total_ai AFTER INSERT ON sales_opportunity "
                      f"BEGIN {INSERT}{_row('new', '')} WHERE new.deleted_at IS NULL; END"))
    conn.execute(text("CREATE TRIGGER sales_board_total_ad AFTER DELETE ON sales_opportunity "
                      f"BEGIN {INSERT}{_row('old', '-')} WHERE old.deleted_at IS NULL; END"))
    conn.execute(text(f"CREATE TRIGGER sales_board_total_au AFTER UPDATE OF {KEY_COLUMNS} ON sales_opportunity "
                      f"BEGIN {INSERT}{_row('old', '-')} WHERE old.deleted_at IS NULL; "
                      f"{INSERT}{_row('new', '')} WHERE new.deleted_at IS NULL; END"))


def drop_triggers(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP TRIGGER IF EXISTS sales_board_total_keep ON sales_opportunity"))
        conn.execute(text("DROP FUNCTION IF EXISTS sales_board_total_keep()"))
        return
    for name in ("ai", "ad", "au"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS sales_board_total_{name}"))
