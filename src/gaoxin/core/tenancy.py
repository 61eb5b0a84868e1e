"""Which zone a request acts in: one function, one message, one outcome.

- no zone named: the user's own zone; a cross-zone user (national viewer, platform
  admin) must name one — 422 on field `zone_id`, always the same words;
- a zone named that the user may not see (another zone's, or none at all): 404
  `not_found`, as for any other zone's record — never "forbidden", never a 422.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from gaoxin.core.errors import InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.selectors import zones_for_user


def zone_required_message() -> str:
    return _("跨园区账号请指定园区")


def request_zone(request_or_user: HttpRequest | User, zone_id: int | str | None = None) -> Zone:
    """The zone the request acts in (see the module docstring); `zone_id` as sent."""
    user = getattr(request_or_user, "user", request_or_user)
    if zone_id in (None, ""):
        if user.zone_id is None:
            raise InvalidInput({"zone_id": zone_required_message()})
        zone_id = user.zone_id
    try:
        zone_id = int(zone_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    zone = zones_for_user(user=user).filter(pk=zone_id).first()
    if zone is None:
        raise NotFound()
    return zone
