"""A hardship case's files (申请材料、病历、走访照片) through HTTP: its officers upload on
the case page or through the shared API route, its officers and its worker download
(each download audited), and everyone else gets the 404 a missing file gets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaoxin.cases.tests.factories import case, liaison, worker
from gaoxin.core import services as core_services
from gaoxin.core.attachments import Attachment
from gaoxin.core.enums import AuditAction
from gaoxin.core.models import AuditEntry

pytestmark = pytest.mark.django_db

KIND = "cases.case"
UNSUPPORTED = "不支持的文件类型：只能上传 PDF、JPG、PNG 或 Office（Word、Excel、PowerPoint）文件"


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "attachments"


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def exe() -> bytes:
    return b"MZ\x90\x00\x03" + b"\x00" * 200


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {core_services.api_token_issue(user=user)}"}


def api_upload(client, user, owner_id, name="申请材料.pdf", data=None, **extra):
    form = {
        "owner_kind": KIND,
        "owner_id": owner_id,
        "file": SimpleUploadedFile(name, data or pdf()),
    }
    form.update(extra)
    return client.post("/api/v1/attachments", data=form, headers=bearer(user))


def page_upload(client, user, case_id, name="病历.pdf", data=None):
    client.force_login(user)
    return client.post(
        reverse("cases:office-case-file", args=[case_id]),
        {"file": SimpleUploadedFile(name, data if data is not None else pdf())},
    )


def downloads(attachment) -> int:
    return AuditEntry.objects.filter(
        zone_id=attachment.zone_id,
        action=AuditAction.DOWNLOAD,
        object_type="core.Attachment",
        object_id=str(attachment.pk),
    ).count()


def files_on_disk(files_dir) -> list:
    """Stored files (a test's transaction never commits, so its upload markers stay)."""
    if not files_dir.exists():
        return []
    return [p for p in files_dir.rglob("*") if p.is_file() and ".pending" not in p.parts]


@pytest.fixture
def setting(zone_a, zone_b, make_user):
    """A case of zone A with its assigned officer and its worker, and the people who
    must not see its files."""
    officer = make_user("officer", zone_a)
    person, own_worker = worker(zone_a)
    c = case(zone_a, officer, person_id=person.pk, title="韦某大病帮扶")
    _, other_worker = worker(zone_a)
    return {
        "case": c,
        "officer": officer,
        "worker": own_worker,
        "outsiders": {
            "unassigned officer": make_user("officer", zone_a),
            "another worker": other_worker,
            "liaison": liaison(zone_a)[0],
            "another zone's officer": make_user("officer", zone_b),
        },
    }


def test_assigned_officer_uploads_on_the_page_and_via_the_api_and_both_are_listed(
    client, setting, files_dir
):
    c, officer = setting["case"], setting["officer"]
    response = page_upload(client, officer, c.pk, name="走访照片.pdf")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "已上传附件：走访照片.pdf" in page and 'id="case-files"' in page

    response = api_upload(client, officer, c.pk, name="申请材料.pdf")
    assert response.status_code == 201, response.content
    assert response.json()["owner_kind"] == KIND and response.json()["owner_id"] == c.pk

    page = client.get(reverse("cases:office-case", args=[c.pk])).content.decode()
    assert "走访照片.pdf" in page and "申请材料.pdf" in page
    listed = client.get(
        "/api/v1/attachments", {"owner_kind": KIND, "owner_id": c.pk}, headers=bearer(officer)
    ).json()
    assert listed["count"] == 2
    detail = client.get(f"/api/v1/cases/{c.pk}", headers=bearer(officer)).json()
    assert [a["filename"] for a in detail["attachments"]] == ["走访照片.pdf", "申请材料.pdf"]
    rows = Attachment.objects.filter(zone_id=c.zone_id, owner_kind=KIND, owner_id=c.pk)
    assert rows.count() == 2 and {r.uploaded_by for r in rows} == {officer}
    assert len(files_on_disk(files_dir)) == 2
    assert (
        AuditEntry.objects.filter(
            zone_id=c.zone_id, action=AuditAction.CREATE, object_type="core.Attachment"
        ).count()
        == 2
    )


def test_officer_and_the_cases_worker_download_and_each_download_is_audited(client, setting):
    c, officer, own = setting["case"], setting["officer"], setting["worker"]
    api_upload(client, officer, c.pk, name="病历.pdf")
    a = Attachment.objects.get(owner_kind=KIND, owner_id=c.pk)

    client.force_login(officer)
    response = client.get(a.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf()
    assert downloads(a) == 1

    client.force_login(own)
    phone = client.get(reverse("cases:m-case", args=[c.pk])).content.decode()
    assert "病历.pdf" in phone and a.url.replace("&", "&amp;") in phone
    response = client.get(a.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf()
    response = client.get(f"/api/v1/attachments/{a.pk}", headers=bearer(own))
    assert response.status_code == 200
    assert downloads(a) == 3
    by_worker = AuditEntry.objects.filter(
        action=AuditAction.DOWNLOAD, object_id=str(a.pk), actor=own
    )
    assert by_worker.count() == 2 and by_worker.first().after["owner_id"] == c.pk

    # The worker reads; only the case's staff add files.
    assert api_upload(client, own, c.pk).status_code == 403
    assert page_upload(client, own, c.pk).status_code == 403
    assert Attachment.objects.count() == 1


def test_nobody_else_downloads_or_uploads(client, setting, files_dir):
    c, officer = setting["case"], setting["officer"]
    api_upload(client, officer, c.pk)
    a = Attachment.objects.get(owner_kind=KIND, owner_id=c.pk)
    for who, user in setting["outsiders"].items():
        client.force_login(user)
        assert client.get(a.url).status_code == 404, who
        api_url = f"/api/v1/attachments/{a.pk}?zone_id={a.zone_id}"
        assert client.get(api_url, headers=bearer(user)).status_code == 404, who
        assert api_upload(client, user, c.pk).status_code == 404, who
        assert api_upload(client, user, c.pk, zone_id=c.zone_id).status_code == 404, who
        listed = client.get(
            "/api/v1/attachments",
            {"owner_kind": KIND, "owner_id": c.pk, "zone_id": c.zone_id},
            headers=bearer(user),
        )
        assert listed.status_code == 404, who
        page = page_upload(client, user, c.pk)
        # Officers without the case: the 404 of a missing case. Workers and liaisons
        # have no office case pages at all (the role gate answers before any lookup).
        assert page.status_code == (404 if "officer" in who else 403), who
    assert downloads(a) == 0
    assert Attachment.objects.count() == 1 and len(files_on_disk(files_dir)) == 1


def test_a_renamed_exe_is_refused_next_to_the_field_and_nothing_is_written(
    client, setting, files_dir
):
    c, officer = setting["case"], setting["officer"]
    response = page_upload(client, officer, c.pk, name="病历.pdf", data=exe())
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="error-file"' in page and UNSUPPORTED in page
    response = page_upload(client, officer, c.pk, name="空的.pdf", data=b"")
    assert (
        response.status_code == 422 and "文件内容为空，请重新选择文件" in response.content.decode()
    )
    response = api_upload(client, officer, c.pk, name="病历.pdf", data=exe())
    assert response.status_code == 422 and response.json()["fields"] == {"file": UNSUPPORTED}
    assert not Attachment.objects.exists()
    assert files_on_disk(files_dir) == []
    assert not AuditEntry.objects.filter(object_type="core.Attachment").exists()
