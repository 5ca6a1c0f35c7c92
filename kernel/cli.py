"""The ``peyvand`` command (KER-15)."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kernel import config as cfg
from kernel.editions import EDITION_SETTING, store_edition
from kernel.errors import InputError
from kernel.plugins import ModuleError, discover


def _kernel(args: argparse.Namespace) -> object:
    from kernel.kernel import Kernel

    return Kernel(cfg.from_env())


def cmd_init(args: argparse.Namespace) -> int:
    from kernel import migrations, security
    from kernel.models import User

    kernel = _kernel(args)
    for notice in migrations.upgrade(kernel):  # type: ignore[arg-type]
        print(f"peyvand: {notice}", file=sys.stderr)
    with kernel.session() as session:  # type: ignore[attr-defined]
        admin = session.scalars(select(User).where(User.is_admin.is_(True))).first()
        if admin is None:
            password = args.password or secrets.token_urlsafe(9)
            security.create_user(kernel, session, "admin", password, full_name="مدیر سیستم", is_admin=True)  # type: ignore[arg-type]
            kernel.set_setting(session, "company.name", "شرکت نمونه پیوند")  # type: ignore[attr-defined]
            print(f"Admin login: username 'admin', password '{password}'")
        if kernel.setting(session, EDITION_SETTING) is None:  # type: ignore[attr-defined]
            # From now on the database says which edition it is, whatever the environment says.
            store_edition(session, kernel.edition.name)  # type: ignore[attr-defined]
            print(f"Edition: {kernel.edition.name} (change it with: peyvand edition set NAME)")  # type: ignore[attr-defined]
        else:
            print(f"The admin user exists already ({admin.username}); its password is unchanged "
                  f"(set a new one with: peyvand user password {admin.username}).")
    if args.demo:
        from kernel.demo import load_demo

        print(load_demo(kernel))  # type: ignore[arg-type]
    print(f"Database ready: {kernel.config.database_url}")  # type: ignore[attr-defined]
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from kernel import migrations

    for notice in migrations.upgrade(_kernel(args)):  # type: ignore[arg-type]
        print(f"peyvand: {notice}", file=sys.stderr)
    print("Database upgraded.")
    return 0


def cmd_revision(args: argparse.Namespace) -> int:
    from kernel import migrations

    migrations.revision(_kernel(args), args.module, args.message)  # type: ignore[arg-type]
    return 0


def cmd_user_create(args: argparse.Namespace) -> int:
    from kernel import security

    kernel = _kernel(args)
    password = args.password or getpass.getpass("Password: ")
    with kernel.session() as session:  # type: ignore[attr-defined]
        user = security.create_user(kernel, session, args.username, password, full_name=args.name or "",  # type: ignore[arg-type]
                                    is_admin=args.admin)
        print(f"User {user.username} created (id {user.id}).")
    return 0


def cmd_user_password(args: argparse.Namespace) -> int:
    """Set a user's password (a forgotten admin password, say); other sessions are logged out."""
    from kernel import security
    from kernel.models import User

    kernel = _kernel(args)
    password = args.password or getpass.getpass("New password: ")
    with kernel.session() as session:  # type: ignore[attr-defined]
        user = session.scalars(select(User).where(User.username == args.username.lower())).first()
        if user is None:
            raise InputError("No such user")
        user.password_hash = security.hash_password(password)
    print(f"Password of {args.username} changed.")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from kernel import security
    from kernel.models import User

    kernel = _kernel(args)
    with kernel.session() as session:  # type: ignore[attr-defined]
        user = session.scalars(select(User).where(User.username == args.username.lower())).first()
        if user is None:
            raise InputError("No such user")
        print(security.create_token(session, user, args.name or "cli"))
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    from kernel import security
    from kernel.models import User

    kernel = _kernel(args)
    with kernel.session() as session:  # type: ignore[attr-defined]
        names = {uid: name for uid, name in session.execute(select(User.id, User.username))}
        user_id = None
        if args.username:
            user_id = next((uid for uid, name in names.items() if name == args.username.lower()), None)
            if user_id is None:
                raise InputError("No such user")
        print(f"{'ID':>5}  {'USER':<16} {'NAME':<20} {'CREATED':<16} {'LAST USED':<16} STATE")
        for row in security.list_tokens(session, user_id):
            used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
            state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
            print(f"{row.id:>5}  {names.get(row.user_id, '?'):<16} {row.name[:20]:<20} "
                  f"{row.created_at:%Y-%m-%d %H:%M} {used:<16} {state}")
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from kernel import security

    kernel = _kernel(args)
    with kernel.session() as session:  # type: ignore[attr-defined]
        row = security.revoke_token(session, args.id)
    print(f"Token {row.id} ({row.name}) is revoked; the API refuses it from now on.")
    return 0


