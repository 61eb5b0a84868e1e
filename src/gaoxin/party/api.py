"""Party routes: /party-orgs, /party-orgs/{id}/members, /candidates,
/candidates/{id}/advance, /candidates/{id}/talk, /instructor-visits, /party-figures,
/party-coverage, /party-rules.

Thin: parse → service/selector → shape. Another zone's record: 404, the same body as an id
that does not exist; a user of the zone without the permission: 403. Every read of a
candidate is audited (by the selector/service).
"""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.core.api import Pages
from gaoxin.core.errors import InvalidInput
from gaoxin.core.schemas import Day, Id
from gaoxin.core.tenancy import request_zone
from gaoxin.party import rules, selectors, services
from gaoxin.party.enums import OrgKind, Stage
from gaoxin.party.schemas import (
    AdvanceIn,
    CandidateIn,
    CandidateOut,
    CoverageOut,
    InstructorVisitOut,
    MemberOut,
    OrgIn,
    OrgOut,
    PartyAssignmentIn,
    PartyAssignmentOut,
    PartyFiguresOut,
    PartyOrgCoverIn,
    PartyUnionIn,
    PartyUnionOut,
    RuleOut,
    TalkIn,
    VisitIn,
)

router = Router()


class PartyZoneFilter(Schema):
    zone_id: Id | None = None


class PartyVisitFilter(Schema):
    zone_id: Id | None = None
    since: Day | None = Field(None, description="走访日期起（含）")
    until: Day | None = Field(None, description="走访日期止（含）")


def _org_out(org) -> dict:
    return {
        "id": org.pk,
        "zone_id": org.zone_id,
        "name": org.name,
        "kind": org.kind,
        "kind_label": str(OrgKind(org.kind).label),
        "parent_id": org.parent_id,
        "secretary_id": org.secretary_id,
        "secretary_name": org.secretary.name if org.secretary_id else "",
        "founded_on": org.founded_on,
        "enterprise_ids": [x.enterprise_id for x in org.enterprise_links.all()],
    }


@router.get("/party-orgs", response=list[OrgOut], summary="党组织列表")
@paginate(Pages)
def org_list(request: HttpRequest, filters: Query[PartyZoneFilter]):
    zone = request_zone(request, filters.zone_id)
    return [_org_out(o) for o in selectors.orgs_for_user(user=request.user, zone_id=zone.pk)]


@router.post("/party-orgs", response={201: OrgOut}, summary="新建党组织（含覆盖企业）")
def org_create(request: HttpRequest, payload: OrgIn):
    zone = request_zone(request, payload.zone_id)
    org = services.org_create(
        actor=request.user,
        zone=zone,
        data=payload.dict(include={"name", "kind", "founded_on", "parent_id", "secretary_id"}),
    )
    for firm in payload.enterprise_ids:
        services.org_cover(actor=request.user, org=org, enterprise_id=firm, since=org.founded_on)
    org = selectors.org_for_user(user=request.user, zone_id=zone.pk, pk=org.pk)
    return Status(201, _org_out(org))


@router.get("/party-orgs/{org_id}", response=OrgOut, summary="党组织详情")
def org_detail(request: HttpRequest, org_id: Id, filters: Query[PartyZoneFilter]):
    zone = request_zone(request, filters.zone_id)
    return _org_out(selectors.org_for_user(user=request.user, zone_id=zone.pk, pk=org_id))


@router.post(
    "/party-orgs/{org_id}/enterprises", response={201: OrgOut}, summary="党组织覆盖企业（组织覆盖）"
)
def org_cover(
    request: HttpRequest, org_id: Id, payload: PartyOrgCoverIn, filters: Query[PartyZoneFilter]
):
    zone = request_zone(request, filters.zone_id)
    org = selectors.org_for_user(user=request.user, zone_id=zone.pk, pk=org_id)
    services.org_cover(
        actor=request.user, org=org, enterprise_id=payload.enterprise_id, since=payload.since
    )
    return Status(
        201, _org_out(selectors.org_for_user(user=request.user, zone_id=zone.pk, pk=org_id))
    )


@router.post(
    "/union-coverage", response={201: PartyUnionOut}, summary="登记企业工会（工作覆盖的另一半）"
)
def union_cover(request: HttpRequest, payload: PartyUnionIn):
    zone = request_zone(request, payload.zone_id)
    row = services.union_cover(
        actor=request.user,
        zone=zone,
        enterprise_id=payload.enterprise_id,
        since=payload.since,
        union_name=payload.union_name,
    )
    return Status(201, row)


