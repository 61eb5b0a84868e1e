"""Each pipeline step carries its resolution or document as a file (core attachments):
the zone's party officer uploads it on the candidate's page and downloads it (audited);
a file that is not a document is refused next to the field with nothing kept; an
instructor, or another zone's officer, neither sees nor adds a step's files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaoxin.core.attachments.models import Attachment
from gaoxin.core.enums import AuditAction
from gaoxin.core.models import AuditEntry
from gaoxin.core.services import api_token_issue
from gaoxin.party.tests.factories import candidate

pytestmark = pytest.mark.django_db

KIND = "party.stagerecord"


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "attachments"


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def _upload(client, c, record, name="支部大会决议.pdf", data=None):
    url = reverse("party:office-step-file", args=[c.pk, record.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data or pdf())})


def test_officer_attaches_a_steps_document_and_downloads_it(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    c = candidate(zone_a)
    record = c.records.get()
    client.force_login(officer)
    refused = _upload(client, c, record, name="决议.exe", data=b"MZ\x90\x00" + b"\x00" * 100)
    assert refused.status_code == 422
    assert f'id="error-file-{record.pk}"' in refused.content.decode()
    assert not Attachment.objects.exists()

    done = _upload(client, c, record)
    assert done.status_code == 302
    page = client.get(reverse("party:office-candidate", args=[c.pk])).content.decode()
    assert "支部大会决议.pdf" in page
    stored = Attachment.objects.get(owner_kind=KIND, owner_id=record.pk)
    got = client.get(stored.url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == pdf()
    assert AuditEntry.objects.filter(
        action=AuditAction.DOWNLOAD, object_type="core.Attachment", object_id=str(stored.pk)
    ).exists()


@pytest.mark.parametrize("who", ["instructor", "other-zone officer"])
def test_others_neither_see_nor_add_a_steps_files(client, zone_a, zone_b, make_user, who):
    c = candidate(zone_a)
    record = c.records.get()
    officer = make_user("officer", zone_a)
    client.force_login(officer)
    assert _upload(client, c, record).status_code == 302
    stored = Attachment.objects.get()
    stranger = (
        make_user("instructor", zone_a) if who == "instructor" else make_user("officer", zone_b)
    )
    client.force_login(stranger)
    assert _upload(client, c, record).status_code in (403, 404)
    assert client.get(stored.url).status_code == 404
    headers = {"Authorization": f"Bearer {api_token_issue(user=stranger)}"}
    listed = client.get(
        "/api/v1/attachments",
        {"owner_kind": KIND, "owner_id": record.pk, "zone_id": zone_a.pk},
        headers=headers,
    )
    assert listed.status_code in (403, 404)
    posted = client.post(
        "/api/v1/attachments",
        {"owner_kind": KIND, "owner_id": record.pk, "file": SimpleUploadedFile("x.pdf", pdf())},
        headers=headers,
    )
    assert posted.status_code in (403, 404)
    assert Attachment.objects.count() == 1
