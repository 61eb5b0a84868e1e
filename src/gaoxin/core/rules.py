"""Who may do what, where. One place for zone isolation.

A zone-bound user acts only inside their zone; superusers and national
viewers span zones. Record-level reads outside one's zone look like "not
found", never "forbidden", so ids of other zones' records leak nothing.
"""

from django.db.models import QuerySet

from gaoxin.core.errors import Forbidden, NotFound


def restrict_to_zone(qs: QuerySet, user, *, field: str = "zone") -> QuerySet:
    """Limit a queryset to what the user's zone lets them see (before any role check)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.spans_zones:
        return qs
    if user.zone_id is None:
        return qs.none()
    return qs.filter(**{f"{field}_id": user.zone_id})


def in_zone(user, zone_id: int | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.spans_zones or (user.zone_id is not None and user.zone_id == zone_id)


def require(user, perm: str, *, zone_id: int | None) -> None:
    """Raise NotFound outside the user's zone, Forbidden without the permission."""
    if not in_zone(user, zone_id):
        raise NotFound()
    if not user.has_perm(perm):
        raise Forbidden()


def require_actor(actor, perm: str, *, zone_id: int | None) -> None:
    """The permission check of a service's write: `actor` is the user a page or the API acts
    for; None is the system (the demo, imports of paper ledgers, tests), checked by no one."""
    if actor is not None:
        require(actor, perm, zone_id=zone_id)


def require_perm(user, perm: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(perm):
        raise Forbidden()
