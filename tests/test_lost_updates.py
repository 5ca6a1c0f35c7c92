"""No lost updates (issue 9, item 2): a save made over a newer version is refused and says
what changed; the API gives an ETag and honours If-Match; PATCH changes only what it sends."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from kernel.testing import create_record, create_user, csrf
from kernel.web.app import build_app

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
_VERSION = re.compile(r'name="_version" value="([^"]+)"')


def _partner(kernel, pid):
    from modules.base.models import Partner

    with kernel.sessions() as s:
        return s.get(Partner, pid)


def _form_fields(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        fields[name] = text
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


@pytest.mark.parametrize("engine", ENGINES)
def test_a_form_saved_over_a_newer_version_is_refused_and_says_what_changed(make_kernel, login_as, engine):
    kernel = make_kernel(engine=engine)
    admin = create_user(kernel, "admin", admin=True)
    create_user(kernel, "sara", perms=("base.partner.*",))
    pid = create_record(kernel, admin, "base.partner", kind="company", name="شرکت آریا", website="aria.ir")
    with TestClient(build_app(kernel)) as first, TestClient(build_app(kernel)) as second:
        login_as(first, "admin")
        login_as(second, "sara")
        # Both open the same partner.
        mine = _form_fields(first.get(f"/base/partner/{pid}/edit").text)
        theirs = _form_fields(second.get(f"/base/partner/{pid}/edit").text)
        assert mine["_version"] == theirs["_version"]
        # Sara saves first: a new website.
        saved = second.post(f"/base/partner/{pid}/edit", data={**theirs, "website": "aria-co.ir"}, follow_redirects=False)
        assert saved.status_code == 303
        # The administrator saves another field over the version they opened: refused.
        refused = first.post(f"/base/partner/{pid}/edit", data={**mine, "economic_code": "411111111111"})
        assert refused.status_code == 409
        assert "کس دیگری پس از باز شدن این فرم" in refused.text
        assert "aria-co.ir" in refused.text and "Sara" in refused.text  # what changed, and who changed it
        assert _partner(kernel, pid).website == "aria-co.ir" and _partner(kernel, pid).economic_code is None
        # The form keeps what the administrator typed, at the newer version: saving again is a choice.
        again = _form_fields(refused.text)
        assert again["economic_code"] == "411111111111" and again["_version"] != mine["_version"]
        # The website the administrator did not touch now shows Sara's, so saving again keeps both.
        assert again["website"] == "aria-co.ir"
        done = first.post(f"/base/partner/{pid}/edit", data=again, follow_redirects=False)
        assert done.status_code == 303
    p = _partner(kernel, pid)
    assert (p.website, p.economic_code) == ("aria-co.ir", "411111111111")


@pytest.mark.parametrize("engine", ENGINES)
def test_the_api_gives_an_etag_and_honours_if_match(make_kernel, login_as, engine):
    kernel = make_kernel(engine=engine)
    admin = create_user(kernel, "admin", admin=True)
    pid = create_record(kernel, admin, "base.partner", kind="company", name="شرکت آریا", website="aria.ir")
    with TestClient(build_app(kernel)) as c:
        login_as(c, "admin")
        c.headers["x-csrf-token"] = csrf(c)
        read = c.get(f"/api/base/partner/{pid}")
        etag = read.headers["etag"]
        # Someone else's change moves the version.
        other = c.patch(f"/api/base/partner/{pid}", json={"website": "aria-co.ir"})
        assert other.status_code == 200 and other.headers["etag"] != etag
        stale = c.patch(f"/api/base/partner/{pid}", json={"phone": "02188776655"}, headers={"if-match": etag})
        assert stale.status_code == 412
        assert stale.json()["changed"] == {"website": "aria-co.ir"}
        assert stale.headers["etag"] == other.headers["etag"]
        fresh = c.patch(f"/api/base/partner/{pid}", json={"phone": "02188776655"}, headers={"if-match": stale.headers["etag"]})
        assert fresh.status_code == 200
        # PATCH changed only the field it sent: the other client's website stays.
        assert fresh.json()["website"] == "aria-co.ir" and fresh.json()["phone"] == "+982188776655"
        # No If-Match: no check (clients that do not send one keep working).
        assert c.patch(f"/api/base/partner/{pid}", json={"website": "aria.ir"}).status_code == 200


def test_two_saves_of_one_version_at_once_cannot_both_pass_on_postgresql(make_kernel):
    """Two API clients PATCH the same version at the same moment: one wins, one gets 412."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from kernel import security
    from kernel.models import User
    from kernel.testing import serving

    kernel = make_kernel(engine="postgresql")
    admin = create_user(kernel, "admin", admin=True)
    pid = create_record(kernel, admin, "base.partner", kind="company", name="شرکت آریا")
    with kernel.session() as s:
        token = security.create_token(s, s.get(User, admin), "t")
    headers = {"authorization": f"Bearer {token}"}
    with serving(kernel) as url:
        etag = httpx.get(f"{url}/api/base/partner/{pid}", headers=headers).headers["etag"]

        def save(n: int) -> int:
            return httpx.patch(f"{url}/api/base/partner/{pid}", json={"website": f"site{n}.ir"},
                               headers={**headers, "if-match": etag}, timeout=30).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = sorted(pool.map(save, range(8)))
    assert codes == [200] + [412] * 7


test_two_saves_of_one_version_at_once_cannot_both_pass_on_postgresql = pytest.mark.postgres(
    test_two_saves_of_one_version_at_once_cannot_both_pass_on_postgresql)
