"""Activities routes under /api/v1/. Thin: parse → selector/service → shape.

Workflow steps are POSTs to verbs (`/activities/{id}/publish`,
`/signups/{id}/cancel`). A retried sign-up POST answers 200 with the sign-up
the first one made (201 the first time), never a second one.
"""

from contextlib import contextmanager

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from gaoxin.activities import selectors, services
from gaoxin.activities.domain import checkin_token, checkin_url
from gaoxin.activities.enums import ACTIVITY_TRANSITIONS
from gaoxin.activities.schemas import (
    ActivityCheckinIn,
    ActivityFilter,
    ActivityIn,
    ActivityOut,
    ActivityPartyOrgCountOut,
    ActivityPatch,
    ActivityTotalsOut,
    AttendanceIn,
    AttendanceOut,
    CancelIn,
    CancelOut,
    CheckinCodeOut,
    MoveIn,
    ProgrammeItemIn,
    ProgrammeItemOut,
    ProgrammeItemPatch,
    ScheduleIn,
    SessionOut,
    SessionPatch,
    SignUpIn,
    SignUpOut,
    TransitionIn,
)
from gaoxin.core.api import Pages
from gaoxin.core.errors import ApplicationError, InvalidInput
from gaoxin.core.rules import require_perm
from gaoxin.core.schemas import Day, Id
from gaoxin.core.tenancy import request_zone

router = Router()

CHILD_FIELDS = {
    "child_name": "child.name",
    "child_birth_date": "child.birth_date",
    "child_id_number": "child.id_number",
}


@contextmanager
def _api_field_names(renames: dict[str, str]):
    """Services name errors after form fields; API clients sent other names."""
    try:
        yield
    except ApplicationError as exc:  # InvalidInput, and not_eligible which carries fields too
        exc.fields = {renames.get(key, key): msg for key, msg in exc.fields.items()}
        raise


def _managed(request: HttpRequest, activity_id: int):
    return selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)


# ------------------------------------------------------------------ activities


@router.get("/activities", response=list[ActivityOut], summary="活动列表")
@paginate(Pages)
def activity_list(request: HttpRequest, filters: Query[ActivityFilter]):
    return selectors.activities_for_user(
        user=request.user,
        zone_id=filters.zone_id,
        status=filters.status,
        kind=filters.kind,
        q=filters.q,
        party_org_id=filters.party_org_id,
    )


@router.post("/activities", response={201: ActivityOut}, summary="新建活动（草稿）")
def activity_create(request: HttpRequest, payload: ActivityIn):
    zone = request_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id", "schedule"})
    schedule = payload.schedule.dict() if payload.schedule else None
    activity = services.activity_create(actor=request.user, zone=zone, data=data, schedule=schedule)
    return Status(201, activity)


@router.get(
    "/activities/totals",
    response=ActivityTotalsOut,
    summary="活动统计（举办活动数、场次、报名、出勤）",
)
def activity_totals(
    request: HttpRequest,
    zone_id: Id | None = None,
    since: Day | None = None,
    until: Day | None = None,
):
    """`since` inclusive, `until` exclusive (dates, local time)."""
    require_perm(request.user, "activities.view_activity")
    zone = request_zone(request, zone_id)
    return selectors.activities_zone_totals(zone.pk, since, until)


@router.get(
    "/activities/party-orgs",
    response=list[ActivityPartyOrgCountOut],
    summary="党组织开展的活动（按组织和类型计数，含“三个一”）",
)
def activity_party_org_counts(
    request: HttpRequest,
    zone_id: Id | None = None,
    since: Day | None = None,
    until: Day | None = None,
):
    """`since` inclusive, `until` exclusive (dates, local time)."""
    require_perm(request.user, "activities.view_activity")
    zone = request_zone(request, zone_id)
    return selectors.party_org_counts(zone.pk, since, until)


@router.get("/activities/{activity_id}", response=ActivityOut, summary="活动详情")
def activity_detail(request: HttpRequest, activity_id: int):
    return selectors.activity_get(user=request.user, activity_id=activity_id)


@router.patch("/activities/{activity_id}", response=ActivityOut, summary="修改活动")
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityPatch):
    activity = _managed(request, activity_id)
    data = payload.dict(exclude_unset=True)
    return services.activity_update(actor=request.user, activity=activity, data=data)


