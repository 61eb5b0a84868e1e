"""What every party service shares: cleaning refusals and same-zone lookups."""

from django.utils.translation import gettext as _

from gaoxin.core.cleaning import Cleaned
from gaoxin.core.errors import InvalidInput


def refuse_if_invalid(cleaned: Cleaned) -> dict:
    if cleaned.errors:
        raise InvalidInput(cleaned.errors)
    return cleaned.values


def in_zone(model, zone_id: int, pk, field: str, label, *, required: bool = True):
    """The zone's record `pk` (an id from the request), else 422 on `field`."""
    if pk in (None, ""):
        if required:
            raise InvalidInput({field: _("请选择%(what)s") % {"what": label}})
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise InvalidInput({field: _("%(what)s编号应为整数") % {"what": label}}) from None
    found = model.objects.filter(zone_id=zone_id, pk=pk).first()
    if found is None:
        raise InvalidInput({field: _("%(what)s不存在或不属于本园区") % {"what": label}})
    return found
