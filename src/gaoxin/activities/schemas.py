"""API shapes of the activities program. Children leave masked, always."""

import datetime as dt

from ninja import Field, FilterSchema, Schema

from gaoxin.core.schemas import Id, Moment


class ScheduleIn(Schema):
    first_start: Moment = Field(..., description="首场开始时间（无时区时按北京时间）")
    duration_minutes: int = Field(..., ge=1, le=24 * 60, description="每场时长（分钟）")
    repeat: str = Field("once", description="once / daily / weekdays / weekly / monthly")
    count: int = Field(1, ge=1, le=200, description="场次数")
    capacity: int | None = Field(None, ge=1, description="每场名额（按场次报名时；默认同活动名额）")
    place: str = Field("", max_length=200, description="地点（留空同活动地点）")


class ActivityIn(Schema):
    zone_id: Id | None = Field(None, description="跨园区账号必填；本园区账号可省略")
    title: str
    kind: str = Field(
        ...,
        description="daycare / health / caring / culture / party_study / performance / "
        "topic_study / party_joint / secretary_lecture / other",
    )
    description: str = ""
    organiser: str
    partners: list[str] = []
    place: str
    station_id: Id | None = Field(None, description="在暖新驿站举办时为驿站编号")
    party_org_id: Id | None = Field(None, description="党组织开展的活动（如“三个一”）为党组织编号")
    signup_mode: str = Field("series", description="series 整期报名 / session 按场次报名")
    audience: str = Field("open", description="open / workers / children")
    min_age: int | None = None
    max_age: int | None = None
    eligibility_note: str = ""
    capacity: int
    waitlist: bool = True
    signup_deadline: Moment | None = None
    schedule: ScheduleIn | None = Field(None, description="同时添加的场次")


class ActivityPatch(Schema):
    title: str | None = None
    kind: str | None = None
    description: str | None = None
    organiser: str | None = None
    partners: list[str] | None = None
    place: str | None = None
    station_id: Id | None = None
    party_org_id: Id | None = None
    signup_mode: str | None = None
    audience: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    eligibility_note: str | None = None
    capacity: int | None = None
    waitlist: bool | None = None
    signup_deadline: Moment | None = None


class ActivityOut(Schema):
    id: int
    zone_id: int
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    description: str
    organiser: str
    partners: list[str]
    place: str
    station_id: int | None
    party_org_id: int | None
    signup_mode: str
    audience: str
    min_age: int | None
    max_age: int | None
    eligibility_note: str
    capacity: int
    confirmed: int = Field(..., description="整期报名时的已确认人数（按场次报名时见各场次）")
    waitlisted: int
    waitlist: bool
    signup_deadline: dt.datetime | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class ActivityPartyOrgCountOut(Schema):
    party_org_id: int
    party_org_name: str
    kind: str
    kind_label: str
    three_ones: bool = Field(..., description="是否“三个一”活动（专题学习、党建联建、书记讲党课）")
    activities: int = Field(..., description="期间内有场次举办的活动数")
    sessions: int = Field(..., description="期间内举办的场次数")


class ActivityFilter(FilterSchema):
    zone_id: Id | None = None
    status: str = ""
    kind: str = ""
    party_org_id: Id | None = Field(None, description="只看该党组织开展的活动")
    q: str = Field("", description="名称、主办单位或地点")


class TransitionIn(Schema):
    note: str = Field("", max_length=200, description="说明（如退回原因）")


class SessionOut(Schema):
    id: int
    seq: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    capacity: int
    confirmed: int
    waitlisted: int


class SessionPatch(Schema):
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    place: str | None = None
    capacity: int | None = None


class ChildIn(Schema):
    name: str = Field(..., max_length=40)
    birth_date: str = Field("", description="YYYY-MM-DD；填写身份证号时可省略")
    id_number: str = Field("", description="身份证号（选填）")


class SignUpIn(Schema):
    person_id: Id | None = Field(None, description="工作人员代为报名时填写；劳动者本人报名可省略")
    session_id: Id | None = Field(None, description="按场次报名的活动必填")
    child: ChildIn | None = Field(None, description="面向子女的活动必填")
    child_id: Id | None = Field(None, description="已登记过的子女，可代替 child")
    note: str = Field("", max_length=200)


class ChildOut(Schema):
    id: int
    name: str = Field(..., alias="name_masked")
    id_number: str = Field(..., alias="id_number_masked")


class SignUpOut(Schema):
    id: int
    zone_id: int
    activity_id: int
    session_id: int | None
    person_id: int
    person_name: str = Field(..., alias="person.name")
    child: ChildOut | None
    status: str
    status_label: str
    signed_up_at: dt.datetime
    confirmed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    attended_at: dt.datetime | None
    waitlist_position: int | None = None
    cancellable: bool = Field(..., description="现在能否取消（与取消接口的判断相同）")
    created: bool | None = Field(None, description="本次请求是否新建（重复提交时为 false）")

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class CancelOut(SignUpOut):
    promoted_ids: list[int] = Field([], description="因本次取消而从候补递补的报名")


class AttendanceIn(Schema):
    token: str | None = Field(None, description="扫码签到：二维码中的令牌")
    signup_ids: list[Id] | None = Field(None, description="工作人员登记：到场的报名编号")


class AttendanceOut(Schema):
    id: int
    session_id: int
    signup_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    checked_in_at: dt.datetime
    method: str
    created: bool | None = None


class ActivityCheckinIn(Schema):
    token: str = Field(..., max_length=500)


class CheckinCodeOut(Schema):
    token: str
    url: str


class ProgrammeItemIn(Schema):
    title: str
    genre: str = ""
    performers: str = ""
    duration_minutes: int | None = None
    note: str = ""
    position: int | None = Field(
        None, ge=1, le=10_000, description="插入位置（从 1 起）；省略则排在最后"
    )


class ProgrammeItemPatch(Schema):
    title: str | None = None
    genre: str | None = None
    performers: str | None = None
    duration_minutes: int | None = None
    note: str | None = None


class MoveIn(Schema):
    position: int = Field(..., ge=1, le=10_000)


class ProgrammeItemOut(Schema):
    id: int
    position: int
    title: str
    genre: str
    performers: str
    duration_minutes: int | None
    note: str


class ActivityTotalsOut(Schema):
    zone_id: int
    since: dt.datetime | None
    until: dt.datetime | None
    events: dict[str, int]
    events_total: int
    caring_events: int
    sessions: dict[str, int]
    sessions_total: int
    signups: int
    attendance: dict[str, int]
    attendance_total: int
    participants: int