def _transition_route(verb: str):
    def view(request: HttpRequest, activity_id: int, payload: TransitionIn | None = None):
        activity = _managed(request, activity_id)
        note = payload.note if payload else ""
        return services.activity_transition(
            actor=request.user, activity=activity, verb=verb, note=note
        )

    view.__name__ = f"activity_{verb}"
    router.post(
        f"/activities/{{activity_id}}/{verb}",
        response=ActivityOut,
        summary=str(ACTIVITY_TRANSITIONS[verb].label),
    )(view)


for _verb in ACTIVITY_TRANSITIONS:
    _transition_route(_verb)


# --------------------------------------------------------------------- sessions


@router.get("/activities/{activity_id}/sessions", response=list[SessionOut], summary="活动场次")
def session_list(request: HttpRequest, activity_id: int):
    activity = selectors.activity_get(user=request.user, activity_id=activity_id)
    return selectors.sessions_of(activity)


@router.post(
    "/activities/{activity_id}/sessions",
    response={201: list[SessionOut]},
    summary="添加场次（单场或重复）",
)
def session_add(request: HttpRequest, activity_id: int, payload: ScheduleIn):
    activity = _managed(request, activity_id)
    return Status(
        201, services.sessions_add(actor=request.user, activity=activity, data=payload.dict())
    )


@router.patch(
    "/activities/{activity_id}/sessions/{session_id}",
    response=SessionOut,
    summary="修改场次（时间、地点、名额）",
)
def session_update(request: HttpRequest, activity_id: int, session_id: int, payload: SessionPatch):
    activity = _managed(request, activity_id)
    session = selectors.session_get(activity=activity, session_id=session_id)
    data = payload.dict(exclude_unset=True)
    return services.session_update(actor=request.user, session=session, data=data)


@router.delete(
    "/activities/{activity_id}/sessions/{session_id}",
    response={204: None},
    summary="删除场次（无人报名时）",
)
def session_delete(request: HttpRequest, activity_id: int, session_id: int):
    activity = _managed(request, activity_id)
    session = selectors.session_get(activity=activity, session_id=session_id)
    services.session_delete(actor=request.user, session=session)
    return Status(204, None)


@router.get(
    "/activities/{activity_id}/sessions/{session_id}/checkin-code",
    response=CheckinCodeOut,
    summary="场次签到二维码内容",
)
def session_checkin_code(request: HttpRequest, activity_id: int, session_id: int):
    activity = _managed(request, activity_id)
    session = selectors.session_for_checkin_code(
        user=request.user, activity=activity, session_id=session_id
    )
    return {"token": checkin_token(session), "url": checkin_url(session, request)}


@router.get(
    "/activities/{activity_id}/sessions/{session_id}/attendance",
    response=list[AttendanceOut],
    summary="场次出勤记录",
)
@paginate(Pages)
def attendance_list(request: HttpRequest, activity_id: int, session_id: int):
    activity = _managed(request, activity_id)
    session = selectors.session_get(activity=activity, session_id=session_id)
    return selectors.attendance_of_session(user=request.user, session=session)


@router.post(
    "/activities/{activity_id}/sessions/{session_id}/attendance",
    response=list[AttendanceOut],
    summary="签到：扫码令牌（本人）或报名编号（工作人员登记）",
)
def attendance_create(
    request: HttpRequest, activity_id: int, session_id: int, payload: AttendanceIn
):
    if payload.token:
        return services.attendance_checkin(
            actor=request.user, token=payload.token, session_id=session_id, activity_id=activity_id
        )
    if not payload.signup_ids:
        raise InvalidInput({"signup_ids": _("请提供扫码令牌或到场的报名编号")})
    activity = _managed(request, activity_id)
    session = selectors.session_get(activity=activity, session_id=session_id)
    return services.attendance_mark(
        actor=request.user, session=session, signup_ids=payload.signup_ids
    )


@router.post("/checkins", response=list[AttendanceOut], summary="扫码签到（二维码中的令牌）")
def checkin(request: HttpRequest, payload: ActivityCheckinIn):
    return services.attendance_checkin(actor=request.user, token=payload.token)


# ------------------------------------------------------------------ sign-ups


def _signup_out(signup):
    signup.waitlist_position = selectors.waitlist_position(signup)
    return signup


