"""A person's photo (BASE-01): an image attachment marked as the photo, checked by its content,
shown on the profile and the record page, and offered to other modules by photo_url()."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.models import Attachment
from kernel.testing import create_record, create_user, csrf
from kernel.web.app import build_app
from modules.base.models import Partner
from modules.base.services.photo import photo_url

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def admin(kernel: Any, login_as: Any) -> Any:
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        yield login_as(c, "admin")


def test_upload_a_photo_and_see_it_on_the_profile_and_the_record_page(kernel: Any, admin: Any) -> None:
    pid = create_record(kernel, None, "base.partner", kind="person", first_name="علی", last_name="رضایی")
    url = f"/base/partner/{pid}/profile"
    token = csrf(admin, url)
    resp = admin.post(f"/base/partner/{pid}/photo", data={"csrf": token},
                      files={"file": ("ali.png", PNG, "image/png")}, follow_redirects=False)
    assert resp.status_code == 303
    with kernel.sessions() as s:
        att = s.scalars(select(Attachment)).one()
        assert s.get(Partner, pid).photo_attachment_id == att.id
        assert photo_url(s, pid) == f"/attachments/{att.id}?inline=1"
    assert f'class="partner-photo" src="/attachments/{att.id}?inline=1"' in admin.get(url).text
    assert f'src="/attachments/{att.id}?inline=1"' in admin.get(f"/base/partner/{pid}").text
    served = admin.get(f"/attachments/{att.id}?inline=1")
    assert served.status_code == 200 and served.content == PNG and served.headers["content-type"] == "image/png"
    # The photo is also an ordinary attachment of the partner (listed, removable on the record page).
    assert "ali.png" in admin.get(f"/base/partner/{pid}").text
    # Removing the mark keeps the file.
    admin.post(f"/base/partner/{pid}/photo/clear", data={"csrf": token})
    with kernel.sessions() as s:
        assert photo_url(s, pid) is None and s.get(Attachment, att.id).deleted_at is None


def test_only_images_can_be_the_photo(kernel: Any, admin: Any) -> None:
    pid = create_record(kernel, None, "base.partner", kind="person", first_name="علی", last_name="رضایی")
    token = csrf(admin, f"/base/partner/{pid}/profile")
    only_images = "فقط یک تصویر (PNG، JPEG، GIF یا WebP) می‌تواند عکس باشد"
    for name, content in (("cv.pdf", b"%PDF-1.4 ..."), ("fake.png", b"%PDF-1.4 not a png"), ("x.png", b"")):
        resp = admin.post(f"/base/partner/{pid}/photo", data={"csrf": token}, files={"file": (name, content, "image/png")})
        message = kernel.t("fa", "Choose a file") if not content else only_images
        assert resp.status_code == 200 and message in resp.text, name
    # An existing PDF attachment cannot be chosen either.
    upload = admin.post("/attachments", data={"csrf": token, "resource": "base.partner", "record_id": str(pid)},
                        files={"file": ("cv.pdf", b"%PDF-1.4 ...", "application/pdf")}, follow_redirects=False)
    assert upload.status_code == 303
    with kernel.sessions() as s:
        pdf = s.scalars(select(Attachment)).one()
    resp = admin.post(f"/base/partner/{pid}/photo", data={"csrf": token, "attachment_id": str(pdf.id)})
    assert only_images in resp.text
    with kernel.sessions() as s:
        assert s.get(Partner, pid).photo_attachment_id is None


def test_an_attached_image_is_chosen_and_another_partners_is_refused(kernel: Any, admin: Any) -> None:
    pid = create_record(kernel, None, "base.partner", kind="person", first_name="علی", last_name="رضایی")
    other = create_record(kernel, None, "base.partner", kind="person", first_name="مریم", last_name="کریمی")
    token = csrf(admin, f"/base/partner/{pid}/profile")
    for target in (pid, other):
        admin.post("/attachments", data={"csrf": token, "resource": "base.partner", "record_id": str(target)},
                   files={"file": (f"p{target}.png", PNG + bytes([target]), "image/png")})
    with kernel.sessions() as s:
        mine, theirs = (s.scalars(select(Attachment.id).where(Attachment.record_id == t)).one() for t in (pid, other))
    assert f'<option value="{mine}"' in admin.get(f"/base/partner/{pid}/profile").text
    admin.post(f"/base/partner/{pid}/photo", data={"csrf": token, "attachment_id": str(theirs)})
    with kernel.sessions() as s:
        assert photo_url(s, pid) is None
    admin.post(f"/base/partner/{pid}/photo", data={"csrf": token, "attachment_id": str(mine)})
    with kernel.sessions() as s:
        assert photo_url(s, pid) == f"/attachments/{mine}?inline=1"
    # A deleted attachment is no longer the photo.
    admin.post(f"/attachments/{mine}/delete", data={"csrf": token})
    with kernel.sessions() as s:
        assert photo_url(s, pid) is None
