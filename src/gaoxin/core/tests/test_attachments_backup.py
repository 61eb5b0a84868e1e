"""`gaoxin backup` / `gaoxin restore` carry the attachment files with the rows."""

import io
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from gaoxin.core.attachments import (
    Attachment,
    attach,
    attachment_owner_declare,
    attachment_owner_forget,
)
from gaoxin.core.enums import Role
from gaoxin.core.tests.test_attachments import jpeg, pdf

KIND = "tests.crate"


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path / "data" / "attachments"


@pytest.fixture(autouse=True)
def crate_kind():
    attachment_owner_declare(KIND, label="测试箱", can_view=lambda user, zone_id, owner_id: True)
    yield
    attachment_owner_forget(KIND)


def _put(user, zone, name, data):
    upload = SimpleUploadedFile(name, data)
    return attach(actor=user, zone=zone, owner_kind=KIND, owner_id=1, upload=upload)


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_attachments_restores_rows_and_files(tmp_path, zone_a, make_user, files_dir):
    officer = make_user(Role.OFFICER, zone_a)
    kept = _put(officer, zone_a, "申请书.pdf", pdf())
    kept_path = files_dir / str(zone_a.pk) / kept.storage_name
    backup = tmp_path / "gaoxin.backup"
    out = io.StringIO()
    call_command("backup", str(backup), stdout=out)
    assert "含附件 1 个" in out.getvalue()

    # the world moves on: the file is damaged, a later upload comes
    kept_path.write_bytes(b"damaged")
    later = _put(officer, zone_a, "照片.jpg", jpeg())

    call_command("restore", str(backup), yes=True)
    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert kept_path.read_bytes() == pdf()
    assert not (files_dir / str(zone_a.pk) / later.storage_name).exists()
    assert not any(p.name.startswith(".attachments-") for p in files_dir.parent.iterdir())


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_files_keeps_the_old_format(tmp_path, zone_a):
    import gzip
    import json

    backup = tmp_path / "gaoxin.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    assert isinstance(json.loads(gzip.decompress(backup.read_bytes())), list)


@pytest.mark.parametrize("member", ["../escape", "attachments/1/../../x", "attachments/1/short"])
@pytest.mark.django_db(transaction=True)
def test_an_archive_holding_anything_else_is_refused_and_nothing_changes(
    tmp_path, zone_a, make_user, files_dir, member
):
    officer = make_user(Role.OFFICER, zone_a)
    kept = _put(officer, zone_a, "申请书.pdf", pdf())
    backup = tmp_path / "gaoxin.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    with tarfile.open(backup, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar]
    with tarfile.open(backup, "w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data))
        evil = tarfile.TarInfo(member)
        evil.size = 3
        tar.addfile(evil, io.BytesIO(b"bad"))
    with pytest.raises(CommandError, match="不是有效的 gaoxin 备份文件"):
        call_command("restore", str(backup), yes=True)
    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert (files_dir / str(zone_a.pk) / kept.storage_name).read_bytes() == pdf()
    assert not (tmp_path / "escape").exists()
    assert not any(p.name.startswith(".attachments-") for p in files_dir.parent.iterdir())
