"""Permissions that cannot be stretched, and sessions and tokens that really end (issue 9,
items 4 and 5)."""

from __future__ import annotations

from starlette.testclient import TestClient

from kernel import security
from kernel.models import ApiToken, Role, User
from kernel.testing import PASSWORD, create_record, create_user, csrf
from kernel.web.app import build_app


def _user(kernel, username):
    with kernel.sessions() as s:
        from sqlalchemy import select

        return s.scalars(select(User).where(User.username == username)).one()


def _token(kernel, username):
    with kernel.session() as s:
        from sqlalchemy import select

        return security.create_token(s, s.scalars(select(User).where(User.username == username)).one(), "test")


def test_a_user_manager_cannot_reach_administrators_or_grant_more_than_they_hold(make_kernel, login_as):
    kernel = make_kernel(edition="tier2")  # four seats: admin, hr and the clerk hr creates
    create_user(kernel, "admin", admin=True)
    create_user(kernel, "hr", perms=("kernel.admin.users", "base.partner.view"))
    with kernel.session() as s:
        s.add(Role(name="everything", record_scope="all", permissions=[]))
    with kernel.session() as s:
        from sqlalchemy import select

        from kernel.models import RolePermission

        role = s.scalars(select(Role).where(Role.name == "everything")).one()
        role.permissions = [RolePermission(permission="base.partner.delete")]
        everything = role.id
    admin_hash = _user(kernel, "admin").password_hash
    admin_id = _user(kernel, "admin").id
    with TestClient(build_app(kernel), raise_server_exceptions=False) as c:
        login_as(c, "hr")
        token = csrf(c, "/admin/users")
        # Setting the administrator's password would let hr sign in as the administrator.
        r = c.post("/admin/users", data={"csrf": token, "op": "password", "id": str(admin_id), "password": "hijacked-pass"})
        assert r.status_code == 403 and "فقط مدیر سیستم می‌تواند مدیر سیستم را تغییر دهد" in r.text
        r = c.post("/admin/users", data={"csrf": token, "op": "create", "username": "boss", "password": "boss-password",
                                         "is_admin": "1"})
        assert r.status_code == 403
        # A role with a permission hr does not hold, granted or defined.
        hr_id = _user(kernel, "hr").id
        r = c.post("/admin/users", data={"csrf": token, "op": "roles", "id": str(hr_id), "role": str(everything)})
        assert r.status_code == 403 and "نمی‌توانید بیش از دسترسی خودتان" in r.text
        r = c.post("/admin/roles", data={"csrf": token, "name": "wider", "record_scope": "all",
                                         "perm": ["base.partner.view", "base.partner.delete"]})
        assert r.status_code == 403
        # What hr holds, hr may still hand out: a plain user.
        r = c.post("/admin/users", data={"csrf": token, "op": "create", "username": "clerk", "password": "clerk-password"},
                   follow_redirects=False)
        assert r.status_code == 303
    assert _user(kernel, "admin").password_hash == admin_hash
    with kernel.sessions() as s:
        from sqlalchemy import select

        assert s.scalars(select(User.username).order_by(User.username)).all() == ["admin", "clerk", "hr"]
        assert s.scalars(select(Role.name).order_by(Role.name)).all() == ["everything", "role-hr"]
        assert [r.name for r in s.get(User, hr_id).roles] == ["role-hr"]


def test_a_view_only_user_is_refused_with_403_not_500(make_kernel, login_as):
    kernel = make_kernel()
    create_user(kernel, "admin", admin=True)
    viewer = create_user(kernel, "viewer", perms=("base.partner.view",))
    admin_id = _user(kernel, "admin").id
    pid = create_record(kernel, admin_id, "base.partner", kind="company", name="شرکت آرین")
    with TestClient(build_app(kernel), raise_server_exceptions=False) as c:
        login_as(c, "viewer")
        token = csrf(c, "/base/partner/")
        bulk = c.post("/base/partner/bulk", data={"csrf": token, "op": "delete", "ids": [str(pid)]})
        upload = c.post("/attachments", data={"csrf": token, "resource": "base.partner", "record_id": str(pid)},
                        files={"file": ("a.txt", b"hello", "text/plain")})
    assert (bulk.status_code, upload.status_code) == (403, 403)
    assert "اجازه" in bulk.text  # the refusal says why, in Persian
    with kernel.sessions() as s:
        from modules.base.models import Partner

        assert s.get(Partner, pid).deleted_at is None
    assert viewer


def test_logout_ends_the_session_on_the_server(kernel, login_as):
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "admin")
        stolen = dict(c.cookies)
        assert c.get("/", follow_redirects=False).status_code == 200
        c.post("/logout", data={"csrf": csrf(c)})
    with TestClient(build_app(kernel)) as thief:
        thief.cookies.update(stolen)
        page = thief.get("/", follow_redirects=False)
        api = thief.get("/api/base/partner")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert api.status_code == 401


def test_a_password_change_ends_other_sessions_and_may_revoke_tokens(kernel, login_as):
    create_user(kernel, "sara", perms=("base.partner.view",))
    keep = _token(kernel, "sara")
    drop_later = _token(kernel, "sara")
    with TestClient(build_app(kernel)) as phone, TestClient(build_app(kernel)) as desk:
        login_as(phone, "sara")
        login_as(desk, "sara")
        r = desk.post("/password", data={"csrf": csrf(desk), "old": PASSWORD, "new": "a-new-password",
                                         "confirm": "a-new-password"})
        assert "۱ ورود دیگر با این کاربر پایان یافت" in r.text
        assert desk.get("/", follow_redirects=False).status_code == 200  # the one who changed it stays
        assert phone.get("/", follow_redirects=False).status_code == 303
        # Tokens survive unless asked: programs keep working.
        assert desk.get("/api/base/partner", headers={"authorization": f"Bearer {keep}"}).status_code == 200
        r = desk.post("/password", data={"csrf": csrf(desk), "old": "a-new-password", "new": "third-password",
                                         "confirm": "third-password", "revoke_tokens": "1"})
        assert "۲ توکن API باطل شد" in r.text
        for token in (keep, drop_later):
            assert desk.get("/api/base/partner", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_tokens_are_listed_and_revoked_from_the_command_line(tmp_path, monkeypatch, capsys):
    from kernel.cli import main

    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path / "var"))
    monkeypatch.delenv("PEYVAND_DATABASE_URL", raising=False)
    assert main(["init", "--password", "a-long-password"]) == 0
    assert main(["token", "create", "admin", "--name", "accounting"]) == 0
    capsys.readouterr()
    assert main(["token", "list", "admin"]) == 0
    listing = capsys.readouterr().out
    assert "accounting" in listing and "active" in listing
    token_id = int(listing.splitlines()[1].split()[0])
    assert main(["token", "revoke", str(token_id)]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["token", "list"]) == 0
    assert "revoked 20" in capsys.readouterr().out
    assert main(["token", "revoke", "999"]) == 2
    assert "No such token" in capsys.readouterr().err
    assert main(["token", "list", "nobody"]) == 2
    from kernel import config
    from kernel.kernel import Kernel

    k = Kernel(config.from_env())
    with k.sessions() as s:
        assert s.get(ApiToken, token_id).revoked_at is not None
    k.engine.dispose()
