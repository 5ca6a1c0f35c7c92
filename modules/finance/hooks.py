"""Hooks of the finance module: resources, menu, permissions and pages."""

from __future__ import annotations

from typing import Any

from kernel import (
    Conflict,
    DateSource,
    MenuItem,
    Permission,
    RecordAction,
    RecordChanged,
    RecordDeleted,
    Resource,
    hookimpl,
)


@hookimpl
def register_resources() -> list[Resource]:
    from modules.finance.resources import resources

    return resources()


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        # -- documents ---------------------------------------------------------------------------
        Permission("finance.invoice.edit_issued", "Edit issued invoices"),
        Permission("finance.proforma.convert", "Convert proformas into invoices"),
    ]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("finance.menu", "Finance", "", permission="finance.product.view", sequence=30, icon="wallet"),
        MenuItem("finance.products", "Products and services", "/finance/product/", "finance.product.view",
                 parent="finance.menu", sequence=10),
        # -- documents ---------------------------------------------------------------------------
        MenuItem("finance.proformas", "Proformas", "/finance/proforma/", "finance.proforma.view",
                 parent="finance.menu", sequence=20),
        MenuItem("finance.invoices", "Invoices", "/finance/invoice/", "finance.invoice.view",
                 parent="finance.menu", sequence=30),
        MenuItem("finance.open_invoices", "Unsettled invoices", "/finance/invoice/?f_settlement=open",
                 "finance.invoice.view", parent="finance.menu", sequence=35),
        MenuItem("finance.receipts", "Receipts", "/finance/receipt/", "finance.receipt.view",
                 parent="finance.menu", sequence=40),
        MenuItem("finance.tax_rates", "Tax rates", "/finance/tax_rate/", "finance.tax_rate.view",
                 parent="finance.menu", sequence=90),
    ]


# -- documents: routes, events, context menus, dates, slots ----------------------------------------
@hookimpl
def register_routes() -> list[Any]:
    from modules.finance.routes import all_routes

    return all_routes()


@hookimpl
def register_number_series() -> list[Any]:
    from modules.finance.numbers import SERIES

    return list(SERIES)


@hookimpl
def register_events() -> list[Any]:
    from modules.finance.events import EVENTS

    return list(EVENTS)


@hookimpl
def register_record_actions() -> list[RecordAction]:
    return [
        RecordAction("finance.new_proforma", "New proforma", "/finance/proforma/new?partner_id={id}",
                     permission="finance.proforma.create", resources=("base.partner",), sequence=60),
        RecordAction("finance.new_invoice", "New invoice", "/finance/invoice/new?partner_id={id}",
                     permission="finance.invoice.create", resources=("base.partner",), sequence=61),
        RecordAction("finance.convert", "Convert to invoice", "/finance/proforma/{id}/convert",
                     permission="finance.proforma.convert", resources=("finance.proforma",), sequence=10),
        RecordAction("finance.receive_cash", "Receive cash",
                     "/finance/receipt/new?invoice_id={id}&next=/finance/invoice/{id}",
                     permission="finance.receipt.create", resources=("finance.invoice",), sequence=10),
    ]


@hookimpl
def register_date_sources() -> list[DateSource]:
    from modules.finance.models import Invoice, Proforma

    return [
        # FIN-19: a contract's end or a departure date on an invoice or a proforma.
        DateSource("finance.invoice_end", "Invoice end dates", "finance.invoice", "end_date",
                   partner_field="partner_id", open=lambda m: Invoice.state == "issued"),
        DateSource("finance.proforma_end", "Proforma end dates", "finance.proforma", "end_date",
                   partner_field="partner_id", open=lambda m: Proforma.state.in_(("draft", "issued"))),
    ]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    if slot in ("finance.proforma.detail", "finance.invoice.detail"):
        from modules.finance.slots import document_detail

        return document_detail(context, request)
    return None


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    if isinstance(event, RecordChanged) and event.resource == "finance.receipt":
        from modules.finance.services.receipts import on_receipt_changed

        on_receipt_changed(kernel, session, event)
    elif isinstance(event, RecordChanged) and event.resource in ("finance.proforma", "finance.invoice") \
            and event.action in ("create", "update"):
        from modules.finance.services.documents import header_changed

        header_changed(kernel, session, event)
    elif isinstance(event, RecordDeleted) and event.resource == "finance.invoice":
        from modules.finance.models import Invoice

        inv = session.get(Invoice, event.record_id)
        if inv is not None and inv.state != "draft":
            # FAQ 3: an issued invoice keeps its number; it is voided, never deleted.
            raise Conflict("An issued invoice is not deleted: void it, and it keeps its number")
