"""Visits: an instructor sees their own, officers all of the zone's; firms not visited
for `GAOXIN_PARTY_VISIT_DAYS` days are flagged."""

import datetime as dt

from django.conf import settings
from django.db.models import Max, QuerySet

from gaoxin.core.errors import Forbidden, NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import in_zone
from gaoxin.party.models import InstructorAssignment, InstructorVisit


def visit_days() -> int:
    return int(getattr(settings, "GAOXIN_PARTY_VISIT_DAYS", 90))


def visits_for_user(*, user: User, zone_id: int) -> QuerySet[InstructorVisit]:
    if not in_zone(user, zone_id):
        raise NotFound()
    qs = InstructorVisit.objects.filter(zone_id=zone_id).select_related("enterprise", "instructor")
    if user.has_perm("party.view_instructorvisit"):
        return qs
    if user.has_perm("party.add_instructorvisit"):
        return qs.filter(instructor_id=user.pk)
    raise Forbidden()


def stale_firms(*, zone_id: int, today: dt.date, instructor_id: int | None = None) -> list[dict]:
    """Assigned firms whose last visit (by anyone) is older than the setting, or never."""
    current = InstructorAssignment.objects.filter(zone_id=zone_id, start_on__lte=today).exclude(
        end_on__lt=today
    )
    if instructor_id is not None:
        current = current.filter(instructor_id=instructor_id)
    last = dict(
        InstructorVisit.objects.filter(zone_id=zone_id)
        .values("enterprise_id")
        .annotate(last=Max("visited_on"))
        .values_list("enterprise_id", "last")
    )
    limit = today - dt.timedelta(days=visit_days())
    rows = []
    for a in current.select_related("enterprise", "instructor"):
        seen = last.get(a.enterprise_id)
        if seen is None or seen < limit:
            rows.append({"assignment": a, "last_visit": seen})
    return rows


def assignments_for_user(*, user: User, zone_id: int) -> QuerySet[InstructorAssignment]:
    """Who is assigned to which firm (挂点): the zone's party staff see all, an
    instructor their own."""
    if not in_zone(user, zone_id):
        raise NotFound()
    qs = InstructorAssignment.objects.filter(zone_id=zone_id).select_related(
        "enterprise", "instructor"
    )
    if user.has_perm("party.view_instructorassignment"):
        return qs.order_by("-start_on", "-id")
    if user.has_perm("party.add_instructorvisit"):
        return qs.filter(instructor_id=user.pk).order_by("-start_on", "-id")
    raise Forbidden()
