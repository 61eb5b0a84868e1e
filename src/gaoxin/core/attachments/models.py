"""The one attachment table every program's records share.

A row names its owner by kind ("cases.case") and id inside the same zone, like
`core.references`: no database key into a program's table, so core imports no
program. The file itself lives under DATA_DIR/attachments/<zone id>/ with an
internal, random name; the user's name is only shown and sent back.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import ZoneScoped


class Attachment(ZoneScoped):
    """One uploaded file of one record (a case, a rating, an application …)."""

    owner_kind = models.CharField(_("所属记录类型"), max_length=60)
    owner_id = models.PositiveBigIntegerField(_("所属记录编号"))
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=32, editable=False)  # uuid4 hex, on disk
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        app_label = "core"
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["zone", "owner_kind", "owner_id"], name="attachment_owner"),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def url(self) -> str:
        from gaoxin.core.attachments.services import attachment_url

        return attachment_url(self)

    @property
    def size_text(self) -> str:
        """ "35 KB", "1.2 MB": what a list shows next to the name."""
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} KB"
        return f"{self.size / (1024 * 1024):.1f} MB"
