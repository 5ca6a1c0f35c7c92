"""The plugin reference is complete (issue 8, item 9): every hook, template slot, dashboard block,
event, public name of ``kernel`` and pytest fixture/helper of ``kernel.testing`` has its entry in
the "Reference" section of docs/plugins.md. Modelled on Datasette's documented-hooks test.

An entry is the name in backticks inside the right subsection; the failure says what is missing
and where to add it, so whoever adds a hook, slot or event documents it in the same change.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import kernel

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "plugins.md"
SECTION = "## 7. Reference"
SOURCES = [p for d in ("kernel", "modules") for p in sorted((ROOT / d).rglob("*.py"))
           if "tests" not in p.relative_to(ROOT).parts and "migrations" not in p.relative_to(ROOT).parts]


def _reference() -> str:
    text = DOC.read_text(encoding="utf-8")
    assert SECTION in text, f"docs/plugins.md has no '{SECTION}' section"
    body = text.split(SECTION, 1)[1]
    return re.split(r"\n## ", body, maxsplit=1)[0]


def _subsection(title: str) -> set[str]:
    """The backticked names of one '### <title>' subsection of the reference."""
    parts = re.split(r"\n### ", _reference())
    found = [p for p in parts if p.startswith(title)]
    assert found, f"docs/plugins.md '{SECTION}' has no '### {title}' subsection"
    return set(re.findall(r"`([^`\s]+)`", found[0]))


def _missing(kind: str, title: str, wanted: dict[str, str]) -> None:
    have = _subsection(title)
    missing = {name: where for name, where in wanted.items() if name not in have}
    assert not missing, (
        f"{len(missing)} {kind} without an entry in docs/plugins.md, section '{SECTION}', "
        f"subsection '### {title}' (add a line with the name in backticks, and its twin in "
        f"docs/plugins.fa.md): " + "; ".join(f"`{n}` (from {w})" for n, w in sorted(missing.items()))
    )


def _decorated(path: Path, decorator: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and any(decorator in ast.unparse(d) for d in node.decorator_list)]


def test_every_hook_is_documented():
    hooks = _decorated(ROOT / "kernel" / "hookspecs.py", "hookspec")
    assert "register_resources" in hooks and "register_events" in hooks
    _missing("hooks", "Hooks", dict.fromkeys(hooks, "kernel/hookspecs.py"))


def _slots() -> dict[str, str]:
    found: dict[str, str] = {}
    pattern = re.compile(r"""\bslot\(\s*(?:slot\s*=\s*)?["']([^"']+)["']""")
    for path in [*ROOT.glob("kernel/templates/**/*.html"), *ROOT.glob("modules/*/templates/**/*.html"), *SOURCES]:
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, str(path.relative_to(ROOT)))
    # Every record page calls slot(res.name ~ ".detail"): one entry for all resources.
    found["<resource>.detail"] = "kernel/templates/kernel/resource/detail.html"
    return found


def test_every_template_slot_is_documented():
    slots = _slots()
    assert {"kernel.head", "kernel.body_end", "base.partner.profile"} <= set(slots)
    _missing("template slots", "Template slots", slots)


def test_every_dashboard_block_is_documented():
    pattern = re.compile(r"""\bBlock\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""")
    blocks = {name: str(p.relative_to(ROOT)) for p in SOURCES for name in pattern.findall(p.read_text(encoding="utf-8"))}
    assert "base.welcome" in blocks
    _missing("dashboard blocks", "Dashboard blocks", blocks)


def _event_classes() -> dict[str, str]:
    """Every class deriving from an event class in kernel/ and modules/, as ``<module>.<Class>``."""
    found: dict[str, str] = {}
    event_names = {"Event"}
    for _ in range(3):  # subclasses of subclasses
        for path in SOURCES:
            rel = path.relative_to(ROOT)
            owner = "kernel" if rel.parts[0] == "kernel" else rel.parts[1]
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(ast.unparse(b).split(".")[-1] in event_names
                                                          for b in node.bases):
                    event_names.add(node.name)
                    found.setdefault(f"{owner}.{node.name}", str(rel))
    return found


def test_every_event_is_documented():
    events = _event_classes()
    assert {"kernel.RecordChanged", "kernel.RecordDeleted", "base.PartnersMerged"} <= set(events)
    _missing("events", "Events", events)


def test_every_event_is_in_the_registry(make_kernel):
    """An event class must be listed by its module's ``register_events`` (the kernel's own in
    kernel.events.KERNEL_EVENTS), so ``kernel.event_types`` names every one."""
    from kernel.plugins import discover

    ours = tuple(n for n, i in discover().items() if i.package.startswith("modules."))
    k = make_kernel(modules=ours, migrate=False)
    unlisted = sorted(set(_event_classes()) - set(k.event_types))
    assert not unlisted, ("events not returned by their module's register_events hook "
                          "(kernel events: add them to kernel.events.KERNEL_EVENTS): " + ", ".join(unlisted))


def test_every_public_name_of_kernel_is_documented():
    _missing("public names of kernel/__init__.py", "Public API", dict.fromkeys(kernel.__all__, "kernel/__init__.py"))


def test_every_fixture_and_helper_of_kernel_testing_is_documented():
    path = ROOT / "kernel" / "testing.py"
    fixtures = _decorated(path, "pytest.fixture")
    assert {"make_kernel", "kernel", "client", "api_client"} <= set(fixtures)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    helpers = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
               and n.name not in fixtures]
    _missing("pytest fixtures and helpers", "Pytest fixtures and helpers",
             dict.fromkeys([*fixtures, *helpers], "kernel/testing.py"))


@pytest.mark.parametrize("title", ["Hooks", "Template slots", "Dashboard blocks", "Events", "Public API",
                                   "Pytest fixtures and helpers"])
def test_the_persian_twin_has_the_same_reference(title):
    """docs/plugins.fa.md lists the same names (its headings are Persian; the names are code)."""
    fa = (ROOT / "docs" / "plugins.fa.md").read_text(encoding="utf-8")
    missing = sorted(name for name in _subsection(title) if f"`{name}`" not in fa)
    assert not missing, f"docs/plugins.fa.md lacks these names of '### {title}': {', '.join(missing)}"
