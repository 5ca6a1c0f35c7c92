"""Inline SVG icons: machines without an emoji font (most servers, many office PCs) show them all."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

# 24×24 stroke paths, drawn in currentColor so they follow the text colour.
PATHS: dict[str, str] = {
    "home": "M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5",
    "gear": "M12 15.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7ZM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1"
            "a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3"
            "l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0"
            " 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3"
            "a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3"
            " 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z",
    "map": "M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2Zm0 0v14m6-12v14",
    "clip": "M21 11.5 12.5 20a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L10.1 17.8a1.7 1.7 0 0 1-2.4-2.4L15.5 7.6",
    "mail": "M3 5h18v14H3zM3 6l9 7 9-7",
    "list": "M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01",
    "users": "M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm13 10v-2a4 4 0 0 0-3-3.9"
             "M16 3.1a4 4 0 0 1 0 7.8",
    "trash": "M3 6h18M8 6V4h8v2m-9 0 1 14h8l1-14",
    "search": "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14Zm10 3-5-5",
    "file": "M14 3H6v18h12V7l-4-4Zm0 0v4h4",
    "check": "M9 11l3 3 8-8M20 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11",
    "bell": "M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0",
    "inbox": "M22 12h-6l-2 3h-4l-2-3H2M5.5 5h13L22 12v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-6Z",
    "wallet": "M3 7a2 2 0 0 1 2-2h13v4M3 7v11a2 2 0 0 0 2 2h15V9H5a2 2 0 0 1-2-2Zm14 7h.01",
    # Arrows point where they say on every page: on a right-to-left page "onward" is arrow-left.
    "arrow-left": "M19 12H5m6-6-6 6 6 6",
    "arrow-right": "M5 12h14m-6-6 6 6-6 6",
    "alert": "M12 9v4m0 4h.01M10.3 3.9 2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z",
}
# The colours a cell icon may take (classes in app.css); anything else is drawn in the text colour.
TONES = ("green", "red", "amber", "blue", "muted")


def icon(name: str, label: str = "") -> Markup:
    """An inline icon by name; unknown names draw nothing rather than a broken glyph."""
    path = PATHS.get(name)
    if path is None:
        return Markup("")
    aria = f'role="img" aria-label="{Markup.escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(
        f'<svg class="icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" '
        f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" {aria}><path d="{path}"/></svg>'
    )


@dataclass(frozen=True)
class CellIcon:
    """An icon in a list cell (``Field(icon=...)``): ``name`` from :data:`PATHS`, ``label`` an
    English msgid read by screen readers, shown as its tooltip and exported in place of an
    icon-only cell — ``{text}`` in it is the cell's own text ("Converted into {text}") — and
    ``tone`` one of :data:`TONES`."""

    name: str
    label: str
    tone: str = ""


def cell_icon(mark: CellIcon, label: str) -> Markup:
    """The markup of a cell's icon with its (translated) label: a tooltip, and text for screen
    readers; the label is escaped, the name and tone are checked against the kernel's own."""
    tone = f" tone-{mark.tone}" if mark.tone in TONES else ""
    return Markup('<span class="cell-icon{}" title="{}">{}<span class="visually-hidden">{}</span></span>').format(
        Markup(tone), label, icon(mark.name), label)
