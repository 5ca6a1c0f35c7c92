"""Dashboard blocks that users arrange, the health check, and pages that must not break."""

import re

from starlette.testclient import TestClient

from kernel.testing import create_user, csrf
from kernel.web.app import build_app


def test_user_removes_adds_and_orders_dashboard_blocks(make_kernel, login_as):
    from kernel import Block, hookimpl

    k = make_kernel(migrate=True)

    class Extra:
        @hookimpl
        def register_dashboard_blocks(self):
            return [Block("base_extra.numbers", "Numbers", lambda **kw: "<p>۴۲</p>", sequence=20)]

    k.pm.register(Extra(), name="base_extra")
    k.blocks = k.collect("register_dashboard_blocks", Block, named=lambda b: b.key)
    create_user(k, "sara", admin=True)
    with TestClient(build_app(k)) as c:
        login_as(c, "sara")
        def order():
            return re.findall(r'data-block="([^"]+)"', c.get("/").text)

        def arrange(block, op):
            c.post("/dashboard/arrange", data={"csrf": csrf(c), "block": block, "op": op})

        before = order()
        assert before.index("base.welcome") < before.index("base_extra.numbers")  # by sequence
        arrange("base_extra.numbers", "up")
        after = order()
        assert after.index("base_extra.numbers") == before.index("base_extra.numbers") - 1
        home = c.get("/").text
        arrange("base.welcome", "remove")
        home = c.get("/").text
        assert 'data-block="base.welcome"' not in home and 'value="base.welcome"' in home  # offered to add back
        arrange("base.welcome", "add")
        assert 'data-block="base.welcome"' in c.get("/").text
    # Another user keeps the default layout.
    create_user(k, "reza", admin=True)
    with TestClient(build_app(k)) as c:
        login_as(c, "reza")
        home = c.get("/").text
        assert home.index('data-block="base.welcome"') < home.index('data-block="base_extra.numbers"')


def test_healthz_tells_only_ok_without_login_and_the_modules_to_a_user(kernel, login_as):
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        anonymous = c.get("/healthz").json()
        login_as(c, "admin")
        signed_in = c.get("/healthz").json()
    assert anonymous == {"status": "ok"}
    assert signed_in == {"status": "ok", "modules": ["base"], "edition": "tier1"}


def test_the_favicon_is_served_without_login_and_linked_from_every_page(kernel):
    with TestClient(build_app(kernel)) as c:
        icon = c.get("/favicon.ico", follow_redirects=False)
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
        assert icon.content.startswith(b"<svg")
        linked = re.search(r'<link rel="icon" href="([^"]+)"', c.get("/login").text)
        assert linked and c.get(linked.group(1)).content == icon.content


def test_unknown_pages_and_garbage_input_never_answer_500(kernel, login_as):
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel), raise_server_exceptions=False) as c:
        login_as(c, "admin")
        for path in ("/nope", "/base/province/999999", "/base/province/999999/edit", "/attachments/77",
                     "/base/province/export.docx", "/search?q=" + "٪" * 500, "/base/province/?limit=abc&sort=zzz",
                     "/base/province/?before=%%%", "/api/base/province?after=###"):
            assert c.get(path).status_code < 500, path
        token = csrf(c)
        for path, data in (("/base/province/new", {"name": "x" * 500}), ("/admin/users", {"op": "roles", "id": "x"}),
                           ("/trash", {"resource": "nope", "id": "1", "op": "purge"}),
                           ("/preferences", {"lang": "xx", "money_unit": "dollar"}),
                           ("/admin/roles", {"name": "", "record_scope": "everything"})):
            assert c.post(path, data={"csrf": token, **data}).status_code < 500, path
        bad_json = c.post("/api/base/province", content=b"{not json", headers={"x-csrf-token": token,
                                                                                "content-type": "application/json"})
        assert bad_json.status_code == 400


def test_global_search_merges_module_providers_and_resources(make_kernel, login_as):
    from kernel import SearchHit, SearchProvider, hookimpl

    k = make_kernel()

    class Cards:
        @hookimpl
        def register_search(self):
            def find(session, actor, query, limit):
                return [SearchHit("کارت ۱۲۳۴", "/cards/1234", "Card")] if "1234" in query else []

            return [SearchProvider("base_cards.card", "Cards", find)]

    k.pm.register(Cards(), name="base_cards")
    k.search_providers = k.collect("register_search", SearchProvider, named=lambda s: s.key)
    from kernel.demo import load_demo

    load_demo(k)
    from modules.base.models import Partner

    with k.session() as s:
        s.add(Partner(kind="company", name="اصفهان‌کالا"))
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        hits = c.get("/search", params={"q": "اصفهان", "format": "json"}).json()
        # The partner; provinces and cities are base data that stays out of the search box.
        assert [h["label"] for h in hits] == ["اصفهان‌کالا"] and hits[0]["url"].startswith("/base/partner/")
        hits = c.get("/search", params={"q": "1234", "format": "json"}).json()
        assert [h["url"] for h in hits] == ["/cards/1234"]
        assert "کارت ۱۲۳۴" in c.get("/search", params={"q": "1234"}).text


def test_global_search_an_exact_hit_narrows_to_it_and_offers_everywhere(make_kernel, login_as):
    """Someone who types an ID gets its record, not every record whose text contains the digits;
    the fragment search is one click away (``all=1``)."""
    from kernel import SearchHit, SearchProvider, hookimpl

    k = make_kernel()
    asked: list[str] = []

    class Cards:
        @hookimpl
        def register_search(self):
            def exact(session, actor, query, limit):
                return [SearchHit("کارت ۷۷۸۸۹۹", "/cards/778899", "Card")] if query == "778899" else []

            def fuzzy(session, actor, query, limit):
                asked.append(query)
                return [SearchHit("یادداشت ۷۷۸۸۹۹", "/notes/1", "Note")]

            return [SearchProvider("base_cards.card", "Cards", exact, exact=True),
                    SearchProvider("base_cards.notes", "Notes", fuzzy, sequence=1)]

    k.pm.register(Cards(), name="base_cards")
    k.search_providers = k.collect("register_search", SearchProvider, named=lambda s: s.key)
    from modules.base.models import Partner

    with k.session() as s:
        s.add(Partner(kind="person", name="مشتری ۷۷۸۸۹۹"))
    create_user(k, "admin", admin=True)
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        hits = c.get("/search", params={"q": "778899", "format": "json"}).json()
        assert [h["url"] for h in hits] == ["/cards/778899", "/search?q=778899&all=1"]
        assert hits[-1]["label"] == "جست‌وجوی این نویسه‌ها در همه‌جا" and asked == []
        page = c.get("/search", params={"q": "778899"}).text
        assert "کارت ۷۷۸۸۹۹" in page and 'href="/search?q=778899&amp;all=1"' in page and "مشتری" not in page
        everywhere = c.get("/search", params={"q": "778899", "all": "1", "format": "json"}).json()
        assert {h["label"] for h in everywhere} == {"کارت ۷۷۸۸۹۹", "یادداشت ۷۷۸۸۹۹", "مشتری ۷۷۸۸۹۹"}
        assert asked == ["778899"]
        # No exact hit: the fragment searches answer as before, with nothing to widen.
        other = c.get("/search", params={"q": "7788", "format": "json"}).json()
        assert {h["label"] for h in other} == {"یادداشت ۷۷۸۸۹۹", "مشتری ۷۷۸۸۹۹"}