def _assignment_out(a) -> dict:
    return {
        "id": a.pk,
        "zone_id": a.zone_id,
        "instructor_id": a.instructor_id,
        "enterprise_id": a.enterprise_id,
        "enterprise_name": a.enterprise.name,
        "start_on": a.start_on,
        "end_on": a.end_on,
    }


@router.get(
    "/instructor-assignments",
    response=list[PartyAssignmentOut],
    summary="党建指导员挂点企业（指导员只看本人的）",
)
@paginate(Pages)
def assignment_list(request: HttpRequest, filters: Query[PartyZoneFilter]):
    zone = request_zone(request, filters.zone_id)
    qs = selectors.assignments_for_user(user=request.user, zone_id=zone.pk)
    return [_assignment_out(a) for a in qs]


@router.post(
    "/instructor-assignments", response={201: PartyAssignmentOut}, summary="安排党建指导员挂点企业"
)
def assignment_create(request: HttpRequest, payload: PartyAssignmentIn):
    zone = request_zone(request, payload.zone_id)
    a = services.assignment_create(
        actor=request.user, zone=zone, **payload.dict(exclude={"zone_id"})
    )
    return Status(201, _assignment_out(a))


@router.get("/party-orgs/{org_id}/members", response=list[MemberOut], summary="党组织的党员")
@paginate(Pages)
def org_members(request: HttpRequest, org_id: Id, filters: Query[PartyZoneFilter]):
    zone = request_zone(request, filters.zone_id)
    org = selectors.org_for_user(user=request.user, zone_id=zone.pk, pk=org_id)
    return [
        {
            "id": m.pk,
            "person_id": m.person_id,
            "name": m.person.name,
            "joined_on": m.joined_on,
            "full_on": m.full_on,
        }
        for m in selectors.members_of(org)
    ]


# ---------------------------------------------------------------- candidates


def _candidate_out(c, records=None) -> dict:
    records = c.records.all() if records is None else records
    return {
        "id": c.pk,
        "zone_id": c.zone_id,
        "person_id": c.person_id,
        "name": c.person.name,
        "org_id": c.org_id,
        "stage": c.stage,
        "stage_label": str(Stage(c.stage).label),
        "stage_on": c.stage_on,
        "applied_on": c.applied_on,
        "talked_on": c.talked_on,
        "contact_id": c.contact_id,
        "trainer_id": c.trainer_id,
        "records": [
            {
                "stage": r.stage,
                "stage_label": str(Stage(r.stage).label),
                "on": r.on,
                "document": r.document,
            }
            for r in records
        ],
    }


class CandidateFilter(Schema):
    zone_id: Id | None = None
    stage: str = ""
    reached: str = Field("", description="只看在期间内推进到该阶段的（如 probationary）")
    since: Day | None = Field(None, description="与 reached 同用：起始日（含）")
    until: Day | None = Field(None, description="与 reached 同用：截止日（含）")


@router.get(
    "/candidates", response=list[CandidateOut], summary="入党发展名单（仅党务工作人员，查看留痕）"
)
@paginate(Pages)
def candidate_list(request: HttpRequest, filters: Query[CandidateFilter]):
    zone = request_zone(request, filters.zone_id)
    for key in ("stage", "reached"):
        if getattr(filters, key) and getattr(filters, key) not in Stage.values:
            raise InvalidInput({key: _("阶段不存在")})
    qs = selectors.candidates_for_officer(
        user=request.user,
        zone_id=zone.pk,
        stage=filters.stage or None,
        reached=filters.reached or None,
        since=filters.since,
        until=filters.until,
    ).prefetch_related("records")
    return [_candidate_out(c) for c in qs]


@router.post("/candidates", response={201: CandidateOut}, summary="登记入党申请人")
def candidate_apply(request: HttpRequest, payload: CandidateIn):
    zone = request_zone(request, payload.zone_id)
    c = services.candidate_apply(
        actor=request.user, zone=zone, data=payload.dict(exclude={"zone_id"})
    )
    return Status(201, _candidate_out(c))


@router.get("/candidates/{candidate_id}", response=CandidateOut, summary="入党发展记录（查看留痕）")
def candidate_detail(request: HttpRequest, candidate_id: Id, filters: Query[PartyZoneFilter]):
    zone = request_zone(request, filters.zone_id)
    c = services.candidate_for_officer(actor=request.user, zone=zone, pk=candidate_id)
    return _candidate_out(c)


