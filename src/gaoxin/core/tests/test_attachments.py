"""Attachments through HTTP: upload (the shared route), download (page and API), who may
see what, and what is refused. A tiny owner kind ("tests.thing") is declared here the way
a program declares its own in AppConfig.ready."""

import hashlib
import io
import struct
import zipfile
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gaoxin.core.attachments import (
    Attachment,
    attachment_owner_declare,
    attachment_owner_forget,
    attachment_url,
)
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.models import AuditEntry

pytestmark = pytest.mark.django_db

KIND = "tests.thing"
HIDDEN_OWNER = 999  # a record nobody may see
LOOKED_ONLY = 777  # a record users may see but not attach to


def _can_view(user, zone_id, owner_id):
    same_zone = user.spans_zones or user.zone_id == zone_id
    return same_zone and owner_id != HIDDEN_OWNER and not user.username.startswith("blind")


def _can_attach(user, zone_id, owner_id):
    return owner_id != LOOKED_ONLY


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "attachments"


@pytest.fixture(autouse=True)
def thing_kind():
    attachment_owner_declare(KIND, label="测试记录", can_view=_can_view, can_attach=_can_attach)
    yield
    attachment_owner_forget(KIND)


# ---------------------------------------------------------------- minimal valid files


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, format="PNG")
    return out.getvalue()


