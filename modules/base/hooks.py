"""Hooks of the base module."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from kernel import Block, MenuItem, Resource, hookimpl
from modules.base.models import Province


@hookimpl
def register_resources() -> list[Resource]:
    return [
        Resource(
            name="base.province", model=Province, label="Province", label_plural="Provinces",
            columns=("name", "name_en", "area_code"), form=("name", "name_en", "area_code"),
            search=("name", "name_en"), default_sort="name", shared=True,
        )
    ]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("base.geo", "Geography", "", permission="base.province.view", sequence=50, icon="map"),
        MenuItem("base.province", "Provinces", "/base/province/", "base.province.view", parent="base.geo"),
    ]


def _welcome(request: Any, kernel: Any, actor: Any) -> Markup:
    name = escape(actor.display_name)
    msg = kernel.t(actor.lang, "Welcome, {name}", name=name)
    return Markup(f"<p>{escape(msg)}</p>")


@hookimpl
def register_dashboard_blocks() -> list[Block]:
    return [Block("base.welcome", "Welcome", _welcome, sequence=10)]
