"""The garage's own input rules, declared on its resources (issue 8, item 4)."""

import re

from kernel import InputError

_PLATE = re.compile(r"^[0-9۰-۹]{2}[آ-ی]+[0-9۰-۹]{3}(?:[- ]?[0-9۰-۹]{2})?$")


def check_plate(value: str) -> None:
    if not _PLATE.match(value):
        raise InputError("A plate is two digits, a letter and three digits, e.g. ۱۲ب۳۴۵")


def check_visit(values, record=None, **kw):
    # A generic link is both halves or neither.
    if values.get("link_resource") and not values.get("link_id"):
        return {"link_id": InputError("Choose the linked record")}
    return None
