"""KER-03 editions and seats: shipped modules versus planned ones, a missing module refused at
start, extra seats counted in the limit, and an edition or seat change below the active users
refused with their names — or done by deactivating whom the administrator chose — from the
command line (one line, no traceback) and the administration page (Persian message)."""

import logging

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel import cli, seats, security
from kernel.editions import load_editions, store_edition, stored_edition
from kernel.errors import InputError
from kernel.models import Setting, User
from kernel.plugins import ModuleError, discover
from kernel.testing import PASSWORD, create_user, csrf
from kernel.web.app import build_app


def test_editions_list_only_shipped_modules_and_say_what_is_planned():
    installed = set(discover())
    for e in load_editions().values():
        assert set(e.modules) <= installed, e.name
        assert not set(e.modules) & set(e.planned), e.name
    tier3 = load_editions()["tier3"]
    assert tier3.modules == ("base", "finance") and tier3.planned == ()


def test_an_edition_with_planned_modules_runs_with_what_ships_and_says_so_in_one_line(make_kernel, caplog):
    with caplog.at_level(logging.WARNING, logger="peyvand"):
        k = make_kernel(edition="tier5", migrate=False)
    assert k.module_names == ("base", "finance", "marketing", "tasks", "telephony", "inventory", "sales", "sales_stock")
    lines = [r.getMessage() for r in caplog.records if r.name == "peyvand"]
    assert len(lines) == 1 and "service" in lines[0] and "\n" not in lines[0]


def test_an_edition_naming_a_module_that_is_not_installed_is_refused_at_start(make_kernel, tmp_path, monkeypatch):
    from kernel import editions

    broken = tmp_path / "editions.toml"
    broken.write_text('[odd]\nlabel = "Odd"\nlabel_fa = "عجیب"\nseats = 2\nmodules = ["base", "nosuchmodule"]\n',
                      encoding="utf-8")
    monkeypatch.setattr(editions, "EDITIONS_FILE", broken)
    with pytest.raises(ModuleError, match="needs module\\(s\\) nosuchmodule, which are not installed"):
        make_kernel(edition="odd", migrate=False)


def test_extra_seats_are_counted_in_the_limit(make_kernel):
    k = make_kernel(edition="tier1")  # 2 seats
    create_user(k, "admin", admin=True)
    create_user(k, "one")
    with k.session() as s, pytest.raises(InputError):
        security.create_user(k, s, "two", PASSWORD)
    with k.session() as s:
        s.add(Setting(key=seats.EXTRA_SEATS, value="1"))
    create_user(k, "two")
    with k.sessions() as s:
        assert seats.seat_limit(k, s) == 3


# -- the command line ------------------------------------------------------------------------
@pytest.fixture
def four_users(make_kernel, monkeypatch):
    """A tier-2 instance (4 seats) with four active users, and the CLI pointed at it."""
    k = make_kernel(edition="tier2", modules=())
    create_user(k, "admin", admin=True)
    for name in ("ali", "sara", "reza"):
        create_user(k, name)
    monkeypatch.setenv("PEYVAND_HOME", str(k.config.home))
    monkeypatch.setenv("PEYVAND_DATABASE_URL", k.config.database_url)
    monkeypatch.setenv("PEYVAND_SECRET_KEY", "test")
    with k.session() as s:
        store_edition(s, "tier2")  # as 'peyvand init' does
    return k


def active_names(k):
    with k.sessions() as s:
        return sorted(s.scalars(select(User.username).where(User.is_active.is_(True))))


def stored(k):
    return stored_edition(k.config.database_url)