@router.post("/candidates/{candidate_id}/advance", response=CandidateOut, summary="推进到下一阶段")
def candidate_advance(
    request: HttpRequest, candidate_id: Id, payload: AdvanceIn, filters: Query[PartyZoneFilter]
):
    zone = request_zone(request, filters.zone_id)
    c = services.candidate_for_officer(actor=request.user, zone=zone, pk=candidate_id)
    c = services.candidate_advance(actor=request.user, candidate=c, data=payload.dict())
    return _candidate_out(c)


@router.post("/candidates/{candidate_id}/talk", response=CandidateOut, summary="登记入党谈话")
def candidate_talk(
    request: HttpRequest, candidate_id: Id, payload: TalkIn, filters: Query[PartyZoneFilter]
):
    zone = request_zone(request, filters.zone_id)
    c = services.candidate_for_officer(actor=request.user, zone=zone, pk=candidate_id)
    c = services.candidate_talk(actor=request.user, candidate=c, talked_on=payload.talked_on)
    return _candidate_out(c)


# -------------------------------------------------------------------- visits


def _visit_out(v) -> dict:
    return {
        "id": v.pk,
        "zone_id": v.zone_id,
        "enterprise_id": v.enterprise_id,
        "enterprise_name": v.enterprise.name,
        "instructor_id": v.instructor_id,
        "visited_on": v.visited_on,
        "people_met": v.people_met,
        "topics": v.topics,
        "findings": v.findings,
        "follow_ups": v.follow_ups,
        "demand_id": v.demand_id,
    }


@router.get(
    "/instructor-visits", response=list[InstructorVisitOut], summary="走访记录（指导员只看本人的）"
)
@paginate(Pages)
def visit_list(request: HttpRequest, filters: Query[PartyVisitFilter]):
    zone = request_zone(request, filters.zone_id)
    qs = selectors.visits_for_user(user=request.user, zone_id=zone.pk)
    if filters.since:
        qs = qs.filter(visited_on__gte=filters.since)
    if filters.until:
        qs = qs.filter(visited_on__lte=filters.until)
    return [_visit_out(v) for v in qs]


@router.post("/instructor-visits", response={201: InstructorVisitOut}, summary="党建指导员登记走访")
def visit_log(request: HttpRequest, payload: VisitIn):
    zone = request_zone(request, payload.zone_id)
    v = services.visit_log(
        actor=request.user,
        zone=zone,
        data=payload.dict(exclude={"zone_id", "demand"}),
        demand=payload.demand.dict() if payload.demand else None,
    )
    return Status(201, _visit_out(v))


# ------------------------------------------------------------------- figures


class PeriodIn(Schema):
    zone_id: Id | None = None
    start: Day | None = None
    end: Day | None = None


def _period(filters: PeriodIn) -> tuple[dt.date, dt.date]:
    end = filters.end or timezone.localdate()
    start = filters.start or rules.years_later(end, -3)
    if start > end:
        raise InvalidInput({"start": _("开始日期不能晚于结束日期")})
    return start, end


def _figure_rows(records) -> list[dict]:
    return [
        {
            "candidate_id": r.candidate_id,
            "name": r.candidate.person.name,
            "on": r.on,
            "document": r.document,
        }
        for r in records
    ]


@router.get(
    "/party-figures", response=PartyFiguresOut, summary="发展党员、培养积极分子人数（含明细）"
)
def figures(request: HttpRequest, filters: Query[PeriodIn]):
    zone = request_zone(request, filters.zone_id)
    start, end = _period(filters)
    found = selectors.development_figures(user=request.user, zone_id=zone.pk, start=start, end=end)
    return {
        "start": start,
        "end": end,
        "sentence": found["sentence"],
        "joined": _figure_rows(found["joined"]),
        "activists": _figure_rows(found["activists"]),
    }


class OnIn(Schema):
    zone_id: Id | None = None
    on: Day | None = None


@router.get("/party-coverage", response=CoverageOut, summary="新业态企业“双覆盖”情况")
def coverage(request: HttpRequest, filters: Query[OnIn]):
    zone = request_zone(request, filters.zone_id)
    return selectors.coverage(
        user=request.user, zone_id=zone.pk, on=filters.on or timezone.localdate()
    )


@router.get("/party-rules", response=list[RuleOut], summary="发展党员规则一览")
def rule_list(request: HttpRequest):
    return [
        {
            "id": r.id,
            "text": str(r.text),
            "source": str(r.source),
            "article": str(r.article),
            "refuses": r.refuses,
        }
        for r in rules.RULES
    ]