def ooxml(part: str, *, content_types: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<x/>")
    return out.getvalue()


def xlsx_by_openpyxl() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def ole2(*streams: str) -> bytes:
    """A compound file ([MS-CFB], 512-byte sectors): sector 0 the FAT, sector 1 the
    directory (root + the named empty streams, chained as right siblings)."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, right, child)
        struct.pack_into("<II", raw, 116, end, 0)
        return bytes(raw)

    entries = [entry("Root Entry", 5, free, 1 if streams else free)]
    for i, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, i + 1 if i < len(streams) else free, free))
    directory = b"".join(entries).ljust(512, b"\0")
    return bytes(header) + fat + directory


ACCEPTED = [
    ("申请.pdf", pdf, "application/pdf"),
    ("照片.jpg", jpeg, "image/jpeg"),
    ("截图.png", png, "image/png"),
    (
        "说明.docx",
        lambda: ooxml("word/document.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "台账.xlsx",
        xlsx_by_openpyxl,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "汇报.pptx",
        lambda: ooxml("ppt/presentation.xml"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("旧文档.doc", lambda: ole2("\x01CompObj", "WordDocument"), "application/msword"),
    ("旧表格.xls", lambda: ole2("Workbook"), "application/vnd.ms-excel"),
    ("旧幻灯.ppt", lambda: ole2("PowerPoint Document"), "application/vnd.ms-powerpoint"),
]

UNSUPPORTED = "不支持的文件类型：只能上传 PDF、JPG、PNG 或 Office（Word、Excel、PowerPoint）文件"
REFUSED = [
    ("程序.pdf", lambda: b"MZ\x90\x00\x03" + b"\x00" * 200, UNSUPPORTED),
    ("页面.pdf", lambda: b"<!DOCTYPE html><script>alert(1)</script>", UNSUPPORTED),
    ("压缩包.zip", lambda: ooxml("readme.txt", content_types=False), UNSUPPORTED),
    ("改名.docx", lambda: ooxml("word/document.xml", content_types=False), UNSUPPORTED),
    ("无部件.docx", lambda: ooxml("other/x.xml"), UNSUPPORTED),
    ("坏压缩.docx", lambda: b"PK\x03\x04" + b"\x00" * 100, UNSUPPORTED),
    ("安装包.doc", lambda: ole2("\x05SummaryInformation"), UNSUPPORTED),
    ("残缺.xls", lambda: ole2("Workbook")[:600], UNSUPPORTED),
    ("空的.pdf", lambda: b"", "文件内容为空，请重新选择文件"),
]


# ---------------------------------------------------------------- helpers


@pytest.fixture
def officer_a(make_user, zone_a):
    return make_user(Role.OFFICER, zone_a)


@pytest.fixture
def officer_b(make_user, zone_b):
    return make_user(Role.OFFICER, zone_b)


def upload(client, user, name: str, data: bytes, *, owner_id=1, zone_id=None, kind=KIND):
    from gaoxin.core import services

    token = services.api_token_issue(user=user)
    form = {"owner_kind": kind, "owner_id": owner_id, "file": SimpleUploadedFile(name, data)}
    if zone_id is not None:
        form["zone_id"] = zone_id
    return client.post(
        "/api/v1/attachments", data=form, headers={"Authorization": f"Bearer {token}"}
    )


def api_get(client, user, path):
    from gaoxin.core import services

    token = services.api_token_issue(user=user)
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def downloads(attachment) -> int:
    return AuditEntry.objects.filter(
        zone_id=attachment.zone_id,
        action=AuditAction.DOWNLOAD,
        object_type="core.Attachment",
        object_id=str(attachment.pk),
    ).count()


@pytest.fixture
def stored(client, officer_a):
    """One PDF of record 1 in zone A, uploaded by zone A's officer."""
    response = upload(client, officer_a, "困难职工申请表.pdf", pdf())
    assert response.status_code == 201, response.content
    return Attachment.objects.get(pk=response.json()["id"])


# ---------------------------------------------------------------- upload


@pytest.mark.parametrize(("name", "make", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_accepted_type_is_stored_by_its_signature(
    client, officer_a, zone_a, files_dir, name, make, content_type
):
    data = make()
    response = upload(client, officer_a, name, data)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["content_type"] == content_type
    assert out["filename"] == name
    assert out["size"] == len(data)
    assert out["sha256"] == hashlib.sha256(data).hexdigest()
    row = Attachment.objects.get(pk=out["id"])
    assert (row.zone_id, row.owner_kind, row.owner_id, row.uploaded_by) == (
        zone_a.pk,
        KIND,
        1,
        officer_a,
    )
    on_disk = files_dir / str(zone_a.pk) / row.storage_name
    assert on_disk.read_bytes() == data
    assert name not in str(on_disk)  # the user's name is never a path
    entry = AuditEntry.objects.get(
        zone_id=zone_a.pk, action=AuditAction.CREATE, object_type="core.Attachment"
    )
    assert entry.actor == officer_a and entry.after["owner_id"] == 1


@pytest.mark.parametrize(("name", "make", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_anything_else_is_refused_in_chinese_and_nothing_is_kept(
    client, officer_a, files_dir, name, make, message
):
    response = upload(client, officer_a, name, make())
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["fields"] == {"file": message}
    assert not Attachment.objects.exists()
    leftovers = [p for p in files_dir.rglob("*") if p.is_file()] if files_dir.exists() else []
    assert leftovers == []


def test_a_file_over_the_limit_is_refused_naming_the_limit(client, officer_a, settings):
    settings.GAOXIN_ATTACHMENT_MAX_BYTES = 1024
    assert upload(client, officer_a, "刚好.pdf", pdf().ljust(1024, b" ")).status_code == 201
    response = upload(client, officer_a, "太大.pdf", pdf().ljust(1025, b" "))
    assert response.status_code == 422
    assert response.json()["fields"] == {"file": "文件不能超过 1 KB"}
    assert Attachment.objects.count() == 1


def test_the_default_limit_is_ten_megabytes(client, officer_a):
    from gaoxin.core.attachments.uploads import max_bytes, too_large_message

    assert max_bytes() == 10 * 1024 * 1024
    assert too_large_message() == "文件不能超过 10 MB"
    response = upload(client, officer_a, "大.pdf", pdf().ljust(10 * 1024 * 1024 + 1, b" "))
    assert response.json()["fields"] == {"file": "文件不能超过 10 MB"}


def test_the_upload_reads_no_more_than_the_limit_plus_one_byte(settings, tmp_path):
    from gaoxin.core.attachments.uploads import copy_checked
    from gaoxin.core.errors import InvalidInput

    settings.GAOXIN_ATTACHMENT_MAX_BYTES = 100

    class Counting(io.BytesIO):
        read_total = 0

        def read(self, n=-1):
            data = super().read(n)
            Counting.read_total += len(data)
            return data

    source = Counting(pdf().ljust(5000, b" "))
    with open(tmp_path / "scratch", "wb+") as dest, pytest.raises(InvalidInput):
        copy_checked(source, dest)
    assert Counting.read_total == 101


def test_a_missing_file_is_named(client, officer_a):
    from gaoxin.core import services

    token = services.api_token_issue(user=officer_a)
    response = client.post(
        "/api/v1/attachments",
        data={"owner_kind": KIND, "owner_id": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"file": "请选择要上传的文件"}


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\报告.pdf", "报告.pdf"),
        ("关爱小候鸟 2026 报名表.PDF", "关爱小候鸟 2026 报名表.pdf"),
        ("页面.html", "页面.html.pdf"),
        ("...", "附件.pdf"),
        ('a<b>:"c"|?*\x00\x1f.pdf', "abc.pdf"),
        ("申请\u202efdp.exe", "申请fdp.exe.pdf"),
        ("长" * 300 + ".pdf", "长" * 196 + ".pdf"),
    ],
)
def test_names_lose_folders_and_tricks_and_keep_chinese(client, officer_a, files_dir, name, kept):
    response = upload(client, officer_a, name, pdf())
    assert response.status_code == 201, response.content
    assert response.json()["filename"] == kept
    files = [p for p in files_dir.rglob("*") if p.is_file() and p.parent.name != ".pending"]
    assert len(files) == 1 and files[0].parent.parent == files_dir


def test_upload_to_a_record_the_user_cannot_see_is_not_found(client, officer_a, officer_b, zone_a):
    assert upload(client, officer_a, "a.pdf", pdf(), owner_id=HIDDEN_OWNER).status_code == 404
    # another zone's account naming zone A: the zone itself is not found
    assert upload(client, officer_b, "a.pdf", pdf(), zone_id=zone_a.pk).status_code == 404
    assert upload(client, officer_a, "a.pdf", pdf(), kind="tests.undeclared").status_code == 404
    assert not Attachment.objects.exists()


def test_the_shared_route_needs_the_kinds_permission_to_attach(client, officer_a):
    response = upload(client, officer_a, "a.pdf", pdf(), owner_id=LOOKED_ONLY)
    assert response.status_code == 403
    attachment_owner_declare("tests.quiet", label="无共用上传", can_view=_can_view)
    try:
        assert upload(client, officer_a, "a.pdf", pdf(), kind="tests.quiet").status_code == 404
    finally:
        attachment_owner_forget("tests.quiet")
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("owner_id", [0, -1, 2**63, "abc"])
def test_owner_ids_are_range_checked(client, officer_a, owner_id):
    response = upload(client, officer_a, "a.pdf", pdf(), owner_id=owner_id)
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"owner_id"}


# ---------------------------------------------------------------- download


def test_api_download_streams_the_file_with_safe_headers_and_is_audited(client, officer_a, stored):
    assert downloads(stored) == 0
    response = api_get(client, officer_a, f"/api/v1/attachments/{stored.pk}")
    assert response.status_code == 200
    assert body(response) == pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "困难职工申请表.pdf"
    assert downloads(stored) == 1
    api_get(client, officer_a, f"/api/v1/attachments/{stored.pk}")
    assert downloads(stored) == 2
    entry = AuditEntry.objects.filter(action=AuditAction.DOWNLOAD).first()
    assert entry.actor == officer_a
    assert entry.after["owner_kind"] == KIND and entry.after["owner_id"] == 1
    assert entry.after["filename"] == "困难职工申请表.pdf"


def test_the_page_download_serves_office_and_phone_sessions(
    client, officer_a, make_user, zone_a, stored
):
    url = attachment_url(stored)
    assert url == f"/office/files/{stored.pk}/?zone_id={zone_a.pk}"
    for user in (officer_a, make_user(Role.WORKER, zone_a)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert body(response) == pdf()
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        client.logout()
    assert downloads(stored) == 2


def test_a_cross_zone_admin_downloads_through_the_url_that_names_the_zone(
    client, make_user, stored
):
    admin = make_user(None, None, superuser=True)
    client.force_login(admin)
    assert client.get(attachment_url(stored)).status_code == 200
    assert client.get(f"/office/files/{stored.pk}/").status_code == 404  # no zone named
    assert api_get(client, admin, f"/api/v1/attachments/{stored.pk}").status_code == 422
    assert downloads(stored) == 1


def test_refused_by_the_owner_is_the_same_404_as_missing(client, make_user, zone_a, stored):
    blind = make_user(Role.OFFICER, zone_a, username="blind-officer")
    missing = api_get(client, blind, f"/api/v1/attachments/{stored.pk + 1000}")
    refused = api_get(client, blind, f"/api/v1/attachments/{stored.pk}")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    client.force_login(blind)
    assert client.get(attachment_url(stored)).status_code == 404
    assert downloads(stored) == 0


def test_a_record_hidden_later_takes_its_files_with_it(client, officer_a, stored):
    Attachment.objects.filter(pk=stored.pk).update(owner_id=HIDDEN_OWNER)
    assert api_get(client, officer_a, f"/api/v1/attachments/{stored.pk}").status_code == 404


def test_anonymous_gets_nothing(client, stored):
    assert client.get(f"/api/v1/attachments/{stored.pk}").status_code == 401
    response = client.get(attachment_url(stored))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert downloads(stored) == 0


@pytest.mark.parametrize(
    "path", ["/office/files/{pk}/?zone_id=abc", "/office/files/{pk}/?zone_id=99999999999999999999"]
)
def test_nonsense_zones_on_the_page_are_not_found(client, officer_a, stored, path):
    client.force_login(officer_a)
    assert client.get(path.format(pk=stored.pk)).status_code == 404


@pytest.mark.parametrize("pk", ["0", "9223372036854775808", "99999999999999999999"])
def test_ids_no_row_can_have_are_not_found(client, officer_a, pk):
    client.force_login(officer_a)
    assert client.get(f"/office/files/{pk}/").status_code == 404
    assert api_get(client, officer_a, f"/api/v1/attachments/{pk}").status_code in (404, 422)


def test_a_file_missing_on_disk_is_not_found_not_a_crash(client, officer_a, files_dir, stored):
    (files_dir / str(stored.zone_id) / stored.storage_name).unlink()
    assert api_get(client, officer_a, f"/api/v1/attachments/{stored.pk}").status_code == 404
    assert downloads(stored) == 0


# ---------------------------------------------------------------- zone isolation matrix

USERS = ["officer@a", "worker@a", "officer@b", "worker@b", "superuser", "blind@a"]


@pytest.fixture
def people(make_user, zone_a, zone_b):
    return {
        "officer@a": make_user(Role.OFFICER, zone_a),
        "worker@a": make_user(Role.WORKER, zone_a),
        "officer@b": make_user(Role.OFFICER, zone_b),
        "worker@b": make_user(Role.WORKER, zone_b),
        "superuser": make_user(None, None, superuser=True),
        "blind@a": make_user(Role.OFFICER, zone_a, username="blind-a"),
    }


@pytest.mark.parametrize("surface", ["api", "page"])
@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("where", ["zone_a", "zone_b"])
def test_isolation_matrix(client, people, request, who, where, surface):
    zone = request.getfixturevalue(where)
    owner = people["officer@a" if where == "zone_a" else "officer@b"]
    created = upload(client, owner, "名单.pdf", pdf())
    assert created.status_code == 201
    attachment = Attachment.objects.get(pk=created.json()["id"])
    user = people[who]
    own_zone = user.zone_id == zone.pk
    allowed = (own_zone or who == "superuser") and not who.startswith("blind")
    if surface == "api":
        response = api_get(client, user, f"/api/v1/attachments/{attachment.pk}?zone_id={zone.pk}")
    else:
        client.force_login(user)
        response = client.get(attachment_url(attachment))
    assert response.status_code == (200 if allowed else 404)
    assert downloads(attachment) == (1 if allowed else 0)


# ---------------------------------------------------------------- list


def test_a_records_list_is_paged_and_guarded(client, officer_a, officer_b, zone_a, stored):
    upload(client, officer_a, "第二份.png", png())
    upload(client, officer_a, "别的记录.pdf", pdf(), owner_id=2)
    response = api_get(client, officer_a, f"/api/v1/attachments?owner_kind={KIND}&owner_id=1")
    assert response.status_code == 200
    out = response.json()
    assert out["count"] == 2
    assert [i["filename"] for i in out["items"]] == ["困难职工申请表.pdf", "第二份.png"]
    assert out["items"][0]["url"] == attachment_url(stored)
    assert out["items"][0]["download_url"].startswith(f"/api/v1/attachments/{stored.pk}?")
    hidden = api_get(client, officer_a, f"/api/v1/attachments?owner_kind={KIND}&owner_id=999")
    assert hidden.status_code == 404
    other = api_get(
        client, officer_b, f"/api/v1/attachments?owner_kind={KIND}&owner_id=1&zone_id={zone_a.pk}"
    )
    assert other.status_code == 404