def cmd_modules(args: argparse.Namespace) -> int:
    from kernel.editions import get_edition
    from kernel.plugins import discover, resolve

    conf = cfg.from_env()
    installed = discover(conf.extra_packages)
    edition = get_edition(conf.edition)
    wanted = [*edition.modules_for(set(installed)), *conf.extra_modules]
    enabled = {i.name for i in resolve(installed, wanted)}
    print(f"Edition: {edition.name} — {edition.label} ({edition.seats} seats)")
    if note := edition.pending_note(set(installed)):
        print(f"  {note}")
    for name, info in sorted(installed.items()):
        if name in edition.modules or name in edition.planned:
            why = f"edition {edition.name}"
        elif name in conf.extra_modules:
            why = "add-on"
        elif name in enabled:
            why = "dependency or bridge"
        else:
            why = ""
        state = "enabled " if name in enabled else "installed"
        print(f"  {state}  {name:<14} {info.manifest.version:<8} {info.package:<28} {why}")
    return 0


def cmd_edition_list(args: argparse.Namespace) -> int:
    from kernel.editions import load_editions

    current = cfg.from_env(strict=False).edition
    for e in load_editions().values():
        mark = "*" if e.name == current else " "
        planned = f"; planned: {', '.join(e.planned)}" if e.planned else ""
        print(f"{mark} {e.name:<10} {e.seats:>3} seats  {', '.join(e.modules)}{planned}")
    return 0


def _users_db(conf: cfg.Config) -> Any:
    """A session factory on the instance's database, or None before ``peyvand init`` made it.

    Not a Kernel: fixing a broken edition must not need the broken edition to start."""
    from sqlalchemy import inspect

    from kernel.db import make_engine, make_sessionmaker

    engine = make_engine(conf.database_url)
    if not inspect(engine).has_table("kernel_user"):
        engine.dispose()
        return None
    return make_sessionmaker(engine)


def _fit_seats(conf: cfg.Config, args: argparse.Namespace, limit_of: Any, save: Any) -> list[str]:
    """Deactivate users as the flags say so that ``limit_of(session)`` seats suffice, then
    ``save(session)``; all or nothing."""
    from kernel import seats
    from kernel.db import transaction

    factory = _users_db(conf)
    if factory is None:
        save(None)
        return []
    try:
        with transaction(factory) as session:
            gone = seats.fit_to(session, limit_of(session), chosen=args.deactivate, newest=args.deactivate_newest)
            save(session)
    finally:
        factory.kw["bind"].dispose()
    return gone


def cmd_edition_set(args: argparse.Namespace) -> int:
    from kernel import seats
    from kernel.editions import get_edition
    from kernel.plugins import discover, resolve

    conf = cfg.from_env(strict=False)
    edition = get_edition(args.name)
    installed = discover(conf.extra_packages)
    resolve(installed, [*edition.modules_for(set(installed)), *args.add])  # fails early, naming the module

    def save(session: Any) -> None:
        if session is None:
            raise InputError("Create the database first: PEYVAND_EDITION={name} peyvand init", name=edition.name)
        store_edition(session, edition.name)
        cfg.write_instance(conf.home, tuple(args.add))

    gone = _fit_seats(conf, args, lambda s: edition.seats + seats.extra_seats(s), save)
    print(f"Edition set to {edition.name}{' + ' + ', '.join(args.add) if args.add else ''}"
          f"{'; deactivated: ' + ', '.join(gone) if gone else ''}. "
          "Run 'peyvand db upgrade' to add new modules' tables.")
    if note := edition.pending_note(set(installed)):
        print(note)
    return 0


