"""The officer's workbench and the worker's own requests."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from gaoxin.cases.access import cases_visible, referrals_visible
from gaoxin.cases.enums import CaseStatus, DemandStatus, ReferralStatus
from gaoxin.cases.models import CaseStep, Demand, HardshipCase
from gaoxin.core.models import User


@dataclass
class Workbench:
    cases: list = field(default_factory=list)
    demands: list = field(default_factory=list)
    unowned: list = field(default_factory=list)
    late_steps: list = field(default_factory=list)
    overdue_referrals: list = field(default_factory=list)


def workbench(*, user: User, limit: int = 50) -> Workbench:
    """My open cases (with their late steps), my open demands, new requests nobody owns
    yet, and referrals past due — what is late comes first."""
    today = timezone.localdate()
    bench = Workbench()
    if user.has_perm("cases.view_hardshipcase"):
        cases = list(
            cases_visible(user)
            .filter(status=CaseStatus.OPEN, officer_links__user_id=user.pk)
            .select_related("case_type", "person")
            .annotate(
                late=Count(
                    "steps",
                    filter=Q(steps__done_on__isnull=True, steps__due_on__lt=today),
                )
            )
            .order_by("-late", "opened_on")[:limit]
        )
        bench.cases = cases
        bench.late_steps = list(
            CaseStep.objects.filter(
                case__in=[c.pk for c in cases],
                zone_id__in={c.zone_id for c in cases},
                done_on__isnull=True,
                due_on__lt=today,
            )
            .select_related("case")
            .order_by("due_on")[:limit]
        )
    if user.has_perm("cases.view_demand"):
        mine = (
            Demand.objects.filter(zone_id=user.zone_id, owner=user)
            .exclude(status=DemandStatus.RESOLVED)
            .order_by("due_on", "id")
        )
        bench.demands = list(mine[:limit])
        for d in bench.demands:
            d.overdue = d.overdue_on(today)
        bench.unowned = list(
            Demand.objects.filter(zone_id=user.zone_id, owner__isnull=True)
            .exclude(status=DemandStatus.RESOLVED)
            .order_by("raised_at", "id")[:limit]
        )
        for d in bench.unowned:
            d.overdue = d.overdue_on(today)
    bench.overdue_referrals = list(
        referrals_visible(user)
        .exclude(status=ReferralStatus.CLOSED)
        .filter(due_on__lt=today)
        .select_related("department")
        .order_by("due_on")[:limit]
    )
    return bench


def worker_requests(*, user: User) -> tuple[list[Demand], list[HardshipCase]]:
    """What the worker asked for and the cases about them, newest first (phone page)."""
    if not user.is_authenticated or not user.person_id or user.zone_id is None:
        return [], []
    demands = list(
        Demand.objects.filter(zone_id=user.zone_id, raised_by_id=user.person_id)
        .prefetch_related("updates")
        .order_by("-raised_at", "-id")[:50]
    )
    cases = list(
        HardshipCase.objects.filter(zone_id=user.zone_id, person_id=user.person_id)
        .select_related("case_type")
        .order_by("-opened_on", "-id")[:50]
    )
    return demands, cases
