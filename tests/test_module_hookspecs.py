"""A module may declare hooks of its own (``hookspecs.py``) that modules depending on it implement:
marketing's SMS panels come from pip packages so. Its hook names carry the module's name."""

from __future__ import annotations

import types
from typing import Any

import pytest

from kernel import hookspec
from kernel.errors import ModuleError
from kernel.plugins import _check_module_specs

RELAY = {"modules": ("relay", "relay_pigeon"), "packages": ("peyvand_relay", "peyvand_relay_pigeon")}


def test_a_module_s_own_hook_is_answered_by_the_modules_that_implement_it(make_kernel: Any) -> None:
    from peyvand_relay.services import channels

    assert channels(make_kernel(**RELAY)) == ["pigeon"]
    # Without the implementing package the hook exists and answers nothing.
    assert channels(make_kernel(modules=("relay",), packages=("peyvand_relay",))) == []


def test_a_module_hook_must_carry_the_module_s_name() -> None:
    specs = types.ModuleType("fake_specs")

    @hookspec
    def register_channels(kernel: Any) -> None:  # not register_relay_…
        """A name another module could declare too."""

    specs.register_channels = register_channels  # type: ignore[attr-defined]
    with pytest.raises(ModuleError, match="must be named relay_… or register_relay_…"):
        _check_module_specs("relay", specs)

    kernel_named = types.ModuleType("fake_specs")

    @hookspec
    def register_relay_resources(kernel: Any) -> None:
        """Fine by its name."""

    kernel_named.register_relay_resources = register_relay_resources  # type: ignore[attr-defined]
    _check_module_specs("relay", kernel_named)  # no error
