"""Who may see which case, demand and referral: the one place the rules live
(NetBox's `restrict`), used by selectors for reads and by services for writes.

- A hardship case: the officers assigned to it and holders of `cases.view_all_cases`
  (the zone admin); the worker it is about sees it on the phone. Everyone else: 404.
- A demand: officers with `cases.view_demand` in its zone; the worker who raised it,
  and the contact of a firm it concerns.
- A referral: officers who may see referrals; a liaison only for the departments
  they are bound to.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from gaoxin.cases.models import CaseOfficer, Demand, HardshipCase, LiaisonBinding, Referral
from gaoxin.core.enums import Role
from gaoxin.core.rules import restrict_to_zone


def cases_visible(user, qs: QuerySet | None = None) -> QuerySet[HardshipCase]:
    qs = restrict_to_zone(HardshipCase.objects.all() if qs is None else qs, user)
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.has_perm("cases.view_all_cases"):
        return qs
    mine = Q(pk__in=[])
    if user.has_perm("cases.view_hardshipcase"):
        mine = Q(
            Exists(
                CaseOfficer.objects.filter(
                    zone_id=OuterRef("zone_id"), case_id=OuterRef("pk"), user_id=user.pk
                )
            )
        )
    if user.person_id:
        mine |= Q(person_id=user.person_id)
    return qs.filter(mine)


def case_is_officer(user, case: HardshipCase) -> bool:
    """May act on the case as staff (not as the worker it is about)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.zone_id != case.zone_id:
        return False
    if user.has_perm("cases.view_all_cases"):
        return True
    return (
        user.has_perm("cases.view_hardshipcase")
        and CaseOfficer.objects.filter(
            zone_id=case.zone_id, case_id=case.pk, user_id=user.pk
        ).exists()
    )


def demands_visible(user, qs: QuerySet | None = None) -> QuerySet[Demand]:
    qs = restrict_to_zone(Demand.objects.all() if qs is None else qs, user)
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("cases.view_demand"):
        return qs
    if user.person_id:
        mine = Q(raised_by_id=user.person_id)
        employer = user.person.employer_id if user.has_role(Role.ENTERPRISE_CONTACT) else None
        if employer is not None:  # a firm's contact: the demands concerning the firm
            mine |= Q(enterprise_links__enterprise_id=employer)
        return qs.filter(mine).distinct()
    return qs.none()


def liaison_departments(user) -> list[int]:
    if not user.is_authenticated or user.zone_id is None:
        return []
    return list(
        LiaisonBinding.objects.filter(zone_id=user.zone_id, user_id=user.pk).values_list(
            "department_id", flat=True
        )
    )


def referrals_visible(user, qs: QuerySet | None = None) -> QuerySet[Referral]:
    qs = restrict_to_zone(Referral.objects.all() if qs is None else qs, user)
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("cases.view_referral"):
        return qs
    if user.has_perm("cases.reply_referral"):
        return qs.filter(department_id__in=liaison_departments(user))
    return qs.none()


# ------------------------------------------------- attachments (core.attachments asks these)

CASE_FILES = "cases.case"  # the owner kind of a case's attachments


def case_files_may_view(user, zone_id: int, owner_id: int) -> bool:
    """Whoever may see the case sees its files: its officers, the zone admin, its worker."""
    return cases_visible(user).filter(zone_id=zone_id, pk=owner_id).exists()


def case_files_may_attach(user, zone_id: int, owner_id: int) -> bool:
    """Only the case's staff add files (申请材料、病历、走访照片); the worker reads them."""
    case = HardshipCase.objects.filter(zone_id=zone_id, pk=owner_id).first()
    return case is not None and case_is_officer(user, case)
