"""Backup/restore on both engines, and the command line (KER-15)."""

import pytest
from sqlalchemy import select

from kernel.backup import backup, restore


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_backup_then_restore_brings_rows_and_files_back(make_kernel, engine, tmp_path):
    from modules.base.models import Province

    k = make_kernel(engine=engine)
    with k.session() as s:
        s.add(Province(name="یزد", area_code="35"))
    k.config.files_dir.mkdir(parents=True, exist_ok=True)
    (k.config.files_dir / "x.bin").write_bytes(b"scan")
    path = backup(k, tmp_path / "b.tar.gz")
    # It holds password hashes and every customer: only its owner may read it.
    assert path.stat().st_mode & 0o777 == 0o600
    with k.session() as s:
        s.query(Province).delete()
    (k.config.files_dir / "x.bin").unlink()
    restore(k, path)
    with k.sessions() as s:
        assert s.scalars(select(Province.name)).all() == ["یزد"]
    assert (k.config.files_dir / "x.bin").read_bytes() == b"scan"


def test_backups_are_private_even_under_an_open_umask(make_kernel):
    import os

    k = make_kernel()
    old = os.umask(0o000)
    try:
        first = backup(k)
        (k.config.home / "backups" / "old.tar.gz").write_bytes(b"")
        again = backup(k, k.config.home / "backups" / "old.tar.gz")  # an existing file is made private too
    finally:
        os.umask(old)
    assert first.stat().st_mode & 0o777 == 0o600
    assert again.stat().st_mode & 0o777 == 0o600
    assert first.parent.stat().st_mode & 0o777 == 0o700


def test_cli_init_demo_is_idempotent_and_prints_the_login(tmp_path, monkeypatch, capsys):
    from kernel.cli import main

    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path / "var"))
    monkeypatch.delenv("PEYVAND_DATABASE_URL", raising=False)
    assert main(["init", "--demo", "--password", "a-long-password"]) == 0
    out = capsys.readouterr().out
    assert "username 'admin', password 'a-long-password'" in out and "31 provinces added" in out
    assert main(["init", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "exists already" in out and "0 provinces added" in out
    assert main(["token", "create", "admin"]) == 0
    assert capsys.readouterr().out.startswith("pv_")
    assert main(["user", "password", "admin", "--password", "another-long-one"]) == 0
    assert main(["user", "password", "nobody", "--password", "another-long-one"]) == 2
    assert main(["user", "password", "admin", "--password", "short"]) == 2
    assert main(["edition", "set", "tier2"]) == 0
    assert main(["edition", "set", "nope"]) == 2
    capsys.readouterr()
    assert main(["modules"]) == 0
    listing = capsys.readouterr().out
    assert "Edition: tier2" in listing and "enabled   base" in listing and "installed  acme_hello" in listing
