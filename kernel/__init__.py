"""Peyvand's kernel: the public API that modules use, and nothing else."""

from kernel.actor import Actor
from kernel.db import Base, BigId, IdPK, Money, Record, SortKey, utcnow
from kernel.declarations import (
    Block,
    Command,
    DateSource,
    MenuItem,
    NumberSeries,
    Panel,
    Permission,
    Preference,
    RecordAction,
    Report,
    ReportPage,
    ReportParam,
    RoleTemplate,
    SearchHit,
    SearchProvider,
    Shortcut,
)
from kernel.errors import Conflict, InputError, NotFound, PermissionDenied
from kernel.events import Event, RecordChanged, RecordDeleted, RecordPurged, RecordRestored
from kernel.fields import Field
from kernel.filters import Filter
from kernel.icons import CellIcon
from kernel.manifest import Manifest
from kernel.memo import cached
from kernel.numbering import UnknownSeries, take_number
from kernel.plugins import hookimpl, hookspec
from kernel.push import push_to_user
from kernel.reminders.models import Alarm, Reminder
from kernel.reminders.services import (
    cancel_reminder,
    create_reminder,
    raise_alarm,
    reminders_for,
    update_reminder,
)
from kernel.resources import Resource, Section
from kernel.routing import AUTHENTICATED, PUBLIC, Route
from kernel.scaled import Percent

__all__ = [
    "AUTHENTICATED", "PUBLIC", "Actor", "Alarm", "Base", "BigId", "Block", "CellIcon", "Command", "Conflict", "DateSource", "Event", "Field",
    "Filter", "IdPK", "InputError", "Manifest", "MenuItem", "Money", "NotFound", "NumberSeries", "Panel", "Percent", "Permission", "Preference",
    "PermissionDenied", "Record", "RecordAction", "RecordChanged", "RecordDeleted", "RecordPurged", "RecordRestored",
    "Reminder", "Report", "ReportPage", "ReportParam", "Resource", "RoleTemplate", "Route", "Section", "SearchHit", "SearchProvider",
    "Shortcut", "SortKey", "UnknownSeries", "cached", "cancel_reminder", "create_reminder", "hookimpl", "hookspec", "push_to_user", "raise_alarm", "reminders_for", "take_number", "update_reminder",
    "utcnow",
]
