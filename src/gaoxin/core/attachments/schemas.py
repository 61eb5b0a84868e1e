"""What the API says about an attachment; programs answer with it from their own routes."""

import datetime as dt

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from gaoxin.core.attachments.services import ID_MAX, attachment_url

__all__ = ["ID_MAX", "AttachmentOut"]


class AttachmentOut(Schema):
    id: int
    zone_id: int
    owner_kind: str
    owner_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    url: str = Field(..., description="下载页面地址（网页登录）")
    download_url: str = Field(..., description="接口下载地址（Bearer 令牌）")

    @staticmethod
    def resolve_url(obj) -> str:
        return attachment_url(obj)

    @staticmethod
    def resolve_download_url(obj) -> str:
        path = reverse("api-v1:attachment_download", args=[obj.pk])
        return f"{path}?zone_id={obj.zone_id}"