def test_cli_refuses_a_smaller_edition_naming_the_active_users(four_users, capsys):
    assert cli.main(["edition", "set", "tier1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "2 active users but 4 are active" in err and "Sara" in err
    assert stored(four_users) == "tier2"
    assert active_names(four_users) == ["admin", "ali", "reza", "sara"]


def test_cli_deactivates_the_newest_or_the_named_users(four_users, capsys):
    assert cli.main(["edition", "set", "tier1", "--deactivate", "nobody"]) == 2
    assert "no active user nobody" in capsys.readouterr().err
    assert cli.main(["edition", "set", "tier1", "--deactivate", "ali"]) == 2  # one is not enough
    assert "Deactivate 1 more users" in capsys.readouterr().err
    assert active_names(four_users) == ["admin", "ali", "reza", "sara"]
    assert cli.main(["edition", "set", "tier1", "--deactivate-newest"]) == 0
    assert "deactivated: reza, sara" in capsys.readouterr().out
    assert active_names(four_users) == ["admin", "ali"]
    assert stored(four_users) == "tier1"


def test_cli_extra_seats_are_stored_and_a_cut_is_checked(four_users, capsys):
    assert cli.main(["edition", "seats", "lots"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert cli.main(["edition", "seats", "3"]) == 0
    assert "allows 7 active users" in capsys.readouterr().out
    with four_users.sessions() as s:
        assert seats.extra_seats(s) == 3
    assert cli.main(["edition", "set", "tier1"]) == 0  # 2 + 3 seats hold the 4 users
    capsys.readouterr()
    assert cli.main(["edition", "seats", "0", "--deactivate", "ali", "--deactivate", "reza"]) == 0
    assert active_names(four_users) == ["admin", "sara"]


def test_cli_lists_editions_with_planned_modules_and_refuses_an_unknown_one(four_users, capsys):
    assert cli.main(["edition", "list"]) == 0
    out = capsys.readouterr().out
    assert "* tier2" in out and "planned: service" in out
    assert cli.main(["edition", "set", "tier9"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unknown edition 'tier9'" in err


# -- the administration page ------------------------------------------------------------------
def test_admin_page_refuses_in_persian_then_deactivates_the_ticked_users(four_users, login_as):
    k = four_users
    with k.sessions() as s:
        ids = {u.username: u.id for u in s.scalars(select(User))}
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        page = c.get("/admin/edition").text
        assert "نسخه و تعداد کاربران" in page and "data-seat-limit>۴<" in page
        assert "به‌زودی" in page and "service, survey" in page  # tier4's planned modules, in the table
        bad = c.post("/admin/edition", data={"csrf": csrf(c, "/admin/edition"), "op": "edition", "edition": "tier1"})
        assert bad.status_code == 400 and "انتخاب کنید کدام‌ها غیرفعال شوند" in bad.text and "Reza" in bad.text
        assert stored(k) == "tier2" and len(active_names(k)) == 4
        self_off = c.post("/admin/edition", data={"csrf": csrf(c, "/admin/edition"), "op": "edition",
                                                  "edition": "tier1", "deactivate": [str(ids["admin"]), str(ids["ali"])]})
        assert self_off.status_code == 400 and len(active_names(k)) == 4
        ok = c.post("/admin/edition", data={"csrf": csrf(c, "/admin/edition"), "op": "edition", "edition": "tier1",
                                            "deactivate": [str(ids["ali"]), str(ids["sara"])]},
                    follow_redirects=False)
        assert ok.status_code == 303
        assert stored(k) == "tier1" and active_names(k) == ["admin", "reza"]


def test_admin_page_extra_seats(four_users, login_as):
    k = four_users
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        bad = c.post("/admin/edition", data={"csrf": csrf(c, "/admin/edition"), "op": "seats", "extra_seats": "-1"})
        assert bad.status_code == 400 and "عددی صحیح" in bad.text
        ok = c.post("/admin/edition", data={"csrf": csrf(c, "/admin/edition"), "op": "seats", "extra_seats": "۲"},
                    follow_redirects=False)
        assert ok.status_code == 303
        assert "data-seat-limit>۶<" in c.get("/admin/edition").text
        assert "۴ / ۶" in c.get("/admin/users").text
        cut = c.post("/admin/edition", data={"csrf": csrf(c, "/admin/edition"), "op": "seats", "extra_seats": "0",
                                             "newest": "1"}, follow_redirects=False)
        assert cut.status_code == 303 and active_names(k) == ["admin", "ali", "reza", "sara"]  # 4 fit 4 seats


def test_cli_modules_says_what_the_edition_still_waits_for(four_users, capsys):
    with four_users.session() as s:
        store_edition(s, "tier4")
    assert cli.main(["modules"]) == 0
    out = capsys.readouterr().out
    assert "edition tier4: service, survey not shipped yet; running with base, tasks, finance, marketing" in out
    assert "enabled   base" in out


def test_a_user_manager_who_is_not_an_administrator_cannot_change_the_edition(four_users, login_as):
    k = four_users
    with k.session() as s:
        s.add(Setting(key=seats.EXTRA_SEATS, value="1"))
    create_user(k, "manager", perms=("kernel.admin.users",))  # the fifth seat: tier2 + 1 extra
    with TestClient(build_app(k)) as c:
        login_as(c, "manager")
        assert c.get("/admin/edition").status_code == 200
        resp = c.post("/admin/edition", data={"csrf": csrf(c, "/admin/edition"), "op": "seats", "extra_seats": "9"})
        assert resp.status_code == 403 and "فقط مدیر سیستم" in resp.text
    with k.sessions() as s:
        assert seats.extra_seats(s) == 1

