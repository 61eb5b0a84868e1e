"""Referrals as users may see them: officers all of their zone's, a liaison only their
departments'."""

from django.db.models import QuerySet
from django.utils import timezone

from gaoxin.cases.access import referrals_visible
from gaoxin.cases.enums import ReferralStatus
from gaoxin.cases.models import Referral
from gaoxin.core.errors import NotFound
from gaoxin.core.models import User


def referrals_for_user(
    *, user: User, status: str = "", overdue: bool = False, zone_id: int | None = None
) -> QuerySet[Referral]:
    qs = referrals_visible(user).select_related("department")
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.exclude(status=ReferralStatus.CLOSED).filter(due_on__lt=timezone.localdate())
    return qs.order_by("-created_at", "-id")


def referral_get(*, user: User, referral_id: int) -> Referral:
    referral = referrals_visible(user).select_related("department").filter(pk=referral_id).first()
    if referral is None:
        raise NotFound()
    return referral