def cmd_edition_seats(args: argparse.Namespace) -> int:
    from kernel import seats
    from kernel.editions import get_edition

    conf = cfg.from_env()
    edition = get_edition(conf.edition)
    extra = seats.parse_extra_seats(args.count)

    def save(session: Any) -> None:
        if session is None:
            raise InputError("Create the database first: peyvand init")
        from kernel.models import Setting

        session.merge(Setting(key=seats.EXTRA_SEATS, value=str(extra)))

    gone = _fit_seats(conf, args, lambda s: edition.seats + extra, save)
    print(f"Extra seats: {extra}; {edition.name} now allows {edition.seats + extra} active users"
          f"{'; deactivated: ' + ', '.join(gone) if gone else ''}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    cfg.from_env()  # a wrong PEYVAND_EDITION is one line here, not a traceback in every worker
    # Open push streams (kernel.push) end within MAX_LIFE; a stop or reload does not wait for them.
    uvicorn.run("kernel.asgi:app", host=args.host, port=args.port, workers=args.workers, proxy_headers=True,
                log_level="info", timeout_graceful_shutdown=3)
    return 0


def cmd_jobs_run(args: argparse.Namespace) -> int:
    from kernel.jobs import cli_run

    return cli_run(_kernel(args), args.once)  # type: ignore[arg-type]


def cmd_backup(args: argparse.Namespace) -> int:
    from kernel.backup import backup

    path = backup(_kernel(args), Path(args.path) if args.path else None)  # type: ignore[arg-type]
    print(f"Backup written: {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kernel.backup import restore

    if not Path(args.path).is_file():
        raise InputError("No backup file at {path}", path=args.path)
    restore(_kernel(args), Path(args.path))  # type: ignore[arg-type]
    print("Restored.")
    return 0


def cmd_occasions_fill(args: argparse.Namespace) -> int:
    """Add a Jalali year's occasions (or refill one): edited, added and removed rows are kept."""
    from kernel.occasions.fill import fill_year
    from kernel.persian.jalali import MAX_YEAR, MIN_YEAR

    if not MIN_YEAR <= args.year <= MAX_YEAR:
        raise InputError("Enter the year in the Jalali calendar, e.g. 1405")
    kernel = _kernel(args)
    with kernel.session() as session:  # type: ignore[attr-defined]
        added, moved = fill_year(session, args.year)
    print(f"Occasions of {args.year}: {added} added, {moved} moved; edited rows kept.")
    return 0


def parser() -> argparse.ArgumentParser:
    return _parser()[0]


def _parser() -> tuple[argparse.ArgumentParser, Any]:
    """The kernel's own commands, and their subparsers (where modules' commands are added)."""
    p = argparse.ArgumentParser(prog="peyvand", description="Peyvand CRM",
                                epilog="Enabled modules add their own commands: peyvand MODULE --help "
                                       "(e.g. peyvand finance --help).")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("init", help="create the database, the admin user and (--demo) demo data")
    s.add_argument("--demo", action="store_true")
    s.add_argument("--password", help="admin password (default: a random one, printed)")
    s.set_defaults(func=cmd_init)
    db = sub.add_parser("db", help="database").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="apply every enabled module's migrations").set_defaults(func=cmd_upgrade)
    r = db.add_parser("revision", help="autogenerate a migration of one module")
    r.add_argument("--module", required=True)
    r.add_argument("-m", "--message", required=True)
    r.set_defaults(func=cmd_revision)
    u = sub.add_parser("user", help="users").add_subparsers(dest="user", required=True)
    uc = u.add_parser("create")
    uc.add_argument("username")
    uc.add_argument("--name")
    uc.add_argument("--password")
    uc.add_argument("--admin", action="store_true")
    uc.set_defaults(func=cmd_user_create)
    up = u.add_parser("password", help="set a user's password")
    up.add_argument("username")
    up.add_argument("--password")
    up.set_defaults(func=cmd_user_password)
    t = sub.add_parser("token", help="API tokens").add_subparsers(dest="token", required=True)
    tc = t.add_parser("create")
    tc.add_argument("username")
    tc.add_argument("--name")
    tc.set_defaults(func=cmd_token_create)
    tl = t.add_parser("list", help="tokens of everyone, or of USER")
    tl.add_argument("username", nargs="?")
    tl.set_defaults(func=cmd_token_list)
    tr = t.add_parser("revoke", help="revoke the token with this ID (see 'token list')")
    tr.add_argument("id", type=int)
    tr.set_defaults(func=cmd_token_revoke)
    sub.add_parser("modules", help="installed and enabled modules").set_defaults(func=cmd_modules)
    e = sub.add_parser("edition", help="editions").add_subparsers(dest="edition", required=True)
    e.add_parser("list", help="the editions, their seats and modules").set_defaults(func=cmd_edition_list)
    es = e.add_parser("set", help="change the edition (and its add-on modules)")
    es.add_argument("name")
    es.add_argument("--add", action="append", default=[], metavar="MODULE")
    en = e.add_parser("seats", help="seats bought on top of the edition's")
    en.add_argument("count")
    for sp in (es, en):
        sp.add_argument("--deactivate", action="append", default=[], metavar="USER",
                        help="deactivate this user if the new limit needs it (repeatable)")
        sp.add_argument("--deactivate-newest", action="store_true",
                        help="deactivate the newest non-admin users the new limit needs")
    es.set_defaults(func=cmd_edition_set)
    en.set_defaults(func=cmd_edition_seats)
    sv = sub.add_parser("serve", help="run the web server")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--workers", type=int, default=1)
    sv.set_defaults(func=cmd_serve)
    j = sub.add_parser("jobs", help="scheduled jobs").add_subparsers(dest="jobs", required=True)
    jr = j.add_parser("run")
    jr.add_argument("--once", action="store_true")
    jr.set_defaults(func=cmd_jobs_run)
    oc = sub.add_parser("occasions", help="occasions and holidays").add_subparsers(dest="occasions", required=True)
    of = oc.add_parser("fill", help="fill a Jalali year's occasions from the shipped calendar")
    of.add_argument("year", type=int)
    of.set_defaults(func=cmd_occasions_fill)
    b = sub.add_parser("backup", help="back up the database and files")
    b.add_argument("path", nargs="?")
    b.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="restore a backup")
    rs.add_argument("path")
    rs.set_defaults(func=cmd_restore)
    return p, sub


