"""API shapes of the cases program. Money is integer fen; *_yuan strings are for display.
A case's output carries no identifier of its person beyond the name (masked numbers stay
in the registry)."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Schema

from gaoxin.core.attachments.schemas import AttachmentOut
from gaoxin.core.numbers import yuan
from gaoxin.core.schemas import Day, Id

ZONE_ID = Field(None, description="跨园区账号必填；本园区账号可省略")


class MeetingIn(Schema):
    zone_id: Id | None = ZONE_ID
    held_on: Day
    title: str = Field(..., max_length=100)
    minutes: str = Field("", max_length=20000)
    enterprise_ids: list[Id] = Field([], max_length=500, description="参会企业")
    department_ids: list[Id] = Field([], max_length=100, description="参会部门")


class MeetingOut(Schema):
    id: int
    zone_id: int
    held_on: dt.date
    title: str
    minutes: str
    enterprise_ids: list[int]
    department_ids: list[int]
    progress_url: str


class DemandIn(Schema):
    zone_id: Id | None = ZONE_ID
    title: str = Field(..., max_length=100)
    detail: str = Field("", max_length=5000)
    category: str = Field(
        "",
        description="wages 劳动报酬 / social_insurance 社会保险 / safety 劳动安全 / rest 休息与驿站 "
        "/ platform_rules 平台规则 / hardship 生活困难 / children 子女教育 / other 其他",
    )
    source: str = Field(
        "",
        description="meeting 联席会议 / station_keeper 驿站站长 / instructor_visit 指导员走访 "
        "/ worker_phone 劳动者（劳动者本人提交时省略）",
    )
    meeting_id: Id | None = None
    raised_by_id: Id | None = Field(None, description="提出诉求的劳动者（人员编号）")
    owner_id: Id | None = Field(None, description="责任人（工作人员账号编号）")
    due_on: Day | None = Field(None, description="办理期限，省略为 15 天后")
    enterprise_ids: list[Id] = Field([], max_length=100, description="涉及企业")


class NoteIn(Schema):
    note: str = Field(..., max_length=5000)


class ResolveIn(Schema):
    resolution: str = Field(..., max_length=5000)


class AssignIn(Schema):
    owner_id: Id
    due_on: Day | None = None


class RateIn(Schema):
    satisfaction: str = Field(
        ..., description="satisfied 满意 / basically 基本满意 / dissatisfied 不满意"
    )
    comment: str = Field("", max_length=500)


class DemandUpdateOut(Schema):
    at: dt.datetime
    status_from: str
    status_to: str
    note: str


class DemandOut(Schema):
    id: int
    zone_id: int
    title: str
    detail: str
    category: str
    source: str
    meeting_id: int | None
    owner_id: int | None
    raised_by_id: int | None
    due_on: dt.date
    overdue: bool
    status: str
    status_label: str
    resolution: str
    raised_at: dt.datetime
    responded_at: dt.datetime | None
    resolved_at: dt.datetime | None
    satisfaction: str
    reopened: int
    enterprise_ids: list[int]
    updates: list[DemandUpdateOut] = []

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.overdue_on(timezone.localdate())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_enterprise_ids(obj) -> list[int]:
        return [link.enterprise_id for link in obj.enterprise_links.all()]

    @staticmethod
    def resolve_updates(obj) -> list:
        return list(getattr(obj, "shown_updates", []))


class CaseIn(Schema):
    zone_id: Id | None = ZONE_ID
    person_id: Id
    title: str = Field(..., max_length=100)
    summary: str = Field("", max_length=5000)
    origin: str = Field(
        "visit", description="demand 由诉求转入 / visit 走访发现 / worker_request 本人申请"
    )
    demand_id: Id | None = None
    officer_ids: list[Id] = Field([], max_length=20, description="经办人（开案人自动加入）")


class OfficersIn(Schema):
    officer_ids: list[Id] = Field(..., min_length=1, max_length=20)


class StepDoneIn(Schema):
    note: str = Field("", max_length=5000)
    done_on: Day | None = Field(None, description="完成日期，省略为今天")


class CloseIn(Schema):
    outcome: str = Field(
        ..., description="aided 已帮扶 / referred 已转办 / not_needed 无需帮扶 / other"
    )
    note: str = Field(..., max_length=5000)


class StepOut(Schema):
    id: int
    order: int
    name: str
    kind: str
    due_on: dt.date
    done_on: dt.date | None
    late: bool
    note: str


class CaseSummaryOut(Schema):
    id: int
    zone_id: int
    title: str
    case_type: str
    origin: str
    status: str
    status_label: str
    outcome: str
    opened_on: dt.date
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_case_type(obj) -> str:
        return obj.case_type.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class CaseOut(Schema):
    id: int
    zone_id: int
    title: str
    case_type: str
    origin: str
    status: str
    status_label: str
    outcome: str
    opened_on: dt.date
    closed_at: dt.datetime | None
    person_id: int
    person_name: str
    summary: str
    demand_id: int | None
    outcome_note: str
    satisfaction: str
    officer_ids: list[int]
    steps: list[StepOut]
    attachments: list[AttachmentOut] = Field(
        [], description="附件（申请材料、病历、走访照片等），下载见 download_url"
    )


class AidIn(Schema):
    kind: str = Field(
        ...,
        description="hardship 困难职工帮扶 / critical_illness 大病救助 / tuition 助学/学费减免 / other 其他",
    )
    amount_fen: int = Field(..., description="金额（分），1 分至 10 万元")
    period_start: Day
    period_end: Day
    reason: str = Field("", max_length=2000)


class ConfirmIn(Schema):
    confirm_duplicate: bool = Field(False, description="已核对重复帮扶提示，确认继续")


class AidOut(Schema):
    id: int
    case_id: int
    kind: str
    kind_label: str
    amount_fen: int
    amount_yuan: str
    period_start: dt.date
    period_end: dt.date
    reason: str
    status: str
    applied_by_id: int | None
    approved_by_id: int | None
    paid_at: dt.datetime | None
    replayed: bool = False


class DuplicateCheckOut(Schema):
    needs_confirm: bool
    lines: list[str]


class ReferralIn(Schema):
    zone_id: Id | None = ZONE_ID
    demand_id: Id | None = None
    case_id: Id | None = None
    department_id: Id
    due_on: Day
    note: str = Field("", max_length=5000)


class ReplyIn(Schema):
    reply: str = Field(..., max_length=5000)


class ReferralOut(Schema):
    id: int
    zone_id: int
    subject: str
    note: str
    department_id: int
    department: str
    demand_id: int | None
    case_id: int | None
    due_on: dt.date
    overdue: bool
    status: str
    status_label: str
    reply: str
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.name

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.overdue_on(timezone.localdate())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class ProgressRowOut(Schema):
    title: str
    category: str
    status: str
    resolved: bool
    resolution: str
    days: int | None


class ProgressOut(Schema):
    meeting: str
    held_on: dt.date
    zone: str
    demands: list[ProgressRowOut]


class RateOut(Schema):
    value: float | None
    definition: str


class FiguresOut(Schema):
    zone_id: int
    raised: int
    responded: int
    resolved: int
    rated: int
    satisfied: int
    overdue: int
    response_rate: RateOut
    resolution_rate: RateOut
    satisfaction_rate: RateOut
    median_days: float | None
    aid_paid_fen: int
    aid_paid_text: str


def aid_out(aid) -> dict:
    return {
        "id": aid.pk,
        "case_id": aid.case_id,
        "kind": aid.kind,
        "kind_label": aid.get_kind_display(),
        "amount_fen": aid.amount_fen,
        "amount_yuan": yuan(aid.amount_fen),
        "period_start": aid.period_start,
        "period_end": aid.period_end,
        "reason": aid.reason,
        "status": aid.status,
        "applied_by_id": aid.applied_by_id,
        "approved_by_id": aid.approved_by_id,
        "paid_at": aid.paid_at,
        "replayed": getattr(aid, "replayed", False),
    }
