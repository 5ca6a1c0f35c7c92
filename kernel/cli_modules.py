"""Commands that modules add to ``peyvand`` (``register_commands``): ``peyvand <module> <verb>``.

The kernel's own commands start without a Kernel (``peyvand init`` makes the database, ``peyvand
edition set`` mends an edition that no longer starts), so a module's commands are looked for only
when the first word is not one of them: the instance's Kernel is built then, and only its enabled
modules have registered commands.
"""

from __future__ import annotations

from typing import Any

from kernel.declarations import Command
from kernel.plugins import ModuleError


def _verb(command: Command) -> str:
    module, _, verb = command.name.partition(".")
    if not verb or any(c.isspace() for c in verb):
        raise ModuleError(f"module {module!r}: command {command.name!r} must be named '{module}.<verb>'")
    return verb


def _runner(kernel: Any, command: Command) -> Any:
    return lambda args: command.run(kernel, args)


def add_module_commands(sub: Any, kernel: Any, module: str) -> None:
    """Add ``peyvand <module> …`` to the subparsers ``sub``, from ``kernel.commands``. A module that
    is installed but not enabled is a one-line error; any other unknown word is left to argparse
    (which lists the commands there are)."""
    commands = [c for c in kernel.commands if c.name.partition(".")[0] == module]
    if not commands:
        if module in kernel.installed and module not in kernel.module_names:
            raise ModuleError(f"module {module!r} is not enabled in this instance (edition {kernel.edition.name}): "
                              f"its commands run only where it is enabled")
        return
    group = sub.add_parser(module, help=f"commands of the {module} module")
    verbs = group.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    for command in commands:
        p = verbs.add_parser(_verb(command), help=command.help, description=command.help)
        if command.configure is not None:
            command.configure(p)
        p.set_defaults(func=_runner(kernel, command))