def user_error(exc: BaseException) -> str | None:
    """The one line that explains a mistake a user can make at the command line, or None for a
    real fault (which keeps its traceback: that one is for us to fix)."""
    import tarfile
    from subprocess import CalledProcessError

    from sqlalchemy.exc import OperationalError

    from kernel.errors import Conflict, NotFound, PermissionDenied

    match exc:
        case ModuleError() | InputError() | Conflict():
            return str(exc)
        case NotFound():
            return f"no such record: {exc}"
        case PermissionDenied():
            return f"not allowed: {exc}"
        case tarfile.ReadError() | EOFError():
            return "this file is not a Peyvand backup (a .tar.gz made by 'peyvand backup')"
        case OSError(filename=str() as name):
            return f"{exc.strerror or exc}: {name}"
        case CalledProcessError():
            return f"{exc.cmd[0]} failed (exit code {exc.returncode})"
        case OperationalError():
            first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            return f"the database cannot be used ({first}); check PEYVAND_DATABASE_URL, then run 'peyvand db upgrade'"
        case ValueError():
            # Our own refusals (a backup of the other engine, a bad value in the configuration).
            return str(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        p, sub = _parser()
        first = argv[0] if argv else ""
        if first not in sub.choices and first in discover():
            # A module's command (``register_commands``): the instance's kernel knows which exist.
            # Only for an installed module's name: a mistyped command touches no database.
            from kernel.cli_modules import add_module_commands

            add_module_commands(sub, _kernel(argparse.Namespace()), first)
        args = p.parse_args(argv)
        return int(args.func(args))
    except Exception as exc:
        line = user_error(exc)
        if line is None:
            raise
        print(f"peyvand: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
