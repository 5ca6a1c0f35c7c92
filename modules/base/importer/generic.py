"""An import target for a plain resource (INT-04): every form field is a column it can fill,
headers are matched to the fields' labels in Persian and English (and synonyms the module
gives), choices and references are matched by their names, and each line is written through
``kernel.records`` — permissions, the module's rules, history and events, as a form would.

Duplicates are recognised by one key field (a product's code) among the live records the
importing user may see, and skipped, updated or created anyway as the mapping says. Each line
is written in its own savepoint, so a refused line is reported with its reason and the others
go in. Meant for catalogues and reference data (thousands of lines), not for millions of
partners: base's partner writer is the fast path for those.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as MappingT
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, Resource
from kernel.records import FormErrors, create_record, parse_values, update_record
from modules.base.importer.mapping import Mapping, header_key, value_key
from modules.base.importer.rows import ParsedRow
from modules.base.importer.targets import ImportTarget
from modules.base.importer.write import Result
from modules.base.models.imports import MODES

if TYPE_CHECKING:
    from kernel.kernel import Kernel

_BOOL_WORDS = {"true": ("بله", "آری", "فعال", "دارد", "هست", "yes", "y", "true", "1", "✓"),
               "": ("خیر", "نه", "غیرفعال", "ندارد", "نیست", "no", "n", "false", "0")}


def _fields(res: Resource) -> list[str]:
    return [n for n in res.form if not res.field(n).readonly and not res.field(n).internal]


class ResourceRows:
    """Parses lines of one resource with its choices and references looked up once."""

    def __init__(self, kernel: Kernel, session: Session, mapping: Mapping, resource: str) -> None:
        self.kernel = kernel
        self.res = kernel.resources[resource]
        self.mapping = mapping
        self.choices: dict[str, dict[str, str]] = {}
        self.refs: dict[str, dict[str, int]] = {}
        for name in set(mapping.columns) & set(_fields(self.res)):
            f = self.res.field(name)
            if f.kind == "choice":
                table: dict[str, str] = {}
                for code, label in f.choices:
                    for text in (code, label, kernel.t("fa", label)):
                        table.setdefault(value_key(text), code)
                self.choices[name] = table
            elif f.kind == "ref" and f.ref in kernel.resources:
                self.refs[name] = self._titles(session, kernel.resources[f.ref])

    @staticmethod
    def _titles(session: Session, target: Resource) -> dict[str, int]:
        """Live rows of a referenced resource by title (and code, where it has one)."""
        model: Any = target.model
        names = [n for n in (target.title_field or "name", "code") if n in target.table.c]
        out: dict[str, int] = {}
        stmt = select(model.id, *(getattr(model, n) for n in names)).where(model.deleted_at.is_(None)).order_by(model.id)
        for row in session.execute(stmt):
            for text in row[1:]:
                if text:
                    out.setdefault(value_key(str(text)), row[0])
        return out

    def parse(self, line: int, cells: list[str]) -> ParsedRow:
        row = ParsedRow(line, cells)
        data: dict[str, str] = {}
        column: dict[str, int] = {}
        for i, target in enumerate(self.mapping.columns):
            text = cells[i].strip() if target and i < len(cells) else ""
            if not target:
                continue
            column[target] = i
            if not text:
                # An empty cell leaves the field to its default (or as it is, on an update); a
                # required one is refused with the form's own message.
                if self.res.field(target).required:
                    data[target] = ""
            elif target in self.choices:
                data[target] = self.choices[target].get(value_key(text), text)
            elif target in self.refs:
                found = self.refs[target].get(value_key(text))
                if found is None:
                    row.errors.append((i, InputError("Not in the list: {value}", value=text)))
                    continue
                data[target] = str(found)
            elif self.res.field(target).kind == "bool":
                key = value_key(text)
                data[target] = next((v for v, words in _BOOL_WORDS.items() if key in {value_key(w) for w in words}),
                                    text)
                if data[target] == text:
                    row.errors.append((i, InputError("Write yes or no")))
                    data.pop(target)
            else:
                data[target] = text
        values, errors = parse_values(self.kernel, self.res, data, partial=True)
        for name, exc in errors.items():
            row.errors.append((column.get(name), exc))
        row.values = values
        return row


def resource_target(*, resource: str, permission: str, path: str, name: str, title: str, field_heading: str,
                    key_field: str, synonyms: MappingT[str, tuple[str, ...]] | None = None,
                    duplicates_legend: str = "When the same record exists",
                    mode_labels: tuple[str, str, str] | None = None, list_url: str = "",
                    list_label: str = "") -> ImportTarget:
    """The :class:`ImportTarget` of a plain resource whose duplicates share ``key_field``."""
    extra = dict(synonyms or {})

    def targets(kernel: Kernel) -> list[tuple[str, str]]:
        res = kernel.resources[resource]
        return [(n, res.field(n).label) for n in _fields(res)]

    def guess(kernel: Kernel, headers: list[str]) -> list[str]:
        table: dict[str, str] = {}
        for target, label in targets(kernel):
            for text in (target, label, kernel.t("fa", label), kernel.t("en", label)):
                table.setdefault(header_key(text), target)
        for target, words in extra.items():
            for word in words:
                table.setdefault(header_key(word), target)
        out: list[str] = []
        for header in headers:
            target = table.get(header_key(header), "")
            out.append("" if target in out else target)
        return out

    def check(kernel: Kernel, mapping: Mapping, lang: str) -> list[InputError]:
        labels = dict(targets(kernel))
        problems: list[InputError] = []
        if mapping.mode not in MODES or any(c and c not in labels for c in mapping.columns):
            problems.append(InputError("Choose one of the listed values"))
        used = [c for c in mapping.columns if c]
        for target in sorted({c for c in used if used.count(c) > 1}):
            problems.append(InputError("Two columns are mapped to {field}", field=kernel.t(lang, labels[target])))
        res = kernel.resources[resource]
        for target in _fields(res):
            column = res.table.c[target] if target in res.table.c else None
            needed = res.field(target).required and column is not None and column.default is None
            if needed and target not in used:
                problems.append(InputError("Map a column to {field}", field=kernel.t(lang, labels[target])))
        return problems

    def parser(kernel: Kernel, session: Session, mapping: Mapping) -> ResourceRows:
        return ResourceRows(kernel, session, mapping, resource)

    def write(kernel: Kernel, session: Session, actor: Actor, mapping: Mapping,
              rows: Iterable[tuple[int, list[str]]]) -> Result:
        res = kernel.resources[resource]
        lines = ResourceRows(kernel, session, mapping, resource)
        parsed = [lines.parse(line, cells) for line, cells in rows]
        result = Result(failed=[p for p in parsed if not p.ok])
        model: Any = res.model
        key_col = getattr(model, key_field)
        keys = {str(p.values[key_field]) for p in parsed if p.ok and p.values.get(key_field)}
        existing: dict[str, int] = {}
        if keys and mapping.mode != "create":
            stmt = kernel.scoped_select(actor, model, "view").where(key_col.in_(keys), model.deleted_at.is_(None))
            existing = {str(k): i for i, k in session.execute(stmt.with_only_columns(model.id, key_col))}
        columns = {t: i for i, t in enumerate(mapping.columns) if t}
        for row in (p for p in parsed if p.ok):
            key = str(row.values.get(key_field) or "")
            match = existing.get(key) if key and mapping.mode != "create" else None
            if match is not None and mapping.mode == "skip":
                result.skipped += 1
                continue
            try:
                with session.begin_nested():
                    if match is not None:
                        update_record(kernel, session, actor, res, match,
                                      {k: v for k, v in row.values.items() if v is not None})
                        result.updated += 1
                    else:
                        obj = create_record(kernel, session, actor, res, row.values)
                        if key:
                            existing[key] = obj.id
                        result.created += 1
            except FormErrors as exc:
                for name, err in exc.errors.items():
                    row.errors.append((columns.get(name), err))
                result.failed.append(row)
            except (InputError, Conflict) as exc:
                row.errors.append((None, InputError(exc.msgid, **exc.params)))
                result.failed.append(row)
        result.failed.sort(key=lambda r: r.line)
        return result

    return ImportTarget(
        resource=resource, permission=permission, path=path, name=name, title=title, field_heading=field_heading,
        targets=targets, guess=guess, check=check, parser=parser, write=write,
        duplicates_legend=duplicates_legend,
        mode_labels=mode_labels or ("Skip the line", "Update the existing record with the filled cells",
                                    "Create a new record anyway"),
        list_url=list_url, list_label=list_label)
