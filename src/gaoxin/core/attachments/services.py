"""Storing an attachment and handing one out: the only writes (files, rows, audit).

A file is written under its final name before its row (temp file + rename, so a
reader never sees half a file). Until the row commits a marker names it in
`attachments/.pending/`: the commit removes the marker; a rollback leaves it, and
`attachments_sweep` (run before every upload) deletes the file the marker names when
no row ever came. So a rolled-back upload leaves neither a row nor, for long, a file.
"""

import datetime as dt
import logging
import os
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.attachments import owners
from gaoxin.core.attachments.models import Attachment
from gaoxin.core.attachments.owners import may_view
from gaoxin.core.attachments.uploads import clean_filename, copy_checked
from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Forbidden, NotFound
from gaoxin.core.models import User, Zone

logger = logging.getLogger("gaoxin.attachments")

PENDING = ".pending"
ID_MAX = 2**63 - 1
SWEEP_AFTER = dt.timedelta(hours=1)  # longer than any upload's transaction


def root() -> Path:
    return Path(settings.DATA_DIR) / "attachments"


def stored_path(attachment: Attachment) -> Path:
    return root() / str(attachment.zone_id) / attachment.storage_name


def attachment_url(attachment: Attachment) -> str:
    """The download page of one attachment: its id and zone, nothing personal."""
    url = reverse("core:attachment", args=[attachment.pk])
    return f"{url}?{urlencode({'zone_id': attachment.zone_id})}"


def attach(
    *,
    actor: User,
    zone: Zone,
    owner_kind: str,
    owner_id: int,
    upload: UploadedFile,
    field: str = "file",
) -> Attachment:
    """Checks can_view(actor, …) of the owner (NotFound if not), size limit, signature;
    stores the file, writes the row, audits CREATE. InvalidInput({field: 中文}) on bad file."""
    declared = owners.owner_kind_declared(owner_kind)
    if not may_view(actor, kind=owner_kind, zone_id=zone.pk, owner_id=owner_id):
        raise NotFound()
    attachments_sweep()
    folder = root() / str(zone.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (root() / PENDING).mkdir(parents=True, exist_ok=True)
    storage_name = uuid.uuid4().hex
    marker = root() / PENDING / f"{zone.pk}-{storage_name}"
    # Written beside the markers, so a process killed mid-write leaves nothing the sweep misses.
    final, temp = folder / storage_name, marker.with_name(marker.name + ".part")
    try:
        with open(temp, "wb+") as out:
            checked = copy_checked(upload, out, field=field)
            os.fsync(out.fileno())
        marker.touch()
        os.replace(temp, final)
        with transaction.atomic():
            attachment = Attachment.objects.create(
                zone=zone,
                owner_kind=owner_kind,
                owner_id=owner_id,
                filename=clean_filename(getattr(upload, "name", ""), checked.type),
                content_type=checked.type.content_type,
                size=checked.size,
                sha256=checked.sha256,
                storage_name=storage_name,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
                uploaded_at=timezone.now(),
            )
            audit_record(
                zone=zone,
                actor=actor,
                action=AuditAction.CREATE,
                obj=attachment,
                after=_facts(attachment, declared.label),
                note=f"{declared.label} #{owner_id}",
            )
            transaction.on_commit(lambda: marker.unlink(missing_ok=True))
    except BaseException:
        for path in (temp, final, marker):
            path.unlink(missing_ok=True)
        raise
    return attachment


def attach_checked(
    *, actor: User, zone: Zone, owner_kind: str, owner_id: int, upload: UploadedFile, field="file"
) -> Attachment:
    """The shared upload route's path: only kinds that declared `can_attach` take it."""
    declared = owners.owner_kind(owner_kind)
    if declared is None or declared.can_attach is None:
        raise NotFound()
    if not may_view(actor, kind=owner_kind, zone_id=zone.pk, owner_id=owner_id):
        raise NotFound()
    if not declared.can_attach(actor, zone.pk, owner_id):
        raise Forbidden()
    return attach(
        actor=actor, zone=zone, owner_kind=owner_kind, owner_id=owner_id, upload=upload, field=field
    )


def attachment_open(*, actor: User, zone: Zone, pk: int):
    """(attachment, open binary file) for a download, audited. Missing, another zone's,
    or an owner `actor` may not see: all NotFound, the same answer."""
    if not 0 < pk <= ID_MAX:  # a number no row can have (and PostgreSQL's bigint cannot hold)
        raise NotFound()
    attachment = Attachment.objects.filter(zone_id=zone.pk, pk=pk).first()
    if attachment is None or not may_view(
        actor, kind=attachment.owner_kind, zone_id=zone.pk, owner_id=attachment.owner_id
    ):
        raise NotFound()
    try:
        handle = open(stored_path(attachment), "rb")  # noqa: SIM115  (the response closes it)
    except FileNotFoundError:
        logger.error("attachment %s of zone %s has no file on disk", attachment.pk, zone.pk)
        raise NotFound() from None
    try:
        declared = owners.owner_kind(attachment.owner_kind)
        label = declared.label if declared else attachment.owner_kind
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.DOWNLOAD,
            obj=attachment,
            after=_facts(attachment, label),
            note=f"{label} #{attachment.owner_id}",
        )
    except BaseException:
        handle.close()
        raise
    return attachment, handle


def _facts(attachment: Attachment, label: str) -> dict:
    return {
        "owner_kind": attachment.owner_kind,
        "owner": str(label),
        "owner_id": attachment.owner_id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def attachments_sweep(*, older_than: dt.timedelta = SWEEP_AFTER) -> int:
    """Delete files of uploads whose row never committed (see the module docstring);
    returns how many. A marker whose row exists (a crash between commit and unlink)
    is only removed."""
    pending = root() / PENDING
    if not pending.is_dir():
        return 0
    cutoff = timezone.now().timestamp() - older_than.total_seconds()
    removed = 0
    for marker in pending.iterdir():
        try:
            if marker.stat().st_mtime > cutoff:
                continue
        except FileNotFoundError:
            continue
        zone_id, _, storage_name = marker.name.partition("-")
        if not zone_id.isdigit() or len(storage_name) != 32:  # a half-written upload's .part
            marker.unlink(missing_ok=True)
            continue
        if not Attachment.objects.filter(zone_id=int(zone_id), storage_name=storage_name).exists():
            (root() / zone_id / storage_name).unlink(missing_ok=True)
            removed += 1
        marker.unlink(missing_ok=True)
    return removed
