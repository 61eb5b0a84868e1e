"""The download page every program's attachments link to (`core:attachment`)."""

from django.http import Http404
from django.views.decorators.http import require_GET

from gaoxin.core.attachments.responses import download_response
from gaoxin.core.attachments.services import ID_MAX, attachment_open
from gaoxin.core.errors import InvalidInput
from gaoxin.core.tenancy import request_zone
from gaoxin.core.views_common import phone_login_required


@require_GET
@phone_login_required("login")
def attachment_download(request, pk: int):
    """Office and phone sessions alike; the owner's program decides who may see it."""
    zone_id = request.GET.get("zone_id") or None
    if zone_id is not None and not (zone_id.isdigit() and 0 < int(zone_id) <= ID_MAX):
        raise Http404
    try:
        zone = request_zone(request, zone_id)
    except InvalidInput:  # a cross-zone account with no zone named: nothing to find
        raise Http404 from None
    attachment, handle = attachment_open(actor=request.user, zone=zone, pk=pk)
    return download_response(attachment, handle)
