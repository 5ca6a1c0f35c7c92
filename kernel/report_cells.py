"""Cells a report's rows may hold beyond plain text and numbers."""

from __future__ import annotations

from markupsafe import Markup, escape


class Linked(str):
    """A cell that is a link on the report's page (``__html__``) and plain text in its xlsx and
    PDF exports: ``Linked("INV-1405-00012", "/finance/invoice/12")``."""

    href: str

    def __new__(cls, text: str, href: str) -> Linked:
        cell = super().__new__(cls, text)
        cell.href = href
        return cell

    def __html__(self) -> Markup:
        return Markup('<a href="{}">{}</a>').format(self.href, escape(str(self)))
