"""The rows of a list page and a record's context menu, as markup built in Python.

A page of 50 rows × 6 columns through Jinja cost half the view (issue 10): a template include
per row for the menu, a translation call per row per menu entry, a loop variable per cell. The
same markup is built here from what is computed once per page (translated labels, the clip
icon, the resource's URL), escaped with the same ``markupsafe.escape`` Jinja autoescape uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

from kernel.icons import icon
from kernel.persian.numbers import format_number
from kernel.record_actions import MenuEntry

Translate = Callable[[str], str]


def record_menu(entries: Sequence[MenuEntry], label: str, t: Translate,
                texts: dict[str, str] | None = None) -> Markup:
    """The "⋮" button of one record and the entries record_menu.js shows (KER-17). ``texts``
    keeps each entry's escaped label and key across the rows of a page."""
    if not entries:
        return Markup("")
    texts = {} if texts is None else texts
    actions = escape(t("Actions"))

    def text(e: MenuEntry) -> str:
        key = f"{e.label}\x00{e.shortcut}"
        if key not in texts:
            # str(): a Markup would escape the <kbd> added to it.
            texts[key] = str(escape(t(e.label))) + (f" <kbd>{escape(e.shortcut)}</kbd>" if e.shortcut else "")
        return texts[key]

    items = "".join(f'<a role="menuitem" href="{escape(e.url)}">{text(e)}</a>' for e in entries)
    return Markup(
        '<span class="record-menu">\n'
        '  <button type="button" class="menu-button" data-record-menu aria-haspopup="menu" aria-expanded="false"\n'
        f'          aria-label="{actions}: {escape(label)}" title="{actions} (Shift+F10)">⋮</button>\n'
        '  <span class="record-menu-items" role="menu" hidden>\n'
        f"    {items}  </span>\n"
        "</span>\n")


def chooser_html(choosable: Sequence[str], columns: Sequence[str], labels: Callable[[str], str]) -> Markup:
    """The column chooser's check boxes (a partner has 35 columns: a Jinja loop of them, with a
    translation and a field lookup each, was a tenth of the list page)."""
    chosen = set(columns)
    return Markup("".join(
        f'      <label><input type="checkbox" name="col" value="{escape(name)}" {"checked" if name in chosen else ""}>\n'
        f"        {escape(labels(name))}</label>\n" for name in choosable))


def cached(t: Translate) -> Translate:
    """``t`` remembering its answers: a page asks for the same few labels once per row."""
    memo: dict[str, str] = {}

    def lookup(msgid: str) -> str:
        if msgid not in memo:
            memo[msgid] = t(msgid)
        return memo[msgid]

    return lookup


def rows_html(rows: list[dict[str, Any]], columns: list[str], url: str, labels: dict[str, str],
              t: Translate, lang: str) -> Markup:
    """The ``<tr>`` of each row: checkbox and menu, attachment count, then the cells (the first a
    link to the record, an inline-editable column an input posting to the row's form; a row's
    ``marks``, when present, the icon of each cell).
    ``labels``: the translated label of each column (inline inputs name it for screen readers)."""
    url_e = escape(url)
    save = escape(t("Save"))
    clip = icon("clip")
    texts: dict[str, str] = {}
    out: list[str] = []
    no_marks = [""] * len(columns)
    for row in rows:
        rid = escape(str(row["id"]))
        cells = row["cells"]
        menu = record_menu(row["actions"], cells[0] or f"#{row['id']}", t, texts)
        clips = f"{clip}{format_number(row['clips'], lang)}" if row["clips"] else ""
        tds: list[str] = []
        marks = row.get("marks") or no_marks
        for i, (col, cell, inline) in enumerate(zip(columns, cells, row["inline"], strict=True)):
            if inline:
                tds.append(
                    f'<td><span class="inline-edit"><input name="{escape(col)}" form="inline-{rid}" value="{escape(cell)}" '
                    f'size="4" inputmode="numeric" aria-label="{escape(labels[col])} #{rid}" '
                    f'data-inline-field="{escape(col)}"><button form="inline-{rid}" title="{save}" '
                    f'aria-label="{save} #{rid}">✓</button></span></td>')
            elif i == 0:
                tds.append(f'<td>{marks[i]}<a href="{url_e}{rid}">{escape(cell or "—")}</a></td>')
            else:
                # marks[i]: the cell's icon, built escaped by kernel.web.cells.marker, or "".
                tds.append(f"<td>{marks[i]}{escape(cell)}</td>")
        out.append(
            f'    <tr data-href="{url_e}{rid}" tabindex="-1">\n'
            f'      <td class="row-tools"><input type="checkbox" name="ids" value="{rid}" aria-label="#{rid}">'
            f"{menu}</td>\n"
            f"      <td>{clips}</td>\n"
            f"      {''.join(tds)}\n"
            "    </tr>\n")
    return Markup("".join(out))
