"""The older finance pages (documents' actions, the line editor, the follow-up, paying commissions)
answer a missing record, or one outside the user's scope, with the kernel's 404 page in the user's
language — English for an English-speaking user — never a bare Persian text (issue 12)."""

from __future__ import annotations

from typing import Any

from kernel.testing import create_record, create_user, csrf
from modules.finance.tests.finance_helpers import PERMS, jdate


def test_missing_and_out_of_scope_records_get_the_kernels_pages(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    create_user(k, "anna", perms=(*PERMS, "finance.proforma.convert", "finance.commission.pay"), scope="own",
                lang="en")
    customer = create_record(k, None, "base.partner", kind="company", name="فرش کاشان")
    theirs = create_record(k, None, "finance.proforma", partner_id=customer, date=jdate(1405, 2, 1))
    c = web_client(k, "anna")
    token = csrf(c, "/finance/proforma/")
    for rid in (999_999, theirs):  # missing, and someone else's (outside "own records")
        pages = [("GET", f"/finance/proforma/{rid}/lines"), ("GET", f"/finance/proforma/{rid}/follow-up"),
                 ("GET", f"/finance/invoice/{rid}/void"), ("POST", f"/finance/invoice/{rid}/void"),
                 ("POST", f"/finance/proforma/{rid}/issue"), ("POST", f"/finance/proforma/{rid}/cancel"),
                 ("POST", f"/finance/proforma/{rid}/follow-up"), ("POST", f"/finance/proforma/{rid}/follow-up/cancel")]
        for method, url in pages:
            r = c.request(method, url, data={"csrf": token, "reason": "x"} if method == "POST" else None, follow_redirects=False)
            assert r.status_code == 404, (url, r.status_code)
            assert "Not found" in r.text and "پیدا نشد" not in r.text and "<html" in r.text.lower(), url
