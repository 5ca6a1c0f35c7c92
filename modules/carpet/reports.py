"""The carpet reports: per dealer, the cards sold and how many their customers registered (the
rate); and cards by Jalali month of printing, dealer and state. Both read the cards within the
reader's record scope, for a Jalali period (this month so far by default)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from kernel import Report, ReportParam
from kernel.persian.jalali import to_jalali
from kernel.persian.numbers import format_number
from kernel.timezone import to_local
from modules.base.models import Partner
from modules.base.reports import day_range
from modules.carpet.models import Dealer, WarrantyCard

PERIOD = (ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date"))


def rate(part: int, whole: int, lang: str) -> str:
    if whole <= 0:
        return "—"
    return format_number(round(100 * part / whole), lang) + ("٪" if lang == "fa" else "%")


def _dealer_names(session: Any, ids: set[int]) -> dict[int, str]:
    return {int(i): n for i, n in session.execute(select(Dealer.id, Partner.name).join(
        Partner, Partner.id == Dealer.partner_id).where(Dealer.id.in_(ids)))} if ids else {}


def dealers(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str = "fa", **_: Any) -> Any:
    low, high, _first, _last = day_range(params, kernel.config.timezone)
    cards = kernel.scoped_select(actor, WarrantyCard).where(
        WarrantyCard.created_at >= low, WarrantyCard.created_at < high, WarrantyCard.dealer_id.is_not(None))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for dealer, state, n in session.execute(cards.with_only_columns(
            WarrantyCard.dealer_id, WarrantyCard.state, func.count()).group_by(WarrantyCard.dealer_id, WarrantyCard.state)):
        counts[int(dealer)][state] = int(n)
    names = _dealer_names(session, set(counts))
    rows = []
    for dealer, c in sorted(counts.items(), key=lambda kv: names.get(kv[0], "")):
        sold = c.get("printed", 0) + c.get("registered", 0)
        rows.append([names.get(dealer, f"#{dealer}"), sold, c.get("registered", 0), rate(c.get("registered", 0), sold, lang),
                     c.get("void", 0)])
    return ("Dealer", "Cards", "Registered", "Registration rate", "Void"), rows


def by_month(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str = "fa", **_: Any) -> Any:
    tz = kernel.config.timezone
    low, high, _first, _last = day_range(params, tz)
    cards = kernel.scoped_select(actor, WarrantyCard).where(WarrantyCard.created_at >= low,
                                                            WarrantyCard.created_at < high)
    # Each card's printing time read in local time, so a card printed late on a month's last
    # evening counts in that month (one narrow column over the period's index range).
    counts: dict[tuple[str, int | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for created, dealer, state in session.execute(cards.with_only_columns(
            WarrantyCard.created_at, WarrantyCard.dealer_id, WarrantyCard.state)):
        j = to_jalali(to_local(created, tz).date())
        counts[(f"{j.year:04d}/{j.month:02d}", dealer)][state] += 1
    names = _dealer_names(session, {d for _m, d in counts if d is not None})
    rows = []
    for (month, dealer), c in sorted(counts.items(), key=lambda kv: (kv[0][0], names.get(kv[0][1] or 0, ""))):
        total = sum(c.values())
        rows.append([month if lang != "fa" else month.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")),
                     names.get(dealer or 0, "—"), c.get("printed", 0), c.get("registered", 0), c.get("void", 0), total])
    return ("Month", "Dealer", "Printed", "Registered", "Void", "Total"), rows


REPORTS = (
    Report("carpet.dealers", "Dealers' warranty cards", dealers, "carpet.card.view", PERIOD, sequence=10),
    Report("carpet.cards", "Warranty cards by month", by_month, "carpet.card.view", PERIOD, sequence=20),
)
