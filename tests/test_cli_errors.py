"""The ``peyvand`` command answers a user's mistake with one clear line and exit code 2, never a
traceback; an enabled module without its first migration is a notice, not a crash (issue 8)."""

from __future__ import annotations

import pytest

from kernel import migrations
from kernel.cli import main


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path / "var"))
    monkeypatch.delenv("PEYVAND_DATABASE_URL", raising=False)
    assert main(["init", "--password", "a-long-password"]) == 0
    return tmp_path


def _fails(capsys, argv: list[str], expected: str) -> None:
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("peyvand: ") and expected in err, err


def test_user_mistakes_are_one_line_and_exit_code_2(home, capsys, tmp_path):
    _fails(capsys, ["user", "password", "nobody", "--password", "x-long-password"], "No such user")
    _fails(capsys, ["token", "create", "nobody"], "No such user")
    _fails(capsys, ["user", "create", "bad name!", "--password", "x-long-password"], "username")
    _fails(capsys, ["user", "create", "admin", "--password", "x-long-password"], "taken")
    _fails(capsys, ["edition", "set", "platinum"], "unknown edition 'platinum'")
    _fails(capsys, ["edition", "set", "tier1", "--add", "garage"], "'garage', which is not installed")
    _fails(capsys, ["db", "revision", "--module", "garage", "-m", "x"], "module 'garage' is not enabled")
    _fails(capsys, ["restore", str(tmp_path / "missing.tar.gz")], "No backup file at")
    junk = tmp_path / "junk.tar.gz"
    junk.write_text("not a backup")
    _fails(capsys, ["restore", str(junk)], "not a Peyvand backup")
    _fails(capsys, ["backup", str(junk / "inside.tar.gz")], str(junk))


def test_an_unreachable_database_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path / "var"))
    monkeypatch.setenv("PEYVAND_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    _fails(capsys, ["db", "upgrade"], "the database cannot be used")


def test_upgrade_with_a_module_before_its_first_revision(make_kernel, monkeypatch, capsys):
    k = make_kernel(modules=("draft",), packages=("peyvand_draft",), migrate=False)
    notices = migrations.upgrade(k)
    assert len(notices) == 1
    assert "module 'draft' has models but no migration yet (tables draft_item)" in notices[0]
    assert "peyvand db revision --module draft" in notices[0]
    # The rest of the database is ready: base's tables and their search indexes exist.
    assert "base" not in migrations.unmigrated(k, k.engine.connect())
    # Through the command: the notice on one line, and success.
    monkeypatch.setattr("kernel.cli._kernel", lambda args: k)
    capsys.readouterr()
    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr()
    assert "Database upgraded." in out.out and out.err.count("\n") == 1 and "draft" in out.err


def test_an_instance_keeps_the_edition_it_was_created_with(tmp_path, monkeypatch, capsys):
    """Issue 10: a tier-2 instance started later without PEYVAND_EDITION ran as tier 1 and its
    tasks disappeared; an explicit PEYVAND_EDITION that disagrees is refused in one line."""
    monkeypatch.setenv("PEYVAND_HOME", str(tmp_path / "var"))
    monkeypatch.delenv("PEYVAND_DATABASE_URL", raising=False)
    monkeypatch.setenv("PEYVAND_EDITION", "tier2")
    assert main(["init", "--password", "a-long-password"]) == 0
    monkeypatch.delenv("PEYVAND_EDITION")
    capsys.readouterr()
    assert main(["modules"]) == 0
    out = capsys.readouterr().out
    assert "Edition: tier2" in out and "enabled   tasks" in out
    monkeypatch.setenv("PEYVAND_EDITION", "tier1")
    expected = "PEYVAND_EDITION is 'tier1' but this instance runs edition 'tier2'; change it with 'peyvand edition set tier1'"
    _fails(capsys, ["modules"], expected)
    _fails(capsys, ["serve", "--port", "1"], expected)
    assert main(["edition", "set", "tier1"]) == 0  # the way out works while the two disagree
    assert main(["modules"]) == 0
    assert "Edition: tier1" in capsys.readouterr().out
    monkeypatch.delenv("PEYVAND_EDITION")
    assert main(["modules"]) == 0 and "Edition: tier1" in capsys.readouterr().out
