"""Modules add commands to ``peyvand`` through ``register_commands`` (KER-15): ``peyvand finance
backfill-commissions`` runs through the real entry point with the instance's kernel; a command of a
module that is installed but not enabled is one line and exit code 2; the kernel's own commands
and a mistyped word never build a kernel (``peyvand init`` must work before the database exists)."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from kernel import Command
from kernel.cli import main
from kernel.cli_modules import add_module_commands
from kernel.plugins import ModuleError


def _no_kernel(args: Any) -> Any:
    raise AssertionError("a kernel was built")


def test_a_modules_command_runs_through_peyvand(make_kernel: Any, monkeypatch: Any, capsys: Any) -> None:
    k = make_kernel(edition="tier3")
    assert [c.name for c in k.commands] == ["finance.backfill-commissions"]
    monkeypatch.setattr("kernel.cli._kernel", lambda args: k)
    capsys.readouterr()
    assert main(["finance", "backfill-commissions", "--batch", "2"]) == 0
    assert capsys.readouterr().out.strip() == "Commissions: 0 rows written for 0 invoices."
    with pytest.raises(SystemExit) as done:
        main(["finance", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "backfill-commissions" in out and "issued before commissions existed" in " ".join(out.split())
    with pytest.raises(SystemExit) as done:
        main(["finance", "backfill-commissions", "--batch", "many"])
    assert done.value.code == 2 and "invalid int value: 'many'" in capsys.readouterr().err


def test_a_disabled_modules_command_is_one_line(make_kernel: Any, monkeypatch: Any, capsys: Any) -> None:
    k = make_kernel(edition="tier1")  # finance is installed, not enabled
    assert k.commands == []
    monkeypatch.setattr("kernel.cli._kernel", lambda args: k)
    capsys.readouterr()
    assert main(["finance", "backfill-commissions"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("peyvand: module 'finance' is not enabled in this instance (edition tier1): its commands run "
                   "only where it is enabled")


def test_the_kernels_own_commands_and_typos_build_no_kernel(monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setattr("kernel.cli._kernel", _no_kernel)
    assert main(["edition", "list"]) == 0
    with pytest.raises(SystemExit) as done:
        main(["servr"])
    assert done.value.code == 2 and "invalid choice: 'servr'" in capsys.readouterr().err


def test_a_command_must_name_its_verb() -> None:
    class Fake:
        commands = [Command("acme", "Nothing to do", lambda kernel, args: 0)]
        installed = {"acme": object()}
        module_names = ("acme",)

    sub = argparse.ArgumentParser().add_subparsers()
    with pytest.raises(ModuleError, match="command 'acme' must be named 'acme.<verb>'"):
        add_module_commands(sub, Fake(), "acme")