@router.get(
    "/activities/{activity_id}/signups",
    response=list[SignUpOut],
    summary="活动的报名（工作人员看全部，劳动者看自己的）",
)
@paginate(Pages)
def activity_signups(request: HttpRequest, activity_id: int, status: str = ""):
    selectors.activity_get(user=request.user, activity_id=activity_id)
    return selectors.signups_for_user(user=request.user, activity_id=activity_id, status=status)


@router.post(
    "/activities/{activity_id}/signups",
    response={200: SignUpOut, 201: SignUpOut},
    summary="报名（名额满时进入候补；重复提交返回同一报名）",
)
def signup_create(request: HttpRequest, activity_id: int, payload: SignUpIn):
    user = request.user
    activity = selectors.activity_get(user=user, activity_id=activity_id)
    child = None
    if payload.child is not None:
        child = {
            "child_name": payload.child.name,
            "child_birth_date": payload.child.birth_date,
            "child_id_number": payload.child.id_number,
        }
    with _api_field_names(CHILD_FIELDS):
        signup = services.signup_for(
            actor=user,
            activity=activity,
            person_id=payload.person_id,
            session_id=payload.session_id,
            child_id=payload.child_id,
            child=child,
            note=payload.note,
        )
    return Status(201 if signup.created else 200, _signup_out(signup))


@router.get(
    "/signups", response=list[SignUpOut], summary="报名列表（劳动者：我的报名；工作人员：本园区）"
)
@paginate(Pages)
def signup_list(
    request: HttpRequest, activity_id: Id | None = None, status: str = "", mine: bool = False
):
    return selectors.signups_for_user(
        user=request.user, activity_id=activity_id, status=status, mine=mine
    )


@router.get("/signups/{signup_id}", response=SignUpOut, summary="报名详情")
def signup_detail(request: HttpRequest, signup_id: int):
    return _signup_out(selectors.signup_get(user=request.user, signup_id=signup_id))


@router.post(
    "/signups/{signup_id}/cancel",
    response=CancelOut,
    summary="取消报名（空出的名额自动递补给候补第一位）",
)
def signup_cancel(request: HttpRequest, signup_id: int, payload: CancelIn | None = None):
    signup = selectors.signup_get(user=request.user, signup_id=signup_id)
    reason = payload.reason if payload else ""
    cancelled = services.signup_cancel(actor=request.user, signup=signup, reason=reason)
    cancelled.promoted_ids = [s.pk for s in cancelled.promoted]
    return _signup_out(cancelled)


# ------------------------------------------------------------------ programme


@router.get(
    "/activities/{activity_id}/programme",
    response=list[ProgrammeItemOut],
    summary="节目单（按演出顺序）",
)
def programme_list(request: HttpRequest, activity_id: int):
    activity = selectors.activity_get(user=request.user, activity_id=activity_id)
    return selectors.programme_of(activity)


@router.post(
    "/activities/{activity_id}/programme", response={201: ProgrammeItemOut}, summary="添加节目"
)
def programme_add(request: HttpRequest, activity_id: int, payload: ProgrammeItemIn):
    activity = _managed(request, activity_id)
    data = payload.dict(exclude={"position"})
    item = services.programme_item_add(
        actor=request.user, activity=activity, data=data, position=payload.position
    )
    return Status(201, item)


@router.patch(
    "/activities/{activity_id}/programme/{item_id}", response=ProgrammeItemOut, summary="修改节目"
)
def programme_update(
    request: HttpRequest, activity_id: int, item_id: int, payload: ProgrammeItemPatch
):
    activity = _managed(request, activity_id)
    item = selectors.programme_item_get(activity=activity, item_id=item_id)
    return services.programme_item_update(
        actor=request.user, item=item, data=payload.dict(exclude_unset=True)
    )


@router.post(
    "/activities/{activity_id}/programme/{item_id}/move",
    response=ProgrammeItemOut,
    summary="调整节目顺序",
)
def programme_move(request: HttpRequest, activity_id: int, item_id: int, payload: MoveIn):
    activity = _managed(request, activity_id)
    item = selectors.programme_item_get(activity=activity, item_id=item_id)
    return services.programme_item_move(actor=request.user, item=item, position=payload.position)


@router.delete(
    "/activities/{activity_id}/programme/{item_id}", response={204: None}, summary="删除节目"
)
def programme_delete(request: HttpRequest, activity_id: int, item_id: int):
    activity = _managed(request, activity_id)
    item = selectors.programme_item_get(activity=activity, item_id=item_id)
    services.programme_item_delete(actor=request.user, item=item)
    return Status(204, None)
