"""Attachments, built once for every program: see core/README.md ("Attachments").

attachment_owner_declare("cases.case", label=_("帮扶案件"), can_view=…)  # AppConfig.ready
attach(actor=…, zone=…, owner_kind="cases.case", owner_id=case.pk, upload=request.FILES["file"])
attachments_of(zone_id=…, owner_kind="cases.case", owner_id=case.pk)
attachment_url(attachment)  # the download page; GET /api/v1/attachments/{id} for the API
"""

from gaoxin.core.attachments.models import Attachment
from gaoxin.core.attachments.owners import attachment_owner_declare, attachment_owner_forget
from gaoxin.core.attachments.selectors import attachments_of, attachments_visible
from gaoxin.core.attachments.services import (
    attach,
    attachment_open,
    attachment_url,
    attachments_sweep,
)
from gaoxin.core.attachments.uploads import (
    AttachmentField,
    clean_filename,
    max_bytes,
    upload_problem,
)

__all__ = [
    "Attachment",
    "AttachmentField",
    "attach",
    "attachment_open",
    "attachment_owner_declare",
    "attachment_owner_forget",
    "attachment_url",
    "attachments_of",
    "attachments_sweep",
    "attachments_visible",
    "clean_filename",
    "max_bytes",
    "upload_problem",
]
