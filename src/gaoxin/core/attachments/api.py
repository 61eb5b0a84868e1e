"""Attachments in the API: download one, list a record's, and the shared upload for
kinds that allow it (`can_attach`). Programs may also call `attach` from their own
routes (README: "Attachments")."""

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from gaoxin.core.api import Pages
from gaoxin.core.attachments.responses import download_response
from gaoxin.core.attachments.schemas import ID_MAX, AttachmentOut
from gaoxin.core.attachments.selectors import attachments_visible
from gaoxin.core.attachments.services import attach_checked, attachment_open
from gaoxin.core.tenancy import request_zone

router = Router()


class OwnerQuery(Schema):
    owner_kind: str = Field(..., max_length=60, description="所属记录类型，如 cases.case")
    owner_id: int = Field(..., ge=1, le=ID_MAX, description="所属记录编号")
    zone_id: int | None = Field(None, ge=1, le=ID_MAX, description="跨园区账号须指定园区")


@router.get(
    "/attachments", response=list[AttachmentOut], summary="某条记录的附件列表（须能查看该记录）"
)
@paginate(Pages)
def attachment_list(request: HttpRequest, filters: Query[OwnerQuery]):
    zone = request_zone(request, filters.zone_id)
    return attachments_visible(
        user=request.user, zone=zone, owner_kind=filters.owner_kind, owner_id=filters.owner_id
    )


@router.get(
    "/attachments/{attachment_id}",
    url_name="attachment_download",
    response={200: None},
    summary="下载附件（每次下载都记入审计）",
)
def attachment_download(
    request: HttpRequest,
    attachment_id: int,
    zone_id: int | None = Query(None, ge=1, le=ID_MAX),
):
    zone = request_zone(request, zone_id)
    attachment, handle = attachment_open(actor=request.user, zone=zone, pk=attachment_id)
    return download_response(attachment, handle)


@router.post(
    "/attachments",
    response={201: AttachmentOut},
    summary="上传附件（multipart/form-data：owner_kind、owner_id、file；仅限允许共用上传的记录类型）",
)
def attachment_upload(
    request: HttpRequest,
    owner_kind: str = Form(..., max_length=60),
    owner_id: int = Form(..., ge=1, le=ID_MAX),
    zone_id: int | None = Form(None, ge=1, le=ID_MAX),
    file: File[UploadedFile | None] = None,
):
    zone = request_zone(request, zone_id)
    attachment = attach_checked(
        actor=request.user, zone=zone, owner_kind=owner_kind, owner_id=owner_id, upload=file
    )
    return Status(201, attachment)
