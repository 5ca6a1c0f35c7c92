"""Hooks of the finance module: resources, menu, permissions and pages."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

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
    # -- catalogue (FIN-01 … FIN-03) --
    from modules.finance.importers import PRODUCT_IMPORT
    from modules.finance.services.mailing import MAIL

    return [
        Permission(PRODUCT_IMPORT, "Import products from Excel or CSV"),
        # -- documents ---------------------------------------------------------------------------
        Permission("finance.invoice.edit_issued", "Edit issued invoices"),
        Permission("finance.proforma.convert", "Convert proformas into invoices"),
        # -- editor: a price or a discount other than the rules give (FIN-02, FIN-03)
        Permission("finance.price.override", "Override the prices and discounts the rules give"),
        # -- cheques: deposit, clear, bounce, endorse … (FIN-09)
        Permission("finance.cheque.change_state", "Change the state of cheques (deposit, clear, bounce, endorse)"),
        # -- print: sending a document out of the office is not the same trust as printing it
        Permission(MAIL, "E-mail proformas and invoices"),
        # -- payment plans (FIN-08): payments themselves need finance.receipt.create
        Permission("finance.invoice.plan", "Make and change invoices' payment plans"),
        # -- commissions (FIN-13)
        Permission("finance.commission.pay", "Pay commissions"),
        # -- purchases (FIN-18): posting moves the products' average cost
        Permission("finance.purchase.post", "Post purchase invoices"),
        # -- fiscal year (FIN-16)
        Permission("finance.fiscal_year.close", "Close a fiscal year and undo its close"),
    ]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("finance.menu", "Finance", "", permission="finance.product.view", sequence=30, icon="wallet"),
        MenuItem("finance.products", "Products and services", "/finance/product/", "finance.product.view",
                 parent="finance.menu", sequence=10),
        # -- catalogue (FIN-01 … FIN-03) --
        MenuItem("finance.product_groups", "Product groups", "/finance/product_group/", "finance.product_group.view",
                 parent="finance.menu", sequence=11),
        MenuItem("finance.attributes", "Product attributes", "/finance/attribute/", "finance.attribute.view",
                 parent="finance.menu", sequence=12),
        MenuItem("finance.attribute_values", "Attribute values", "/finance/attribute_value/",
                 "finance.attribute_value.view", parent="finance.menu", sequence=13),
        MenuItem("finance.price_lists", "Price lists", "/finance/price_list/", "finance.price_list.view",
                 parent="finance.menu", sequence=14),
        MenuItem("finance.price_list_items", "Price list items", "/finance/price_list_item/",
                 "finance.price_list_item.view", parent="finance.menu", sequence=15),
        MenuItem("finance.price_tiers", "Quantity tiers", "/finance/price_tier/", "finance.price_tier.view",
                 parent="finance.menu", sequence=16),
        MenuItem("finance.competitor_prices", "Competitor prices", "/finance/competitor_price/",
                 "finance.competitor_price.view", parent="finance.menu", sequence=17),
        MenuItem("finance.compare", "Our prices and competitors'", "/finance/competitors/compare",
                 "finance.competitor_price.view", parent="finance.menu", sequence=18),
        MenuItem("finance.sales_policies", "Sales policies", "/finance/sales_policy/", "finance.sales_policy.view",
                 parent="finance.menu", sequence=19),
        MenuItem("finance.import_products", "Import products", "/finance/import/product/", "finance.product.import",
                 parent="finance.menu", sequence=20),
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
        # -- editor
        MenuItem("finance.cancel_reasons", "Reasons for cancelling", "/finance/cancel_reason/",
                 "finance.cancel_reason.view", parent="finance.menu", sequence=91),
        # -- cheques, banks, our accounts and POS terminals (FIN-09, FIN-10)
        MenuItem("finance.cheques", "Cheques", "/finance/cheque/", "finance.cheque.view",
                 parent="finance.menu", sequence=45),
        MenuItem("finance.cheque_calendar", "Cheques by due date", "/finance/cheques/calendar", "finance.cheque.view",
                 parent="finance.menu", sequence=46),
        MenuItem("finance.cheque_cash_in", "Expected cash-in per week", "/finance/cheques/cash-in",
                 "finance.cheque.view", parent="finance.menu", sequence=47),
        MenuItem("finance.bank_accounts", "Our bank accounts", "/finance/bank_account/", "finance.bank_account.view",
                 parent="finance.menu", sequence=92),
        MenuItem("finance.pos_terminals", "POS terminals", "/finance/pos_terminal/", "finance.pos_terminal.view",
                 parent="finance.menu", sequence=93),
        MenuItem("finance.banks", "Banks", "/finance/bank/", "finance.bank.view", parent="finance.menu", sequence=94),
        # -- commissions (FIN-13)
        MenuItem("finance.commissions", "Commissions", "/finance/commission/", "finance.commission.view",
                 parent="finance.menu", sequence=50),
        MenuItem("finance.pay_commissions", "Pay commissions", "/finance/commissions/pay", "finance.commission.pay",
                 parent="finance.menu", sequence=51),
        MenuItem("finance.commission_payments", "Commission payments", "/finance/commission_payment/",
                 "finance.commission_payment.view", parent="finance.menu", sequence=52),
        MenuItem("finance.agents", "Sales agents", "/finance/agent/", "finance.agent.view",
                 parent="finance.menu", sequence=53),
        # -- purchases (FIN-18)
        MenuItem("finance.purchases", "Purchase invoices", "/finance/purchase/", "finance.purchase.view",
                 parent="finance.menu", sequence=60),
        MenuItem("finance.purchase_payments", "Payments to suppliers", "/finance/purchase_payment/",
                 "finance.purchase_payment.view", parent="finance.menu", sequence=61),
        MenuItem("finance.own_cheques", "Our cheques", "/finance/own_cheque/", "finance.own_cheque.view",
                 parent="finance.menu", sequence=62),
        # -- fiscal year (FIN-16)
        MenuItem("finance.fiscal_year_close", "Close the fiscal year", "/finance/fiscal-year",
                 "finance.fiscal_year.close", parent="finance.menu", sequence=95),
        # -- score: the customers list with balance and payment-behaviour score (FIN-12)
        MenuItem("finance.customers", "Customers by balance and score", "/finance/customers",
                 "finance.invoice.view", parent="finance.menu", sequence=36),
        # -- the plans' payments (issue 12)
        MenuItem("finance.payments", "Payments of plans", "/finance/payment/", "finance.payment.view",
                 parent="finance.menu", sequence=41),
    ]


@hookimpl
def register_routes() -> list[Any]:
    from modules.finance.routes import (
        all_routes,
        cheques,
        customers,  # -- score
        fiscal,  # -- fiscal year (FIN-16)
        plans,  # -- payment plans
        printing,
        purchases,  # -- purchases (FIN-18)
        statement,  # -- the customer statement (FIN-12)
    )

    return [*all_routes(), *printing.routes(), *cheques.routes(), *plans.routes(),  # -- print; -- cheques
            *purchases.routes(), *fiscal.routes(), *statement.routes(), *customers.routes()]  # -- score


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
        # -- catalogue
        RecordAction("finance.variants", "Variants", "/finance/product/{id}/variants",
                     permission="finance.product.view", resources=("finance.product",)),
        # -- documents
        # -- editor: a new proforma lands on its line editor once its header is saved
        RecordAction("finance.new_proforma", "New proforma",
                     "/finance/proforma/new?partner_id={id}&next=/finance/proforma/%7Bid%7D/lines",
                     permission="finance.proforma.create", resources=("base.partner",), sequence=60),
        RecordAction("finance.new_invoice", "New invoice", "/finance/invoice/new?partner_id={id}",
                     permission="finance.invoice.create", resources=("base.partner",), sequence=61),
        RecordAction("finance.convert", "Convert to invoice", "/finance/proforma/{id}/convert",
                     permission="finance.proforma.convert", resources=("finance.proforma",), sequence=10),
        # -- print
        RecordAction("finance.print_proforma", "Print…", "/finance/proforma/{id}/print",
                     permission="finance.proforma.print", resources=("finance.proforma",), sequence=40),
        RecordAction("finance.print_invoice", "Print…", "/finance/invoice/{id}/print",
                     permission="finance.invoice.print", resources=("finance.invoice",), sequence=40),
        # -- documents
        RecordAction("finance.plan", "Payment plan", "/finance/invoice/{id}/plan",
                     permission="finance.invoice.view", resources=("finance.invoice",), sequence=9),
        RecordAction("finance.receive_cash", "Receive cash",
                     "/finance/receipt/new?invoice_id={id}&next=/finance/invoice/{id}",
                     permission="finance.receipt.create", resources=("finance.invoice",), sequence=10),
        # -- editor
        RecordAction("finance.edit_lines", "Edit lines", "/finance/proforma/{id}/lines",
                     permission="finance.proforma.edit", resources=("finance.proforma",), sequence=5),
        RecordAction("finance.edit_invoice_lines", "Edit lines", "/finance/invoice/{id}/lines",
                     permission="finance.invoice.edit", resources=("finance.invoice",), sequence=5),
        # -- purchases (FIN-18)
        RecordAction("finance.purchase_lines", "Lines, posting and payments", "/finance/purchase/{id}/work",
                     permission="finance.purchase.view", resources=("finance.purchase",), sequence=5),
        RecordAction("finance.follow_up", "Follow-up", "/finance/proforma/{id}/follow-up",
                     permission="finance.proforma.edit", resources=("finance.proforma",), sequence=6,
                     shortcut="F4"),
        # -- statement (FIN-12)
        RecordAction("finance.statement", "Statement", "/finance/partner/{id}/statement",
                     permission="finance.invoice.view", resources=("base.partner",), sequence=62),
    ]


@hookimpl
def register_date_sources() -> list[DateSource]:
    from modules.finance.models import Cheque, Invoice, Proforma

    return [
        # FIN-19: a contract's end or a departure date on an invoice or a proforma.
        DateSource("finance.invoice_end", "Invoice end dates", "finance.invoice", "end_date",
                   partner_field="partner_id", open=lambda m: Invoice.state == "issued"),
        DateSource("finance.proforma_end", "Proforma end dates", "finance.proforma", "end_date",
                   partner_field="partner_id", open=lambda m: Proforma.state.in_(("draft", "issued"))),
        # -- cheques: a cheque falling due is to be deposited (still at the desk or in the safe)
        DateSource("finance.cheque_due", "Cheques falling due", "finance.cheque", "due_date",
                   partner_field="partner_id", open=lambda m: Cheque.state.in_(("received", "in_safe"))),
    ]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.finance import (  # -- editor, cheques: their own slots
        slots,
        slots_cheques,
        slots_editor,
        slots_plans,  # -- payment plans: the plan under the invoice's page
        slots_purchases,  # -- purchases: the way to a purchase's lines and payments
    )

    parts = [slots.render(slot, context, request), slots_editor.render(slot, context, request),
             slots_cheques.render(slot, context, request), slots_plans.render(slot, context, request),
             slots_purchases.render(slot, context, request)]
    # -- print: the print menu follows the document's lines on its page
    if slot in ("finance.proforma.detail", "finance.invoice.detail"):
        from modules.finance.routes.printing import print_menu

        parts.append(print_menu(context, request))
    found = [p for p in parts if p is not None]
    return Markup("").join(found) if found else None


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    from modules.finance.models.scaled import plain
    from modules.finance.services.labels import localise

    # A quantity as people write it, in the page's language: ۱۰, ۲٫۵.
    env.filters["finance_plain"] = lambda value, lang="fa": localise(plain(value), lang)


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    # -- reports: the partner's stage follows its documents (BASE-05)
    from modules.finance.lifecycle import on_event

    on_event(event, session)
    # -- commissions (FIN-13): an issue writes them, an edit or a void writes the differences
    from modules.finance.commission_hooks import on_commission_event

    on_commission_event(kernel, event, session)
    # -- purchases (FIN-18, FIN-14): average cost, payments, endorsed cheques that bounce
    from modules.finance.purchase_hooks import on_purchase_event

    on_purchase_event(kernel, event, session)
    # -- editor: a proforma converted or deleted leaves the follow-up; its reminder stops
    from modules.finance.events import ProformaConverted

    if isinstance(event, ProformaConverted) or (isinstance(event, RecordDeleted)
                                                and event.resource == "finance.proforma"):
        from modules.finance.services.follow_ups import stop

        stop(session, event.proforma_id if isinstance(event, ProformaConverted) else event.record_id)
    # -- cheques: a new cheque's history starts with "received"
    if isinstance(event, RecordChanged) and event.resource == "finance.cheque" and event.action == "create":
        from kernel.db import acting_user_id
        from modules.finance.services.cheques import record_received

        record_received(session, event.record_id, acting_user_id(session))
    # -- payment plans: a cheque clears or bounces its payments; a voided invoice's alarms stop
    from modules.finance.events import ChequeChanged, InvoiceVoided

    if isinstance(event, ChequeChanged):
        from modules.finance.services.payments import on_cheque_changed

        on_cheque_changed(kernel, session, event)
    elif isinstance(event, InvoiceVoided):
        from modules.finance.services.plans import recount

        recount(kernel, session, event.invoice_id)
    # -- a new total against the plan: refused with payments, marked without (issue 12)
    from modules.finance.events import InvoiceChanged

    if isinstance(event, InvoiceChanged):
        from modules.finance.services.plan_total import on_invoice_changed

        on_invoice_changed(kernel, session, event)
    # -- documents
    if isinstance(event, RecordChanged) and event.resource == "finance.receipt":
        from modules.finance.services.receipts import on_receipt_changed

        on_receipt_changed(kernel, session, event)
        from modules.finance.services.payments import on_receipt_changed as plan_receipt  # -- payment plans

        plan_receipt(kernel, session, event)
    elif isinstance(event, RecordChanged) and event.resource in ("finance.proforma", "finance.invoice") \
            and event.action in ("create", "update"):
        from modules.finance.services.documents import header_changed

        header_changed(kernel, session, event)
    elif isinstance(event, RecordDeleted) and event.resource in ("finance.fiscal_year", "finance.fiscal_opening",
                                                                 "finance.fiscal_carry"):  # -- fiscal year
        raise Conflict("Written by closing the fiscal year: not by hand")
    elif isinstance(event, RecordDeleted) and event.resource == "finance.invoice":
        from modules.finance.models import Invoice

        inv = session.get(Invoice, event.record_id)
        if inv is not None and inv.state != "draft":
            # FAQ 3: an issued invoice keeps its number; it is voided, never deleted.
            raise Conflict("An issued invoice is not deleted: void it, and it keeps its number")


# -- print ---------------------------------------------------------------------------------------
@hookimpl
def register_jobs(kernel: Any) -> list[Any]:
    from kernel.jobs import Job
    from modules.finance.services.mailing import TOPIC, send

    # FIN-15: a printed document e-mailed from its page, sent once by the outbox.
    jobs = [Job("finance.document_mail", send, topic=TOPIC,
                max_attempts=5, retry_after=60)]
    # -- score: the customers' standing knows the users' day; its overdue rows are settled daily
    from modules.finance import standing

    standing.ZONES[kernel.engine] = kernel.config.timezone
    return [*jobs, Job(standing.JOB, standing.refresh_overdue, every=3600)]


# -- reports: search by number, the partner's profile, reports (KER-12, BASE-11, FIN-12, FIN-17) ----
@hookimpl
def register_search(kernel: Any) -> list[Any]:
    from modules.finance.search import providers

    return providers(kernel)


@hookimpl
def register_panels() -> list[Any]:
    from modules.finance.panels import PANELS
    from modules.finance.panels_score import PANELS as SCORE  # -- score

    return [*PANELS, *SCORE]


@hookimpl
def register_reports() -> list[Any]:
    from modules.finance.report_cheques import REPORT as CHEQUES  # -- score: cheques, collections
    from modules.finance.report_collected import REPORT as COLLECTED
    from modules.finance.reports import REPORTS

    return [*REPORTS, CHEQUES, COLLECTED]


# -- the command line: ``peyvand finance …`` (KER-15) ------------------------------------------------
@hookimpl
def register_commands() -> list[Any]:
    from modules.finance.backfill_commissions import COMMAND

    return [COMMAND]


# -- editor: the line editor's and the follow-up's keys (FIN-04, FIN-05) ---------------------------
@hookimpl
def register_shortcuts() -> list[Any]:
    from kernel import Shortcut

    return [
        Shortcut("finance.editor.add", "Enter", "Line editor: add the new line and save every changed line",
                 permission="finance.proforma.edit"),
        Shortcut("finance.editor.keep", "Shift+Enter", "Line editor: keep the new line and start another, saved together",
                 permission="finance.proforma.edit"),
        Shortcut("finance.editor.save_all", "Alt+S", "Line editor: save every changed and new line at once",
                 permission="finance.proforma.edit"),
        Shortcut("finance.editor.remove", "Alt+Delete", "Line editor: remove the line you are in",
                 permission="finance.proforma.edit"),
        Shortcut("finance.follow_up", "F4", "Follow-up of the selected proforma (in the list or on its page)",
                 permission="finance.proforma.edit"),
    ]


@hookimpl(optionalhook=True)
def marketing_email_attachment(kernel: Any, session: Any, actor: Any, ref: str, lang: str, env: Any,
                               render: bool) -> Any:
    # The marketing module's e-mail composer attaches a proforma's PDF (MKT-03).
    from modules.finance.services.email_attachment import attachment

    return attachment(kernel, session, actor, ref, lang, env, render)


@hookimpl(optionalhook=True)
def telephony_caller_facts(kernel: Any, session: Any, actor: Any, partner_id: int, lang: str) -> Any:
    # The incoming-call pop-up (telephony, when enabled); nothing of telephony is imported.
    from modules.finance.caller_facts import facts

    return facts(kernel, session, actor, partner_id, lang)
