"""The partner's 360° profile (BASE-11) and stage (BASE-05) with finance: the balance, the latest
proformas and invoices with links to the filtered lists, in the viewer's record scope; the stage
lead → opportunity → customer follows the documents issued, keeps the other roles, never moves
back, and is what the partner list's role filter finds (tier 3)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kernel.testing import actor_of, create_record, create_user
from modules.base.services.roles import roles_of
from modules.finance.services import issuing, receipts
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.report_helpers import ALL, invoice, line, proforma, provinces_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _panel(page: str, key: str) -> str:
    found = re.search(rf'<section class="panel profile-panel" id="panel-{key.replace(".", "-")}"(.*?)</section>',
                      page, re.S)
    return found.group(1) if found else ""


def test_the_profile_shows_balance_and_latest_documents_with_links(kernel: Any, web_client: Any) -> None:
    w = provinces_world(kernel)
    boss = w["boss"]
    # 10,000,000 + 10 % VAT = 11,000,000 each; the repair is exempt: 2,000,000.
    first = invoice(kernel, boss, w["gaz"], jdate(1405, 1, 10), [line(w["carpet"])])
    second = invoice(kernel, boss, w["gaz"], jdate(1405, 2, 10), [line(w["repair"])])
    invoice(kernel, boss, w["vanak"], jdate(1405, 2, 10), [line(w["carpet"])])  # another partner's
    with kernel.session(boss) as s:
        receipts.receive_cash(kernel, s, boss, first, 4_000_000, jdate(1405, 1, 20))
    pf = proforma(kernel, boss, w["gaz"], jdate(1405, 3, 1), [line(w["carpet"], "2")])
    page = web_client(kernel, "boss").get(f"/base/partner/{w['gaz']}/profile").text
    balance, proformas, invoices = (_panel(page, k) for k in ("finance.balance", "finance.proformas",
                                                               "finance.invoices"))
    # Open: 11,000,000 − 4,000,000 + 2,000,000 = 9,000,000 Rials over two invoices totalling 13,000,000.
    assert 'data-balance="9000000"' in balance and "۹٬۰۰۰٬۰۰۰" in balance and "۱۳٬۰۰۰٬۰۰۰" in balance
    assert f"/finance/invoice/?f_partner_id={w['gaz']}&amp;f_settlement=open" in balance
    assert "PF-۱۴۰۵-۰۰۰۰۱" in proformas and f'href="/finance/proforma/{pf}"' in proformas
    assert "۱۴۰۵/۰۳/۰۱" in proformas and "۲۲٬۰۰۰٬۰۰۰" in proformas and "صادرشده" in proformas
    assert f"/finance/proforma/?f_partner_id={w['gaz']}" in proformas
    # Newest first; Tehran's invoice INV-1405-00003 is another partner's.
    assert invoices.index(f"/finance/invoice/{second}") < invoices.index(f"/finance/invoice/{first}")
    assert "INV-۱۴۰۵-۰۰۰۰۳" not in invoices and f"/finance/invoice/?f_partner_id={w['gaz']}" in invoices
    # Panels in their declared order, after base's.
    assert page.index('id="panel-finance-balance"') < page.index('id="panel-finance-proformas"') \
        < page.index('id="panel-finance-invoices"')
    # A partner without documents has no finance panels.
    bare = web_client(kernel, "boss").get(f"/base/partner/{w['marketer']}/profile").text
    assert "panel-finance-" not in bare


def test_the_panels_follow_the_viewer_scope(kernel: Any, web_client: Any) -> None:
    """A user of "own records" sees the partner they own, but only their own invoices on it: the
    balance counts those alone. Without the invoices' permission the panels are not shown."""
    w = provinces_world(kernel)
    own = create_user(kernel, "own", perms=ALL, scope="own")
    mine = create_record(kernel, own, "base.partner", kind="company", name="فرش نائین")
    invoice(kernel, w["boss"], mine, jdate(1405, 1, 10), [line(w["carpet"])])            # the boss's: 11,000,000
    invoice(kernel, actor_of(kernel, own), mine, jdate(1405, 1, 11), [line(w["repair"])])  # own's: 2,000,000
    page = web_client(kernel, "own").get(f"/base/partner/{mine}/profile").text
    assert 'data-balance="2000000"' in _panel(page, "finance.balance")
    assert "INV-۱۴۰۵-۰۰۰۰۱" not in page and "INV-۱۴۰۵-۰۰۰۰۲" in _panel(page, "finance.invoices")
    create_user(kernel, "partners_only", perms=("base.partner.*",))
    page = web_client(kernel, "partners_only").get(f"/base/partner/{mine}/profile").text
    assert "panel-finance-" not in page and "۱۱٬۰۰۰٬۰۰۰" not in page


