"""Reads of zones, already restricted to what the user may see. Enterprises, people
and departments: `gaoxin.registry.selectors`."""

from django.db.models import QuerySet

from gaoxin.core.models import User, Zone


def zones_for_user(*, user: User) -> QuerySet[Zone]:
    qs = Zone.objects.all()
    if user.spans_zones:
        return qs
    return qs.filter(pk=user.zone_id) if user.zone_id else qs.none()
