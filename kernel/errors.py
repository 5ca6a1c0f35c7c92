"""Errors a user can cause. They carry a message id (English) and parameters, translated at the edge."""

from __future__ import annotations

from typing import Any


class InputError(ValueError):
    """Bad user input: shown beside the field in the user's language, and nothing is changed.

    ``msgid`` is the English text (also the catalogue key); ``params`` fill its ``{name}`` slots.
    """

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid.format(**params) if params else msgid)
        self.msgid = msgid
        self.params = params


class PermissionDenied(Exception):
    """The actor may not do this; routes answer 403, services refuse."""


class NotFound(Exception):
    """No such record, or not visible to the actor (the same answer on purpose)."""


class Conflict(Exception):
    """The action is refused because of other records (e.g. delete with dependants)."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid.format(**params) if params else msgid)
        self.msgid = msgid
        self.params = params


class ModuleError(RuntimeError):
    """A module set that cannot start: the message names the module at fault."""


class BodyTooLarge(Exception):
    """A request body passed the configured limit while it was being read (answered with 413)."""
