"""Organisations and members, seen by the zone's staff with `party.view_partyorg`."""

from django.db.models import QuerySet

from gaoxin.core.enums import Role
from gaoxin.core.errors import NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require
from gaoxin.party.models import PartyMember, PartyOrg
from gaoxin.registry.models import Enterprise


def orgs_for_user(*, user: User, zone_id: int) -> QuerySet[PartyOrg]:
    require(user, "party.view_partyorg", zone_id=zone_id)
    return (
        PartyOrg.objects.filter(zone_id=zone_id)
        .select_related("parent", "secretary")
        .prefetch_related("enterprise_links")
    )


def org_for_user(*, user: User, zone_id: int, pk: int) -> PartyOrg:
    org = orgs_for_user(user=user, zone_id=zone_id).filter(pk=pk).first()
    if org is None:
        raise NotFound()
    return org


def members_of(org: PartyOrg) -> QuerySet[PartyMember]:
    return PartyMember.objects.filter(zone_id=org.zone_id, org_id=org.pk).select_related("person")


def org_name_in_zone(zone_id: int, org_id: int) -> str | None:
    """The organisation's name if this zone has one with this id: the lookup behind the
    declared reference "party.partyorg" (core.references), through which other programs
    (a star rating of an organisation, a branch's activity) check the ids they store."""
    return (
        PartyOrg.objects.filter(zone_id=zone_id, pk=org_id).values_list("name", flat=True).first()
    )


def firm_choices(*, zone_id: int) -> list[tuple[int, str]]:
    """The zone's firms for the officer's pick lists, gig-economy (新业态) firms first."""
    rows = Enterprise.objects.filter(zone_id=zone_id).order_by("-is_new_economy", "name")
    return list(rows.values_list("pk", "name")[:2000])


def instructor_choices(*, zone_id: int) -> list[tuple[int, str]]:
    users = User.objects.filter(
        zone_id=zone_id, is_active=True, groups__name=Role.INSTRUCTOR.value
    ).order_by("username")
    return [(u.pk, u.get_full_name() or u.username) for u in users]
