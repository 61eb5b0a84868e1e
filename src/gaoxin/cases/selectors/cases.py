"""Hardship cases as users may see them. Every read of one case is audited."""

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases.access import case_is_officer, cases_visible
from gaoxin.cases.enums import AidStatus
from gaoxin.cases.models import AidApplication, CaseOfficer, CaseStep, HardshipCase
from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require_perm, restrict_to_zone


def cases_for_user(
    *, user: User, status: str = "", mine: bool = False, zone_id: int | None = None
) -> QuerySet[HardshipCase]:
    """Cases the user may see: theirs as an officer, all of the zone for its admin."""
    require_perm(user, "cases.view_hardshipcase")
    qs = cases_visible(user).select_related("case_type", "person")
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(officer_links__user_id=user.pk)  # the zone-keyed join
    return qs.order_by("-opened_on", "-id")


def case_get(*, user: User, case_id: int, why: str = "") -> HardshipCase:
    """One case, for an assigned officer, the zone admin or the worker it is about — and
    an audit entry saying who read it, when (sensitive data: every read is on the chain)."""
    case = (
        cases_visible(user)
        .select_related("case_type", "person", "demand")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound()
    case.as_officer = case_is_officer(user, case)
    audit_record(
        zone=case.zone_id,
        actor=user,
        action=AuditAction.REVEAL,
        obj=case,
        note=why or _("查看帮扶个案"),
    )
    return case


def case_timeline(case: HardshipCase) -> list[CaseStep]:
    today = timezone.localdate()
    steps = list(CaseStep.objects.filter(zone_id=case.zone_id, case=case).order_by("order"))
    for step in steps:
        step.late = step.late_on(today)
    return steps


def officers_of(case: HardshipCase) -> list[User]:
    ids = CaseOfficer.objects.filter(zone_id=case.zone_id, case=case).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def aid_for_case(case: HardshipCase) -> list[AidApplication]:
    return list(
        AidApplication.objects.filter(zone_id=case.zone_id, case=case)
        .select_related("applied_by", "approved_by", "paid_by")
        .order_by("applied_at", "id")
    )


def aid_paid_for_user(*, user: User, zone_id: int | None = None) -> QuerySet[AidApplication]:
    """Aid paid in the zone (台账): for holders of view_all_cases; officers see their cases'."""
    require_perm(user, "cases.view_hardshipcase")
    qs = restrict_to_zone(AidApplication.objects.filter(status=AidStatus.PAID), user)
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    if not (user.is_superuser or user.has_perm("cases.view_all_cases")):
        qs = qs.filter(case__officer_links__user_id=user.pk)  # zone-keyed joins
    return qs.select_related("case", "person", "applied_by", "approved_by", "paid_by").order_by(
        "paid_at", "id"
    )


def aid_paid_total(*, zone_id: int) -> int:
    return (
        AidApplication.objects.filter(zone_id=zone_id, status=AidStatus.PAID)
        .order_by()
        .aggregate(total=Sum("amount_fen"))["total"]
        or 0
    )
