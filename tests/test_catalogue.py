"""The Persian catalogue is complete: every user-visible English msgid of the kernel's pages
and of the modules has a translation, with the same ``{slots}`` and Persian (not Arabic) letters."""

from __future__ import annotations

import ast
import importlib
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import inspect

from kernel.declarations import ACTIONS
from kernel.fields import Field
from kernel.i18n import Catalog
from kernel.resources import Resource
from kernel.web import admin, auth
from modules.tasks.queue import LABELS as QUEUE_LABELS

ROOT = Path(__file__).resolve().parents[1]
KERNEL = ROOT / "kernel"
MODULES = ROOT / "modules"
TEMPLATES = KERNEL / "templates" / "kernel"

# A literal followed by ``~`` is only the start of a msgid built at run time ("scope:" ~ s).
_TEMPLATE_MSGID = [
    re.compile(r"""\b(?:_|t)\(\s*"([^"]+)"(?!\s*~)"""),
    re.compile(r"""\b(?:_|t)\(\s*'([^']+)'(?!\s*~)"""),
]

# Call name → index of the positional argument that is a msgid.
_MSGID_ARG = {
    "InputError": 0, "Conflict": 0,
    "tr": 1, "t": 1, "_message": 1,
    "MenuItem": 1, "Block": 1, "Permission": 1, "SearchProvider": 1, "Report": 1, "DateSource": 1,
}
# Call name → keyword arguments that are msgids.
_MSGID_KW = {
    "MenuItem": ("label",), "Block": ("label",), "Permission": ("label",), "SearchProvider": ("label",),
    "Report": ("label",), "DateSource": ("label",), "Resource": ("label", "label_plural"), "Field": ("label", "help"),
}

# Values that reach ``_(…)`` / ``kernel.t`` through variables.
DYNAMIC = {
    *(f"scope:{s}" for s in admin.SCOPES),  # roles page
    *(f"unit:{u}" for u in auth.MONEY_UNITS),  # preferences page
    *admin.SETTINGS,  # settings page labels
    "bad password", "inactive", "throttled",  # login audit reasons (kernel/security.py)
    "create", "update", "delete", "restore", "purge",  # history actions (kernel/audit.py, records.py)
    "merge",  # history action of a partner merge (modules/base/merge.py)
    *ACTIONS,  # permission actions
    "Records",  # global search group (kernel/web/pages.py)
    "Yes", "No",  # Field.display of booleans
    "{n}",  # counts inside "Cannot delete: {what} …" (kernel/web/forms.py)
    *QUEUE_LABELS,  # the work queue's lists (modules/tasks/queue.py)
}

ARABIC_LETTERS = {"\u064a": "ي", "\u0643": "ك", "\u0649": "ى"}


def catalogue() -> Catalog:
    cat = Catalog().load_dir(KERNEL / "i18n")
    for module_dir in sorted(MODULES.glob("*/i18n")):
        cat.load_dir(module_dir)
    return cat


def catalogue_files() -> list[Path]:
    return sorted([*(KERNEL / "i18n").glob("*/*.json"), *MODULES.glob("*/i18n/*/*.json")])


def fa_messages() -> dict[str, str]:
    merged: dict[str, str] = {}
    for file in catalogue_files():
        if file.parent.name == "fa":
            merged.update(json.loads(file.read_text(encoding="utf-8")))
    return merged


# -- collecting msgids --------------------------------------------------------------------------
def template_msgids() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    files = [*TEMPLATES.rglob("*.html"), *MODULES.glob("*/templates/**/*.html")]
    for file in sorted(files):
        text = file.read_text(encoding="utf-8")
        for pattern in _TEMPLATE_MSGID:
            for msgid in pattern.findall(text):
                found.setdefault(msgid, set()).add(str(file.relative_to(ROOT)))
    return found


