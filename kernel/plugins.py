"""Module discovery (entry points), the depends closure and a deterministic load order."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pluggy

from kernel import hookspecs
from kernel.errors import ModuleError
from kernel.manifest import Manifest

__all__ = ["ModuleError", "ModuleInfo", "discover", "hookimpl", "make_plugin_manager", "resolve"]

GROUP = "peyvand.modules"
hookimpl = pluggy.HookimplMarker("peyvand")
hookspec = hookspecs.hookspec  # for a module's own hooks (its hookspecs.py)


@dataclass(frozen=True)
class ModuleInfo:
    """An installed module: its manifest and where its package lives."""

    manifest: Manifest
    package: str
    path: Path

    @property
    def name(self) -> str:
        return self.manifest.name

    def submodule(self, name: str) -> ModuleType | None:
        """Import ``<package>.<name>`` if the module has it (hooks, models, ...)."""
        if not (self.path / f"{name}.py").exists() and not (self.path / name).is_dir():
            return None
        return importlib.import_module(f"{self.package}.{name}")


def load_info(package: str) -> ModuleInfo:
    """Read a module's manifest from its package name, without importing its hooks."""
    try:
        mod = importlib.import_module(f"{package}.manifest")
    except ImportError as exc:
        raise ModuleError(f"module package {package!r} has no manifest.py: {exc}") from exc
    manifest = getattr(mod, "MANIFEST", None)
    if not isinstance(manifest, Manifest):
        raise ModuleError(f"{package}.manifest must define MANIFEST = Manifest(...)")
    pkg = importlib.import_module(package)
    return ModuleInfo(manifest=manifest, package=package, path=Path(pkg.__file__ or "").parent)


def discover(extra_packages: tuple[str, ...] = ()) -> dict[str, ModuleInfo]:
    """Every installed module: the ``peyvand.modules`` entry points plus ``extra_packages``
    (used by tests to add a module that is not pip-installed)."""
    found: dict[str, ModuleInfo] = {}
    packages = [(ep.name, ep.value) for ep in entry_points(group=GROUP)]
    packages += [(p.rsplit(".", 1)[-1], p) for p in extra_packages]
    for ep_name, package in packages:
        info = load_info(package)
        if info.name != ep_name and package not in extra_packages:
            raise ModuleError(f"entry point {ep_name!r} points at module {info.name!r}")
        if info.name in found and found[info.name].package != package:
            raise ModuleError(
                f"module {info.name!r} is installed twice ({found[info.name].package}, {package})"
            )
        found[info.name] = info
    return found


def resolve(installed: dict[str, ModuleInfo], wanted: list[str]) -> list[ModuleInfo]:
    """Close ``wanted`` over ``depends``, add bridges, and sort by (depth, name).

    A missing or cyclic dependency raises :class:`ModuleError` naming the module.
    """
    enabled: set[str] = set()

    def add(name: str, chain: tuple[str, ...]) -> None:
        if name in chain:
            cycle = " → ".join((*chain[chain.index(name):], name))
            raise ModuleError(f"cyclic dependency between modules: {cycle}")
        if name not in installed:
            who = f"module {chain[-1]!r} depends on" if chain else "the configuration names"
            raise ModuleError(f"{who} module {name!r}, which is not installed")
        for dep in installed[name].manifest.depends:
            add(dep, (*chain, name))
        enabled.add(name)

    for name in wanted:
        add(name, ())
    # Bridges: enabled once all they depend on is; a bridge may enable another bridge.
    changed = True
    while changed:
        changed = False
        for name, info in sorted(installed.items()):
            m = info.manifest
            if m.auto_install and name not in enabled and all(d in enabled for d in m.depends):
                add(name, ())
                changed = True

    depth: dict[str, int] = {}

    def depth_of(name: str) -> int:
        if name not in depth:
            deps = installed[name].manifest.depends
            depth[name] = 1 + max((depth_of(d) for d in deps), default=-1)
        return depth[name]

    return sorted((installed[n] for n in enabled), key=lambda i: (depth_of(i.name), i.name))


def make_plugin_manager(modules: list[ModuleInfo], *extra: object) -> pluggy.PluginManager:
    """One plugin manager per Kernel: the kernel's own plugins, then each module's hooks."""
    pm = pluggy.PluginManager("peyvand")
    pm.add_hookspecs(hookspecs)
    for info in modules:
        # A module's own hooks for the modules that depend on it (marketing's SMS panels): its
        # ``hookspecs.py``, declared with ``kernel.hookspec`` and named ``<module>_…`` or
        # ``register_<module>_…``, so two modules' hooks never clash with each other or the kernel's.
        specs = info.submodule("hookspecs")
        if specs is not None:
            _check_module_specs(info.name, specs)
            pm.add_hookspecs(specs)
    for plugin in extra:
        pm.register(plugin, name=f"kernel.{getattr(plugin, '__name__', type(plugin).__name__)}")
    for info in modules:
        hooks = info.submodule("hooks")
        if hooks is not None:
            pm.register(hooks, name=info.name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise ModuleError(f"module {getattr(exc, 'plugin_name', '?')}: {exc}") from exc
    return pm


def _check_module_specs(module: str, specs: ModuleType) -> None:
    """A module's hook names carry its name (``register_marketing_sms_panels``): refuse others."""
    for name in dir(specs):
        if name.startswith("_") or not callable(getattr(specs, name)):
            continue
        if not hasattr(getattr(specs, name), "peyvand_spec"):
            continue  # not a hook specification (an import, a helper)
        if not (name.startswith(f"{module}_") or name.startswith(f"register_{module}_")):
            raise ModuleError(f"module {module!r}: its hook {name!r} must be named {module}_… or "
                              f"register_{module}_… (hookspecs.py)")
        if hasattr(hookspecs, name):
            raise ModuleError(f"module {module!r}: hook {name!r} is the kernel's")
