"""Demands and joint meetings as users may see them; the public progress of a meeting."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from gaoxin.cases.access import demands_visible
from gaoxin.cases.enums import DemandStatus
from gaoxin.cases.models import Demand, JointMeeting
from gaoxin.core.errors import NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require_perm, restrict_to_zone


def demands_for_user(
    *,
    user: User,
    q: str = "",
    status: str = "",
    meeting_id: int | None = None,
    overdue: bool = False,
    owner: User | None = None,
    zone_id: int | None = None,
) -> QuerySet[Demand]:
    qs = demands_visible(user).select_related("meeting", "owner", "raised_by")
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(detail__icontains=q) | Q(resolution__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if meeting_id is not None:
        qs = qs.filter(meeting_id=meeting_id)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if overdue:
        qs = qs.exclude(status=DemandStatus.RESOLVED).filter(due_on__lt=timezone.localdate())
    return qs.prefetch_related("enterprise_links__enterprise").order_by("-raised_at", "-id")


def demand_get(*, user: User, demand_id: int) -> Demand:
    demand = (
        demands_visible(user)
        .select_related("meeting", "owner", "raised_by")
        .filter(pk=demand_id)
        .first()
    )
    if demand is None:
        raise NotFound()
    return demand


def meetings_for_user(*, user: User, zone_id: int | None = None) -> QuerySet[JointMeeting]:
    require_perm(user, "cases.view_jointmeeting")
    qs = restrict_to_zone(JointMeeting.objects.all(), user)
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    return qs.order_by("-held_on", "-id")


def meeting_get(*, user: User, meeting_id: int) -> JointMeeting:
    meeting = restrict_to_zone(JointMeeting.objects.all(), user).filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound()
    require_perm(user, "cases.view_jointmeeting")
    return meeting


@dataclass
class ProgressRow:
    """One demand as the public sees it: no person, no officer, no detail text."""

    title: str
    category: str
    status: str
    resolved: bool
    resolution: str
    days: int | None
    raised_on: object
    resolved_on: object


def meeting_progress(*, meeting_id: int) -> tuple[JointMeeting, list[ProgressRow]]:
    """The public accountability page of a meeting: what was raised, what was done, how
    long it took. Only these fields leave the database, so no personal data can leak."""
    meeting = JointMeeting.objects.filter(pk=meeting_id).select_related("zone").first()
    if meeting is None:
        raise NotFound()
    rows = []
    for demand in (
        Demand.objects.filter(zone_id=meeting.zone_id, meeting_id=meeting.pk)
        .only("title", "category", "status", "resolution", "raised_at", "resolved_at")
        .order_by("raised_at", "id")
    ):
        resolved = demand.status == DemandStatus.RESOLVED
        rows.append(
            ProgressRow(
                title=demand.title,
                category=demand.get_category_display(),
                status=demand.get_status_display(),
                resolved=resolved,
                resolution=demand.resolution if resolved else "",
                days=demand.days_taken if resolved else None,
                raised_on=timezone.localtime(demand.raised_at).date(),
                resolved_on=timezone.localtime(demand.resolved_at).date() if resolved else None,
            )
        )
    return meeting, rows


def officers_for_zone(*, zone_id: int) -> list[User]:
    """Accounts of the zone that may own demands and be assigned to cases."""
    return [
        u
        for u in User.objects.filter(zone_id=zone_id, is_active=True).order_by("username")
        if u.has_perm("cases.view_hardshipcase")
    ]


def demand_title_in_zone(zone_id: int, demand_id: int) -> str | None:
    """The demand's title if this zone has one with this id: the lookup behind the
    declared reference "cases.demand" (a visit of the party program that raised it)."""
    return (
        Demand.objects.filter(zone_id=zone_id, pk=demand_id).values_list("title", flat=True).first()
    )