def strings(expr: ast.expr | None) -> set[str]:
    """The string literals an expression can evaluate to (both arms of ``a if c else b``)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return strings(expr.body) | strings(expr.orelse)
    return set()


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _choice_labels(expr: ast.expr) -> set[str]:
    """Labels of ``choices=(("value", "Label"), …)``."""
    if not isinstance(expr, ast.Tuple | ast.List):
        return set()
    out: set[str] = set()
    for item in expr.elts:
        if isinstance(item, ast.Tuple | ast.List) and len(item.elts) == 2:
            out |= strings(item.elts[1])
    return out


def python_sources() -> Iterator[Path]:
    for top in (KERNEL, MODULES):
        for file in sorted(top.rglob("*.py")):
            if "migrations" not in file.parts:
                yield file


def python_msgids() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for file in python_sources():
        where = str(file.relative_to(ROOT))
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), filename=where)):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node.func)
            msgids: set[str] = set()
            index = _MSGID_ARG.get(name)
            if index is not None and len(node.args) > index:
                msgids |= strings(node.args[index])
            for kw in node.keywords:
                if kw.arg in _MSGID_KW.get(name, ()):
                    msgids |= strings(kw.value)
                if name == "Field" and kw.arg == "choices":
                    msgids |= _choice_labels(kw.value)
            for msgid in msgids:
                if msgid:
                    found.setdefault(msgid, set()).add(f"{where}:{node.lineno}")
    return found


def model_labels() -> dict[str, set[str]]:
    """The labels resources show for model columns, generated as ``Field.bind`` does, without a Kernel."""
    found: dict[str, set[str]] = {}

    def add(msgid: str, where: str) -> None:
        if msgid:
            found.setdefault(msgid, set()).add(where)

    for models_file in sorted(MODULES.glob("*/models.py")):
        module = importlib.import_module(f"modules.{models_file.parent.name}.models")
        for cls in vars(module).values():
            if isinstance(cls, type) and cls.__module__ == module.__name__ and hasattr(cls, "__table__"):
                for attr in inspect(cls).column_attrs:
                    add(Field().bind(attr.key, attr.columns[0]).label, f"{module.__name__}.{cls.__name__}.{attr.key}")
    for hooks_file in sorted(MODULES.glob("*/hooks.py")):
        hooks = importlib.import_module(f"modules.{hooks_file.parent.name}.hooks")
        register = getattr(hooks, "register_resources", None)
        for res in register() if register else []:
            assert isinstance(res, Resource)
            add(res.label, res.name)
            add(res.label_plural, res.name)
            for attr in inspect(res.model).column_attrs:
                field = res.fields.get(attr.key, Field()).bind(attr.key, attr.columns[0])
                add(field.label, f"{res.name}.{attr.key}")
                for _, label in field.choices:
                    add(label, f"{res.name}.{attr.key}")
    return found


def _missing(found: dict[str, set[str]]) -> list[str]:
    cat = catalogue()
    return [f"{msgid!r}  ({', '.join(sorted(where))})" for msgid, where in sorted(found.items())
            if not cat.has("fa", msgid)]


# -- tests ------------------------------------------------------------------------------------------
def test_the_collectors_find_messages() -> None:
    assert {"Save", "Recycle bin", "Delete for good? This cannot be undone."} <= set(template_msgids())
    assert "scope:" not in template_msgids()
    py = python_msgids()
    assert {"Not found", "Wrong username or password", "Dashboard", "Welcome, {name}",
            "This amount must be entered in Tomans", "Manage users and roles"} <= set(py)
    assert {"Created at", "Owner", "Name en", "Province"} <= set(model_labels())


def test_every_template_message_is_translated() -> None:
    missing = _missing(template_msgids())
    assert not missing, "untranslated template messages:\n" + "\n".join(missing)


def test_every_python_message_is_translated() -> None:
    missing = _missing(python_msgids())
    assert not missing, "untranslated Python messages:\n" + "\n".join(missing)


def test_every_dynamic_message_is_translated() -> None:
    missing = _missing({msgid: {"DYNAMIC"} for msgid in DYNAMIC})
    assert not missing, "untranslated dynamic messages:\n" + "\n".join(missing)


def test_every_model_column_label_is_translated() -> None:
    missing = _missing(model_labels())
    assert not missing, "untranslated field/resource labels:\n" + "\n".join(missing)


def _slots(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_translations_keep_their_slots() -> None:
    wrong = [f"{msgid!r}: {_slots(msgid)} → {text!r}: {_slots(text)}"
             for msgid, text in sorted(fa_messages().items()) if _slots(msgid) != _slots(text)]
    assert not wrong, "slots differ:\n" + "\n".join(wrong)


def test_translations_use_persian_letters() -> None:
    wrong = [f"{msgid!r} → {text!r} has {', '.join(a for c, a in ARABIC_LETTERS.items() if c in text)}"
             for msgid, text in sorted(fa_messages().items()) if any(c in text for c in ARABIC_LETTERS)]
    assert not wrong, "Arabic letters instead of Persian ی/ک:\n" + "\n".join(wrong)


def test_translations_are_not_empty_or_english() -> None:
    wrong = [msgid for msgid, text in fa_messages().items()
             if not text.strip() or (text == msgid and re.search(r"[A-Za-z]", re.sub(r"\{\w*\}", "", msgid)))]
    assert not wrong, "empty or untranslated values: " + ", ".join(map(repr, sorted(wrong)))


def test_each_msgid_lives_in_one_file() -> None:
    seen: dict[tuple[str, str], Path] = {}
    dupes = []
    for file in catalogue_files():
        for msgid in json.loads(file.read_text(encoding="utf-8")):
            key = (file.parent.name, msgid)
            if key in seen:
                dupes.append(f"{msgid!r} in {seen[key].relative_to(ROOT)} and {file.relative_to(ROOT)}")
            seen[key] = file
    assert not dupes, "msgid in more than one catalogue file:\n" + "\n".join(dupes)


def test_keyed_messages_have_english_text_too() -> None:
    """Ids that are keys rather than English prose (``scope:own``, ``company.name``) need an
    English entry, or English users would read the key itself."""
    cat = catalogue()
    keyed = sorted(m for m in DYNAMIC if ":" in m or m.startswith("company.") or m in ("bad password", "throttled"))
    assert keyed
    missing = [m for m in keyed if not cat.has("en", m)]
    assert not missing, f"no English text for: {missing}"
