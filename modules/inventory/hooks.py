"""Hooks of the inventory module: resources, pages, menu, permissions, number series, reports and
its reactions to finance's invoices."""

from __future__ import annotations

from kernel import NumberSeries, hookimpl


@hookimpl
def register_number_series() -> list[NumberSeries]:
    from modules.inventory.numbers import SERIES

    return list(SERIES)
