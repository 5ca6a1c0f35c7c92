"""The medical module's resources: one-line delegations to the files of each part."""

from __future__ import annotations

from typing import Any


def resources() -> list[Any]:
    from modules.medical.file_resources import resources as file
    from modules.medical.resources_calendar import resources as calendar

    return [*calendar(), *file()]
