"""Reads of attachments: a record's files, and a list a user may see."""

from gaoxin.core.attachments.models import Attachment
from gaoxin.core.attachments.owners import may_view
from gaoxin.core.errors import NotFound
from gaoxin.core.models import User, Zone


def attachments_of(*, zone_id: int, owner_kind: str, owner_id: int) -> list[Attachment]:
    """One record's attachments, oldest first. The caller has already decided that the
    user may see the record (its own detail page or route did)."""
    return list(
        Attachment.objects.filter(zone_id=zone_id, owner_kind=owner_kind, owner_id=owner_id)
    )


def attachments_visible(*, user: User, zone: Zone, owner_kind: str, owner_id: int):
    """The same list for a caller who has not asked the owner yet: NotFound when the
    user may not see the record (or the kind takes no attachments)."""
    if not may_view(user, kind=owner_kind, zone_id=zone.pk, owner_id=owner_id):
        raise NotFound()
    return Attachment.objects.filter(zone_id=zone.pk, owner_kind=owner_kind, owner_id=owner_id)
