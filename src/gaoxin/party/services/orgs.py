"""Party organisations, the firms they cover, their members, and union coverage."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.cleaning import Cleaner
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import ApplicationError, InvalidInput
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require_actor
from gaoxin.party.enums import OrgKind
from gaoxin.party.models import PartyMember, PartyOrg, PartyOrgEnterprise, UnionCoverage
from gaoxin.party.services._common import in_zone, refuse_if_invalid
from gaoxin.registry.models import Enterprise, Person


def _not_future(day, field: str, label) -> None:
    if day and day > timezone.localdate():
        raise InvalidInput({field: _("%(label)s不能晚于今天") % {"label": label}})


def org_create(*, actor: User | None, zone: Zone, data: dict) -> PartyOrg:
    require_actor(actor, "party.add_partyorg", zone_id=zone.pk)
    c = Cleaner(data)
    c.text("name", label=_("组织名称"), max_length=100)
    c.choice("kind", OrgKind, label=_("组织类别"), default=None)
    c.day("founded_on", label=_("成立日期"))
    values = refuse_if_invalid(c.out)
    _not_future(values["founded_on"], "founded_on", _("成立日期"))
    parent = in_zone(
        PartyOrg, zone.pk, data.get("parent_id"), "parent_id", _("上级组织"), required=False
    )
    secretary = in_zone(
        Person, zone.pk, data.get("secretary_id"), "secretary_id", _("书记"), required=False
    )
    if PartyOrg.objects.filter(zone_id=zone.pk, name=values["name"]).exists():
        raise ApplicationError(
            _("本园区已有同名党组织"),
            code="duplicate",
            fields={"name": _("本园区已有同名党组织")},
            status=409,
        )
    with transaction.atomic():
        org = PartyOrg.objects.create(zone=zone, parent=parent, secretary=secretary, **values)
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=org,
            after={
                "name": org.name,
                "kind": org.kind,
                "founded_on": org.founded_on.isoformat(),
                "parent": getattr(parent, "pk", None),
                "secretary": getattr(secretary, "pk", None),
            },
        )
    return org


def org_cover(*, actor: User | None, org: PartyOrg, enterprise_id, since) -> PartyOrgEnterprise:
    """The organisation covers a firm from `since` (组织覆盖)."""
    require_actor(actor, "party.change_partyorg", zone_id=org.zone_id)
    firm = in_zone(Enterprise, org.zone_id, enterprise_id, "enterprise_id", _("企业"))
    c = Cleaner({"since": since})
    c.day("since", label=_("覆盖起始日期"))
    day = refuse_if_invalid(c.out)["since"]
    _not_future(day, "since", _("覆盖起始日期"))
    if day < org.founded_on:
        raise InvalidInput({"since": _("覆盖起始日期不能早于党组织成立日期")})
    try:
        with transaction.atomic():
            link = PartyOrgEnterprise.objects.create(
                zone_id=org.zone_id, org=org, enterprise=firm, since=day
            )
            audit_record(
                zone=org.zone_id,
                actor=actor,
                action=AuditAction.CREATE,
                obj=link,
                after={"org": org.pk, "enterprise": firm.pk, "since": day.isoformat()},
            )
    except IntegrityError:
        raise ApplicationError(_("该企业已由本组织覆盖"), code="duplicate", status=409) from None
    return link


def member_add(
    *, actor: User | None, org: PartyOrg, person_id, joined_on, full_on=None
) -> PartyMember:
    """A member who joined before the platform (the pipeline adds its own)."""
    require_actor(actor, "party.change_partyorg", zone_id=org.zone_id)
    who = in_zone(Person, org.zone_id, person_id, "person_id", _("党员"))
    c = Cleaner({"joined_on": joined_on, "full_on": full_on})
    c.day("joined_on", label=_("入党日期"))
    c.day("full_on", label=_("转正日期"), required=False)
    values = refuse_if_invalid(c.out)
    _not_future(values["joined_on"], "joined_on", _("入党日期"))
    _not_future(values["full_on"], "full_on", _("转正日期"))
    if PartyMember.objects.filter(zone_id=org.zone_id, person_id=who.pk).exists():
        raise ApplicationError(_("此人已登记为党员"), code="duplicate", status=409)
    with transaction.atomic():
        member = PartyMember.objects.create(zone_id=org.zone_id, org=org, person=who, **values)
        audit_record(
            zone=org.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=member,
            after={"org": org.pk, "person": who.pk, "joined_on": values["joined_on"].isoformat()},
        )
    return member


def union_cover(
    *, actor: User | None, zone: Zone, enterprise_id, since, union_name
) -> UnionCoverage:
    """A firm's trade union (the other half of 双覆盖)."""
    require_actor(actor, "party.add_unioncoverage", zone_id=zone.pk)
    firm = in_zone(Enterprise, zone.pk, enterprise_id, "enterprise_id", _("企业"))
    c = Cleaner({"since": since, "union_name": union_name})
    c.day("since", label=_("建会日期"))
    c.text("union_name", label=_("工会名称"), max_length=100)
    values = refuse_if_invalid(c.out)
    _not_future(values["since"], "since", _("建会日期"))
    if UnionCoverage.objects.filter(zone_id=zone.pk, enterprise_id=firm.pk).exists():
        raise ApplicationError(_("该企业已登记工会"), code="duplicate", status=409)
    with transaction.atomic():
        row = UnionCoverage.objects.create(zone=zone, enterprise=firm, **values)
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=row,
            after={"enterprise": firm.pk, "since": values["since"].isoformat()},
        )
    return row
