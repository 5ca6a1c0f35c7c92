"""Reminders, alarms, Jalali recurrence, date sources and the daily reminder report (KER-11,
KER-21): platform services of every edition. Modules create reminders and raise alarms through
:mod:`kernel.reminders.services` and declare dates with :class:`kernel.DateSource`; the tasks
module only adds to them (a task's "remind at", referral alarms, the work queue).

Nothing is imported here: ``kernel/__init__.py`` re-exports the service functions, and the
package's hooks are registered by the Kernel like ``kernel.kernel_hooks``.
"""
