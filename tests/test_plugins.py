"""Module discovery, dependency closure, editions and start-up errors (KER-01 … KER-03)."""

import inspect

import pytest

from kernel import hookspecs
from kernel.editions import load_editions
from kernel.manifest import Manifest
from kernel.plugins import ModuleError, ModuleInfo, resolve
from kernel.routing import Route


def info(name, depends=(), auto=False):
    return ModuleInfo(Manifest(name=name, version="1", depends=depends, auto_install=auto), name, None)


def test_depends_closure_and_deterministic_order():
    installed = {i.name: i for i in [info("base"), info("tasks", ("base",)), info("finance", ("base",)),
                                     info("sales", ("finance", "tasks"))]}
    order = [i.name for i in resolve(installed, ["sales"])]
    assert order == ["base", "finance", "tasks", "sales"]


def test_bridge_module_joins_when_all_its_dependencies_are_enabled():
    installed = {i.name: i for i in [info("base"), info("tasks", ("base",)), info("finance", ("base",)),
                                     info("finance_tasks", ("finance", "tasks"), auto=True)]}
    assert "finance_tasks" not in [i.name for i in resolve(installed, ["tasks"])]
    assert "finance_tasks" in [i.name for i in resolve(installed, ["tasks", "finance"])]


def test_missing_dependency_names_the_module():
    installed = {"sales": info("sales", ("finance",))}
    with pytest.raises(ModuleError, match="'sales' depends on module 'finance'"):
        resolve(installed, ["sales"])


def test_cycle_is_reported_with_its_path():
    installed = {i.name: i for i in [info("alpha", ("beta",)), info("beta", ("alpha",))]}
    with pytest.raises(ModuleError, match="cyclic dependency between modules: alpha → beta → alpha"):
        resolve(installed, ["alpha"])


def test_editions_have_the_seat_limits_of_the_catalogue():
    editions = load_editions()
    assert [editions[f"tier{i}"].seats for i in range(1, 6)] == [2, 4, 4, 8, 8]
    assert editions["tier1"].modules == ("base",)
    assert {"clinic", "insurance", "school", "carpet", "projects"} <= set(editions)


def test_planned_edition_modules_are_left_out_until_written(make_kernel):
    kernel = make_kernel(edition="tier5", migrate=False)
    assert kernel.module_names == ("base", "finance", "marketing", "tasks", "telephony", "inventory", "sales", "sales_stock")  # service … are not written yet


def test_every_hook_is_documented():
    specs = [f for name, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "peyvand_spec")]
    assert len(specs) >= 12
    for spec in specs:
        assert spec.__doc__ and len(spec.__doc__.strip()) > 40, f"hook {spec.__name__} has no documentation"


def test_every_route_declares_a_permission(make_kernel):
    from starlette.routing import Mount
    from starlette.routing import Route as StarletteRoute

    from kernel.web.app import build_app

    kernel = make_kernel(modules=("notes",), packages=("peyvand_notes",))
    app = build_app(kernel)
    checked = 0

    def walk(routes):
        nonlocal checked
        for r in routes:
            if isinstance(r, Mount):
                if r.path.startswith("/static"):
                    continue
                walk(r.routes)
            elif isinstance(r, StarletteRoute):
                assert isinstance(r, Route) and r.permission, f"route {r.path} declares no permission"
                checked += 1

    walk(app.routes)
    assert checked > 30


def test_a_module_route_without_permission_stops_start_up():
    with pytest.raises(ValueError, match="must declare a permission"):
        Route("/x", lambda r: None, permission="")


def test_registration_names_must_carry_the_module(make_kernel):
    from kernel import MenuItem, hookimpl

    kernel = make_kernel(migrate=False)

    class Bad:
        @hookimpl
        def register_menu_items(self):
            return [MenuItem("other.thing", "X", "/x")]

    kernel.pm.register(Bad(), name="base_bad")
    with pytest.raises(ModuleError, match="module 'base_bad'.*must start with 'base_bad.'"):
        kernel.collect("register_menu_items", MenuItem, named=lambda m: m.key)


def test_menu_icons_are_known_inline_svgs(make_kernel):
    from kernel.icons import PATHS

    kernel = make_kernel(modules=("notes",), packages=("peyvand_notes",), migrate=False)
    for item in kernel.menu:
        assert not item.icon or item.icon in PATHS, f"menu {item.key}: unknown icon {item.icon!r}"
