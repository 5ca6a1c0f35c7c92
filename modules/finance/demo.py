"""Demo data of the finance module's catalogue: product groups, a carpet with size and colour
variants, goods and a service, an inactive product, a wholesale price list with a quantity tier
(FAQ 18), competitors' prices and two sales policies (``peyvand init --demo``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kernel.actor import SYSTEM
from kernel.persian.jalali import jalali_to_date, to_jalali
from kernel.records import create_record
from kernel.timezone import local_today
from modules.base.models import Partner, PartnerRole, RoleKind
from modules.finance.demo_documents import load_documents
from modules.finance.models import Product
from modules.finance.services.catalogue import generate_variants

DEMO_MARK = "finance.catalogue_demo"
SIZE_PRICES = {"۶ متری": 32_000_000, "۹ متری": 45_000_000, "۱۲ متری": 61_000_000}


def load(kernel: Any, session: Any) -> str:
    if kernel.setting(session, DEMO_MARK, ""):
        return "already loaded"

    def add(resource: str, **values: Any) -> int:
        return int(create_record(kernel, session, SYSTEM, kernel.resources[resource], values).id)

    carpets = add("finance.product_group", name="فرش", code="F")
    machine = add("finance.product_group", name="فرش ماشینی", parent_id=carpets, code="FM")
    services = add("finance.product_group", name="خدمات", code="S")
    accessories = add("finance.product_group", name="لوازم جانبی", code="L")
    size = add("finance.attribute", name="اندازه", kind="size", sequence=1)
    colour = add("finance.attribute", name="رنگ", kind="colour", sequence=2)
    sizes = [add("finance.attribute_value", attribute_id=size, name=name, code=code, sequence=i)
             for i, (name, code) in enumerate((("۶ متری", "6"), ("۹ متری", "9"), ("۱۲ متری", "12")))]
    colours = [add("finance.attribute_value", attribute_id=colour, name=name, code=code, sequence=i)
               for i, (name, code) in enumerate((("کرم", "CR"), ("لاکی", "RD"), ("سرمه‌ای", "NV")))]
    add("finance.attribute", name="برند", kind="brand", sequence=3)

    kashan = add("finance.product", name="فرش کاشان ۷۰۰ شانه", code="KSH700", kind="goods", unit="تخته",
                 price=45_000_000, group_id=machine, marketer_commission=Decimal("2.5"),
                 agency_commission=Decimal("100"), description="فرش ماشینی ۷۰۰ شانه، تراکم ۲۵۵۰، نخ اکریلیک")
    made = generate_variants(kernel, session, SYSTEM, kashan, [*sizes, colours[0], colours[1]])
    for variant in session.scalars(select(Product).where(Product.id.in_(made.created))):
        variant.price = next((p for name, p in SIZE_PRICES.items() if name in variant.name), variant.price)
    doormat = add("finance.product", name="پادری ماشینی", code="PD-1", kind="goods", unit="عدد", price=10_000,
                  group_id=accessories, marketer_commission=Decimal("5"))
    # FAQ 18: up to 10 units 1,000 Tomans each, more than 10 units 900 each.
    add("finance.price_tier", product_id=doormat, above_quantity=Decimal(10), unit_price=9_000)
    add("finance.product", name="زیرفرشی ضدلغزش", code="ZF-1", kind="goods", unit="متر مربع", price=850_000,
        group_id=accessories)
    wash = add("finance.product", name="شستشوی فرش", code="SRV-W", kind="service", unit="متر مربع", price=1_200_000,
               group_id=services, tax_exempt=False)
    add("finance.product", name="فرش ۵۰۰ شانه (توقف تولید)", code="F500", kind="goods", unit="تخته", price=18_000_000,
        group_id=machine, active=False)

    today = local_today(kernel.config.timezone)
    year = to_jalali(today).year
    agent = session.scalar(select(RoleKind.id).where(RoleKind.code == "agent", RoleKind.deleted_at.is_(None)))
    wholesale = add("finance.price_list", name=f"نمایندگان {year}", valid_from=jalali_to_date(year, 1, 1),
                    valid_to=jalali_to_date(year, 12, 29), role_id=agent)
    item = add("finance.price_list_item", price_list_id=wholesale, product_id=doormat, price=9_500)
    add("finance.price_tier", item_id=item, above_quantity=Decimal(10), unit_price=8_500)
    add("finance.price_list_item", price_list_id=wholesale, product_id=wash, price=1_000_000)

    competitors = list(session.scalars(select(Partner.id).join(PartnerRole, PartnerRole.partner_id == Partner.id)
                                       .where(PartnerRole.role == "competitor", Partner.deleted_at.is_(None))
                                       .order_by(Partner.id).limit(2)))
    variant_9 = session.scalar(select(Product.id).where(Product.parent_id == kashan, Product.name.contains("۹ متری"))
                               .order_by(Product.id))
    for i, competitor in enumerate(competitors):
        add("finance.competitor_price", product_id=variant_9 or kashan, competitor_id=competitor,
            competitor_product=("فرش ۷۰۰ شانه طرح افشان ۹ متری", "فرش ۷۰۰ شانه طرح کشمیر ۹ متری")[i],
            price=(43_500_000, 47_000_000)[i], observed_on=today)
        add("finance.competitor_price", product_id=wash, competitor_id=competitor, competitor_product="قالیشویی",
            price=(1_100_000, 1_250_000)[i], observed_on=today)
    add("finance.sales_policy", name="جشنواره‌ی نوروزی", kind="percent", percent=Decimal(5),
        valid_from=jalali_to_date(year, 1, 1), valid_to=jalali_to_date(year, 1, 13))
    add("finance.sales_policy", name="مشتریان وفادار", kind="percent", percent=Decimal("7.5"), min_invoices=5)
    from modules.finance.demo_purchases import load_purchases, pay_purchases  # -- purchases: costs first

    bought = load_purchases(kernel, session)
    documents = load_documents(kernel, session) + "; " + bought
    from modules.finance.demo_cheques import load_cheques  # -- cheques

    documents += "; " + load_cheques(kernel, session)
    # -- commissions (FIN-13)
    from modules.finance.demo_commissions import load_commissions
    from modules.finance.demo_documents import demo_customers

    customers = demo_customers(session)
    documents += "; " + load_commissions(kernel, session, customers[0] if customers else None)
    documents += "; " + pay_purchases(kernel, session)  # -- purchases (FIN-18)
    kernel.set_setting(session, DEMO_MARK, "1")
    return (f"{len(made.created)} carpet variants, 6 other products, 1 price list, "
            f"{2 * len(competitors)} competitor prices, 2 sales policies added; {documents}")
