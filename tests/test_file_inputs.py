"""Issue 10: file inputs speak the page's language. The attachment, photo, import and logo
forms use kernel/file_input.html: a Persian label for a visually hidden (still focusable) input,
never the browser's English "Choose File / No file chosen"."""

import re

from starlette.testclient import TestClient

from kernel.testing import create_user
from kernel.web.app import build_app


def file_inputs(html: str) -> list[str]:
    return re.findall(r"<input [^>]*type=\"file\"[^>]*>", html)


def test_every_upload_form_has_a_persian_label_for_its_file_input(make_kernel, login_as):
    from modules.base.models import Partner

    k = make_kernel()
    create_user(k, "admin", admin=True)
    with k.session() as s:
        p = Partner(kind="person", name="علی رضایی", first_name="علی", last_name="رضایی")
        s.add(p)
        s.flush()
        pid = p.id
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        for url in (f"/base/partner/{pid}", f"/base/partner/{pid}/profile", "/base/import/", "/admin/settings"):
            page = c.get(url).text
            inputs = file_inputs(page)
            assert inputs, url
            for tag in inputs:
                input_id = re.search(r'id="([^"]+)"', tag)
                assert input_id and 'class="file-pick-input"' in tag, (url, tag)
                assert f'<label for="{input_id.group(1)}" class="button file-pick-button">انتخاب فایل</label>' in page, url
            assert "فایلی انتخاب نشده است" in page, url
