"""Cases routes: /meetings, /demands, /cases, /cases/{id}/aid, /referrals.

Thin: parse → service/selector → shape. Workflow steps are POSTs to verbs
(`/demands/{id}/resolve`, `/cases/{id}/aid/{aid_id}/pay`, `/referrals/{id}/reply`).
Another zone's record, a case the caller is not assigned to, another worker's request
or a referral to another department: 404, the same body as an id that does not exist.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.cases import selectors, services
from gaoxin.cases.access import CASE_FILES, cases_visible
from gaoxin.cases.models import DemandUpdate, HardshipCase
from gaoxin.cases.schemas import (
    AidIn,
    AidOut,
    AssignIn,
    CaseIn,
    CaseOut,
    CaseSummaryOut,
    CloseIn,
    ConfirmIn,
    DemandIn,
    DemandOut,
    DuplicateCheckOut,
    FiguresOut,
    MeetingIn,
    MeetingOut,
    NoteIn,
    OfficersIn,
    ProgressOut,
    RateIn,
    ReferralIn,
    ReferralOut,
    ReplyIn,
    ResolveIn,
    StepDoneIn,
    aid_out,
)
from gaoxin.core.api import Pages
from gaoxin.core.attachments import attachments_of
from gaoxin.core.errors import InvalidInput, NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require_perm
from gaoxin.core.schemas import Day, Id
from gaoxin.core.tenancy import request_zone

router = Router()


# ------------------------------------------------------------------ meetings


def _meeting_out(meeting) -> dict:
    return {
        "id": meeting.pk,
        "zone_id": meeting.zone_id,
        "held_on": meeting.held_on,
        "title": meeting.title,
        "minutes": meeting.minutes,
        "enterprise_ids": [x.enterprise_id for x in meeting.enterprise_links.all()],
        "department_ids": [x.department_id for x in meeting.department_links.all()],
        "progress_url": reverse("cases:progress", args=[meeting.pk]),
    }


class ZoneFilter(Schema):
    zone_id: Id | None = None


@router.get("/meetings", response=list[MeetingOut], summary="联席会议列表")
@paginate(Pages)
def meeting_list(request: HttpRequest, filters: Query[ZoneFilter]):
    qs = selectors.meetings_for_user(user=request.user, zone_id=filters.zone_id)
    return [_meeting_out(m) for m in qs.prefetch_related("enterprise_links", "department_links")]


@router.post("/meetings", response={201: MeetingOut}, summary="登记联席会议（含参会企业、部门）")
def meeting_create(request: HttpRequest, payload: MeetingIn):
    zone = request_zone(request, payload.zone_id)
    meeting = services.meeting_create(
        actor=request.user,
        zone=zone,
        data=payload.dict(include={"held_on", "title", "minutes"}),
        enterprise_ids=payload.enterprise_ids,
        department_ids=payload.department_ids,
    )
    return Status(201, _meeting_out(meeting))


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="联席会议详情")
def meeting_detail(request: HttpRequest, meeting_id: Id):
    return _meeting_out(selectors.meeting_get(user=request.user, meeting_id=meeting_id))


@router.get(
    "/meetings/{meeting_id}/progress",
    auth=None,
    response=ProgressOut,
    summary="会议诉求办理进度（公开，不含个人信息）",
)
def meeting_progress(request: HttpRequest, meeting_id: Id):
    meeting, rows = selectors.meeting_progress(meeting_id=meeting_id)
    return {
        "meeting": meeting.title,
        "held_on": meeting.held_on,
        "zone": meeting.zone.name,
        "demands": [row.__dict__ for row in rows],
    }


# ------------------------------------------------------------------- demands


class DemandFilter(Schema):
    zone_id: Id | None = None
    q: str = ""
    status: str = ""
    meeting_id: Id | None = None
    overdue: bool = False


@router.get("/demands", response=list[DemandOut], summary="诉求列表（劳动者只看到本人的）")
@paginate(Pages)
def demand_list(request: HttpRequest, filters: Query[DemandFilter]):
    return selectors.demands_for_user(
        user=request.user,
        q=filters.q[:100],
        status=filters.status,
        meeting_id=filters.meeting_id,
        overdue=filters.overdue,
        zone_id=filters.zone_id,
    )


def _owner(zone_id: int, owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = User.objects.filter(zone_id=zone_id, pk=owner_id).first()
    if owner is None:
        raise InvalidInput({"owner_id": _("责任人应为本园区的工作人员")})
    return owner


def _demand_detail(request: HttpRequest, demand_id: int):
    demand = selectors.demand_get(user=request.user, demand_id=demand_id)
    demand.shown_updates = DemandUpdate.objects.filter(zone_id=demand.zone_id, demand=demand)
    return demand


@router.post(
    "/demands",
    response={201: DemandOut},
    summary="登记诉求（工作人员、驿站站长、指导员）；劳动者提交的是本人求助",
)
def demand_create(request: HttpRequest, payload: DemandIn):
    user = request.user
    if not user.has_perm("cases.add_demand") and user.has_perm("cases.ask_help"):
        demand = services.worker_ask_help(
            actor=user, title=payload.title, detail=payload.detail, category=payload.category
        )
        return Status(201, _demand_detail(request, demand.pk))
    zone = request_zone(request, payload.zone_id)
    demand = services.demand_create(
        actor=user,
        zone=zone,
        data=payload.dict(include={"title", "detail", "category", "source", "due_on"}),
        enterprise_ids=payload.enterprise_ids,
        meeting_id=payload.meeting_id,
        raised_by_id=payload.raised_by_id,
        owner=_owner(zone.pk, payload.owner_id),
    )
    if not user.has_perm("cases.view_demand"):  # a keeper or instructor: recorded, not listed
        demand.shown_updates = []
        return Status(201, demand)
    return Status(201, _demand_detail(request, demand.pk))


class FiguresFilter(Schema):
    zone_id: Id | None = None
    since: Day | None = None
    until: Day | None = None


@router.get(
    "/demands/figures",
    response=FiguresOut,
    summary="诉求与帮扶统计：响应率、解决率、满意率（附定义）、办结天数中位数、帮扶金额",
)
def demand_figures(request: HttpRequest, filters: Query[FiguresFilter]):
    require_perm(request.user, "cases.view_demand")
    zone = request_zone(request, filters.zone_id)
    f = selectors.zone_figures(zone_id=zone.pk, since=filters.since, until=filters.until)
    d = f.definitions
    return {
        "zone_id": zone.pk,
        "raised": f.raised,
        "responded": f.responded,
        "resolved": f.resolved,
        "rated": f.rated,
        "satisfied": f.satisfied,
        "overdue": f.overdue,
        "response_rate": {"value": f.response_rate, "definition": str(d["response_rate"])},
        "resolution_rate": {"value": f.resolution_rate, "definition": str(d["resolution_rate"])},
        "satisfaction_rate": {
            "value": f.satisfaction_rate,
            "definition": str(d["satisfaction_rate"]),
        },
        "median_days": f.median_days,
        "aid_paid_fen": f.aid_paid_fen,
        "aid_paid_text": f.aid_paid_text,
    }


@router.get("/demands/{demand_id}", response=DemandOut, summary="诉求详情（含办理记录）")
def demand_detail(request: HttpRequest, demand_id: Id):
    return _demand_detail(request, demand_id)


@router.post("/demands/{demand_id}/updates", response=DemandOut, summary="记录办理情况")
def demand_update(request: HttpRequest, demand_id: Id, payload: NoteIn):
    demand = selectors.demand_get(user=request.user, demand_id=demand_id)
    services.demand_update(demand=demand, actor=request.user, note=payload.note)
    return _demand_detail(request, demand_id)


@router.post("/demands/{demand_id}/resolve", response=DemandOut, summary="办结诉求")
def demand_resolve(request: HttpRequest, demand_id: Id, payload: ResolveIn):
    demand = selectors.demand_get(user=request.user, demand_id=demand_id)
    services.demand_resolve(demand=demand, actor=request.user, resolution=payload.resolution)
    return _demand_detail(request, demand_id)


@router.post("/demands/{demand_id}/assign", response=DemandOut, summary="指定责任人和期限")
def demand_assign(request: HttpRequest, demand_id: Id, payload: AssignIn):
    demand = selectors.demand_get(user=request.user, demand_id=demand_id)
    owner = _owner(demand.zone_id, payload.owner_id)
    services.demand_assign(demand=demand, actor=request.user, owner=owner, due_on=payload.due_on)
    return _demand_detail(request, demand_id)


@router.post(
    "/demands/{demand_id}/rate",
    response=DemandOut,
    summary="评价办理结果（提出人本人；不满意则重新办理）",
)
def demand_rate(request: HttpRequest, demand_id: Id, payload: RateIn):
    demand = selectors.demand_get(user=request.user, demand_id=demand_id)
    services.demand_rate(
        demand=demand,
        actor=request.user,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
    )
    return _demand_detail(request, demand_id)


# --------------------------------------------------------------------- cases


def _case_out(case: HardshipCase) -> dict:
    return {
        "id": case.pk,
        "zone_id": case.zone_id,
        "title": case.title,
        "case_type": case.case_type.name,
        "origin": case.origin,
        "status": case.status,
        "status_label": case.get_status_display(),
        "outcome": case.outcome,
        "opened_on": case.opened_on,
        "closed_at": case.closed_at,
        "person_id": case.person_id,
        "person_name": case.person.name,
        "summary": case.summary,
        "demand_id": case.demand_id,
        "outcome_note": case.outcome_note,
        "satisfaction": case.satisfaction,
        "officer_ids": [u.pk for u in selectors.officers_of(case)],
        "steps": [
            {
                "id": s.pk,
                "order": s.order,
                "name": s.name,
                "kind": s.kind,
                "due_on": s.due_on,
                "done_on": s.done_on,
                "late": s.late,
                "note": s.note,
            }
            for s in selectors.case_timeline(case)
        ],
        "attachments": attachments_of(
            zone_id=case.zone_id, owner_kind=CASE_FILES, owner_id=case.pk
        ),
    }


def _case_for_write(request: HttpRequest, case_id: int) -> HardshipCase:
    """The case a write names, if the caller may see it (the write itself is audited)."""
    case = cases_visible(request.user).filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def _read(request: HttpRequest, case_id: int) -> dict:
    return _case_out(selectors.case_get(user=request.user, case_id=case_id))


class CaseFilter(Schema):
    zone_id: Id | None = None
    status: str = ""
    mine: bool = False


@router.get("/cases", response=list[CaseSummaryOut], summary="帮扶个案列表（仅经办人和园区管理员）")
@paginate(Pages)
def case_list(request: HttpRequest, filters: Query[CaseFilter]):
    return selectors.cases_for_user(
        user=request.user, status=filters.status, mine=filters.mine, zone_id=filters.zone_id
    )


@router.post("/cases", response={201: CaseOut}, summary="开案（按标准流程生成各步骤及期限）")
def case_create(request: HttpRequest, payload: CaseIn):
    zone = request_zone(request, payload.zone_id)
    demand = None
    if payload.demand_id is not None:
        demand = (
            selectors.demands_for_user(user=request.user, zone_id=zone.pk)
            .filter(pk=payload.demand_id)
            .first()
        )
        if demand is None:
            raise InvalidInput({"demand_id": _("诉求不存在或不属于本园区")})
    case = services.case_open(
        actor=request.user,
        zone=zone,
        person_id=payload.person_id,
        title=payload.title,
        summary=payload.summary,
        origin=payload.origin,
        demand=demand,
        officer_ids=payload.officer_ids,
    )
    return Status(201, _read(request, case.pk))


@router.get("/cases/{case_id}", response=CaseOut, summary="个案详情与时间线（每次查看均记入审计）")
def case_detail(request: HttpRequest, case_id: Id):
    return _read(request, case_id)


@router.post("/cases/{case_id}/officers", response=CaseOut, summary="增加经办人")
def case_officers(request: HttpRequest, case_id: Id, payload: OfficersIn):
    case = _case_for_write(request, case_id)
    services.case_assign(case=case, actor=request.user, officer_ids=payload.officer_ids)
    return _read(request, case_id)


@router.post("/cases/{case_id}/steps/{step_id}/done", response=CaseOut, summary="完成一个步骤")
def case_step_done(request: HttpRequest, case_id: Id, step_id: Id, payload: StepDoneIn):
    case = _case_for_write(request, case_id)
    services.case_step_done(
        case=case, step_id=step_id, actor=request.user, note=payload.note, done_on=payload.done_on
    )
    return _read(request, case_id)


@router.post("/cases/{case_id}/close", response=CaseOut, summary="结案（来源诉求随之办结）")
def case_close(request: HttpRequest, case_id: Id, payload: CloseIn):
    case = _case_for_write(request, case_id)
    services.case_close(case=case, actor=request.user, outcome=payload.outcome, note=payload.note)
    return _read(request, case_id)


@router.post("/cases/{case_id}/rate", response=CaseOut, summary="评价（本人；不满意则重新办理）")
def case_rate(request: HttpRequest, case_id: Id, payload: RateIn):
    case = _case_for_write(request, case_id)
    services.case_rate(
        case=case, actor=request.user, satisfaction=payload.satisfaction, comment=payload.comment
    )
    return _read(request, case_id)


def _officer_case(request: HttpRequest, case_id: int, why: str) -> HardshipCase:
    case = selectors.case_get(user=request.user, case_id=case_id, why=why)
    if not case.as_officer:
        raise NotFound()
    return case


@router.get("/cases/{case_id}/aid", response=list[AidOut], summary="个案的帮扶救助申请")
def aid_list(request: HttpRequest, case_id: Id):
    case = _officer_case(request, case_id, _("查看帮扶救助申请"))
    return [aid_out(a) for a in selectors.aid_for_case(case)]


@router.post("/cases/{case_id}/aid", response={201: AidOut}, summary="提交帮扶救助申请")
def aid_create(request: HttpRequest, case_id: Id, payload: AidIn):
    case = _case_for_write(request, case_id)
    aid = services.aid_apply(case=case, actor=request.user, data=payload.dict())
    return Status(201, aid_out(aid))


def _aid(case: HardshipCase, aid_id: int):
    found = [a for a in selectors.aid_for_case(case) if a.pk == aid_id]
    if not found:
        raise NotFound()
    return found[0]


@router.get(
    "/cases/{case_id}/aid/{aid_id}/check",
    response=DuplicateCheckOut,
    summary="重复帮扶提示：同期同类帮扶及福利领取情况",
)
def aid_check(request: HttpRequest, case_id: Id, aid_id: Id):
    case = _officer_case(request, case_id, _("核对重复帮扶"))
    check = services.aid_duplicates(_aid(case, aid_id))
    return {"needs_confirm": check.needs_confirm, "lines": check.lines()}


@router.post(
    "/cases/{case_id}/aid/{aid_id}/approve",
    response=AidOut,
    summary="审批（须由申请人以外的人员；同期同类已有帮扶时须 confirm_duplicate）",
)
def aid_approve(request: HttpRequest, case_id: Id, aid_id: Id, payload: ConfirmIn | None = None):
    case = _case_for_write(request, case_id)
    payload = payload or ConfirmIn()
    aid = services.aid_approve(
        case=case,
        aid_id=aid_id,
        actor=request.user,
        confirm_duplicate=payload.confirm_duplicate,
    )
    return aid_out(aid)


@router.post(
    "/cases/{case_id}/aid/{aid_id}/pay",
    response=AidOut,
    summary="发放（经台账记账，只发一次；重试返回首次发放结果，replayed=true）",
)
def aid_pay(request: HttpRequest, case_id: Id, aid_id: Id, payload: ConfirmIn | None = None):
    case = _case_for_write(request, case_id)
    payload = payload or ConfirmIn()
    aid = services.aid_pay(
        case=case, aid_id=aid_id, actor=request.user, confirm_duplicate=payload.confirm_duplicate
    )
    return aid_out(aid)


# ----------------------------------------------------------------- referrals


class ReferralFilter(Schema):
    zone_id: Id | None = None
    status: str = ""
    overdue: bool = False


@router.get(
    "/referrals", response=list[ReferralOut], summary="转办事项（部门联络员只看到本部门的）"
)
@paginate(Pages)
def referral_list(request: HttpRequest, filters: Query[ReferralFilter]):
    return selectors.referrals_for_user(
        user=request.user, status=filters.status, overdue=filters.overdue, zone_id=filters.zone_id
    )


@router.post("/referrals", response={201: ReferralOut}, summary="转办诉求或个案至部门")
def referral_create(request: HttpRequest, payload: ReferralIn):
    zone = request_zone(request, payload.zone_id)
    demand = case = None
    if payload.demand_id is not None:
        demand = (
            selectors.demands_for_user(user=request.user, zone_id=zone.pk)
            .filter(pk=payload.demand_id)
            .first()
        )
        if demand is None:
            raise InvalidInput({"demand_id": _("诉求不存在或不属于本园区")})
    if payload.case_id is not None:
        case = cases_visible(request.user).filter(zone_id=zone.pk, pk=payload.case_id).first()
        if case is None:
            raise InvalidInput({"case_id": _("个案不存在或不属于本园区")})
    referral = services.referral_create(
        actor=request.user,
        zone=zone,
        department_id=payload.department_id,
        due_on=payload.due_on,
        note=payload.note,
        demand=demand,
        case=case,
    )
    return Status(201, selectors.referral_get(user=request.user, referral_id=referral.pk))


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="转办事项详情")
def referral_detail(request: HttpRequest, referral_id: Id):
    return selectors.referral_get(user=request.user, referral_id=referral_id)


@router.post("/referrals/{referral_id}/reply", response=ReferralOut, summary="部门回复")
def referral_reply(request: HttpRequest, referral_id: Id, payload: ReplyIn):
    referral = selectors.referral_get(user=request.user, referral_id=referral_id)
    services.referral_reply(referral=referral, actor=request.user, reply=payload.reply)
    return selectors.referral_get(user=request.user, referral_id=referral_id)


@router.post("/referrals/{referral_id}/close", response=ReferralOut, summary="部门办结")
def referral_close(request: HttpRequest, referral_id: Id):
    referral = selectors.referral_get(user=request.user, referral_id=referral_id)
    services.referral_close(referral=referral, actor=request.user)
    return selectors.referral_get(user=request.user, referral_id=referral_id)