def _roles(kernel: Any, pid: int) -> list[str]:
    with kernel.sessions() as s:
        return roles_of(s, pid)


def test_lead_becomes_opportunity_then_customer_and_other_roles_stay(kernel: Any, web_client: Any) -> None:
    w = provinces_world(kernel)
    boss = w["boss"]
    lead = create_record(kernel, None, "base.partner", kind="company", name="سرنخ تازه")
    with kernel.session() as s:
        from modules.base.models import PartnerRole

        s.add_all([PartnerRole(partner_id=lead, role="lead"), PartnerRole(partner_id=lead, role="supplier")])
    draft = proforma(kernel, boss, lead, jdate(1405, 1, 1), [line(w["carpet"])], issue=False)
    assert _roles(kernel, lead) == ["lead", "supplier"]  # a draft is not an offer yet
    with kernel.session(boss) as s:
        issuing.issue_proforma(kernel, s, boss, draft)
    assert _roles(kernel, lead) == ["opportunity", "supplier"]
    with kernel.session(boss) as s:
        issuing.convert(kernel, s, boss, draft)
    assert _roles(kernel, lead) == ["customer", "supplier"]
    # A customer asking for a new proforma stays a customer; a cancelled one or a void invoice
    # does not move the stage back.
    again = proforma(kernel, boss, lead, jdate(1405, 2, 1), [line(w["carpet"])])
    with kernel.session(boss) as s:
        issuing.cancel_proforma(kernel, s, boss, again, "منصرف شد")
    assert _roles(kernel, lead) == ["customer", "supplier"]
    # A direct invoice makes a customer at once; a draft converted at once too.
    direct = invoice(kernel, boss, w["vanak"], jdate(1405, 1, 1), [line(w["carpet"])])
    with kernel.session(boss) as s:
        issuing.void_invoice(kernel, s, boss, direct, "اشتباه")
    assert _roles(kernel, w["vanak"]) == ["customer"]
    quick = proforma(kernel, boss, w["gaz"], jdate(1405, 1, 1), [line(w["carpet"])], issue=False)
    with kernel.session(boss) as s:
        issuing.convert(kernel, s, boss, quick)
    assert _roles(kernel, w["gaz"]) == ["customer"]
    offer = create_record(kernel, None, "base.partner", kind="person", first_name="نادر", last_name="پیشنهادی")
    proforma(kernel, boss, offer, jdate(1405, 1, 1), [line(w["carpet"])])
    assert _roles(kernel, offer) == ["opportunity"]
    # Shown on the partner, and found by the partner list's role filter.
    c = web_client(kernel, "boss")
    profile = c.get(f"/base/partner/{lead}/profile").text
    assert 'value="customer" checked' in profile and 'value="lead" checked' not in profile
    customers = c.get("/base/partner/?f_role=customer").text
    opportunities = c.get("/base/partner/?f_role=opportunity").text
    assert "سرنخ تازه" in customers and "نادر" not in customers and "نادر" in opportunities
    assert "سرنخ تازه" not in c.get("/base/partner/?f_role=lead").text
