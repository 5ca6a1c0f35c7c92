"""Tasks sorted by title follow the Persian alphabet (issue 10): پ چ ژ ک گ in their places, not
after و; numbers by value; keyset pages that return each task once, on SQLite and PostgreSQL;
and the upgrade gives tasks saved before it their keys."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from kernel.testing import create_user

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# Persian alphabetical order; code-point order would put پیگیری, چاپ, کار, گزارش after ویزیت.
TITLES = ["ارسال پیش‌فاکتور", "پیگیری ۲", "پیگیری ۱۰", "تماس با مشتری", "چاپ کارت گارانتی", "ژتون نمایشگاه",
          "کار با سامانه", "گزارش ماهانه", "ویزیت حضوری", "یادداشت جلسه"]


def _shuffled() -> list[str]:
    out = list(TITLES)
    random.Random(7).shuffle(out)  # neither id nor insertion order can pass for alphabetical
    return out


def _walk(c: Any, url: str, limit: int) -> list[str]:
    titles, link = [], f"{url}&limit={limit}"
    while link:
        body = c.get(link).json()
        titles += [item["title"] for item in body["items"]]
        link = f"{url}&limit={limit}&after={quote(body['next'])}" if body["next"] else ""
    return titles


@pytest.mark.parametrize("engine", ENGINES)
def test_tasks_by_title_follow_the_persian_alphabet_in_keyset_pages(make_kernel: Any, api_client: Any,
                                                                   engine: str) -> None:
    kernel = make_kernel(edition="tier2", engine=engine)
    create_user(kernel, "admin", admin=True)
    c = api_client(kernel, "admin")
    for title in _shuffled():
        assert c.post("/api/tasks/task", json={"title": title}).status_code == 201
    assert _walk(c, "/api/tasks/task?sort=title", 3) == TITLES
    assert _walk(c, "/api/tasks/task?sort=-title", 4) == TITLES[::-1]
    # A renamed task moves to its new place.
    ids = {item["title"]: item["id"] for item in c.get("/api/tasks/task?limit=50").json()["items"]}
    assert c.patch(f"/api/tasks/task/{ids['یادداشت جلسه']}", json={"title": "بازدید انبار"}).status_code == 200
    assert _walk(c, "/api/tasks/task?sort=title", 5)[:2] == ["ارسال پیش‌فاکتور", "بازدید انبار"]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_upgrade_gives_existing_tasks_their_keys(make_kernel: Any, engine: str) -> None:
    from alembic import command

    from kernel import migrations
    from kernel.persian.collation import sort_key

    kernel = make_kernel(edition="tier2", engine=engine)
    cfg = migrations.alembic_config(kernel)
    with kernel.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "3f6b2d8c1a90")
    now = dt.datetime(2026, 12, 6)
    # More than one batch of the backfill (5,000).
    titles = [f"{_shuffled()[i % len(TITLES)]} {i}" for i in range(5_003)]
    with kernel.engine.begin() as conn:
        task = sa.Table("tasks_task", sa.MetaData(), autoload_with=conn)
        assert "sort_key" not in task.c
        conn.execute(sa.insert(task), [{"title": t, "priority": "normal", "progress": 0, "internal": False,
                                        "search_key": "", "created_at": now, "updated_at": now} for t in titles])
    migrations.upgrade(kernel)
    with kernel.engine.connect() as conn:
        keyed = dict(conn.execute(text("SELECT title, sort_key FROM tasks_task")).all())
    assert keyed == {t: sort_key(t) for t in titles}
    assert migrations.diff(kernel) == []
