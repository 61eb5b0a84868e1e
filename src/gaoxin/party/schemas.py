"""API shapes of the party program. Dates a user types are range-checked (core Day);
texts carry the services' length limits. No identifier ever leaves masked."""

import datetime as dt

from ninja import Field, Schema

from gaoxin.core.schemas import Day, Id

ZONE_ID = Field(None, description="跨园区账号必填；本园区账号可省略")


class OrgIn(Schema):
    zone_id: Id | None = ZONE_ID
    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=20, description="committee / branch / industry_branch …")
    founded_on: Day
    parent_id: Id | None = None
    secretary_id: Id | None = None
    enterprise_ids: list[Id] = Field([], max_length=500, description="覆盖的企业（自成立日起）")


class OrgOut(Schema):
    id: int
    zone_id: int
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    secretary_id: int | None
    secretary_name: str
    founded_on: dt.date
    enterprise_ids: list[int]


class MemberOut(Schema):
    id: int
    person_id: int
    name: str
    joined_on: dt.date
    full_on: dt.date | None


class CandidateIn(Schema):
    zone_id: Id | None = ZONE_ID
    person_id: Id
    org_id: Id
    applied_on: Day
    document: str = Field(..., max_length=200)
    contact_id: Id | None = None
    trainer_id: Id | None = None


class StageRecordOut(Schema):
    stage: str
    stage_label: str
    on: dt.date
    document: str


class CandidateOut(Schema):
    id: int
    zone_id: int
    person_id: int
    name: str
    org_id: int
    stage: str
    stage_label: str
    stage_on: dt.date
    applied_on: dt.date
    talked_on: dt.date | None
    contact_id: int | None
    trainer_id: int | None
    records: list[StageRecordOut]


class AdvanceIn(Schema):
    stage: str = Field(..., max_length=20, description="推进到的下一阶段")
    on: Day
    document: str = Field(..., max_length=200, description="支部大会决议、党委审批等")
    contact_id: Id | None = None
    trainer_id: Id | None = None


class TalkIn(Schema):
    talked_on: Day


class VisitDemandIn(Schema):
    """A need heard on the visit, raised as a demand (the cases program tracks it)."""

    title: str = Field(..., max_length=100)
    category: str = Field(..., max_length=20, description="诉求类别（同 /demands 的 category）")
    detail: str = Field("", max_length=5000)


class VisitIn(Schema):
    zone_id: Id | None = ZONE_ID
    enterprise_id: Id
    visited_on: Day
    people_met: str = Field(..., max_length=200)
    topics: str = Field(..., max_length=5000)
    findings: str = Field("", max_length=5000)
    follow_ups: str = Field("", max_length=5000)
    demand: VisitDemandIn | None = Field(None, description="走访中了解到的诉求，一并登记为诉求")


class InstructorVisitOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    enterprise_name: str
    instructor_id: int
    visited_on: dt.date
    people_met: str
    topics: str
    findings: str
    follow_ups: str
    demand_id: int | None = Field(None, description="走访时登记的诉求（/demands/{id}）")


class FigureRecordOut(Schema):
    candidate_id: int
    name: str
    on: dt.date
    document: str


class PartyFiguresOut(Schema):
    start: dt.date
    end: dt.date
    sentence: str
    joined: list[FigureRecordOut]
    activists: list[FigureRecordOut]


class CoverageOut(Schema):
    on: dt.date
    firms: int
    party: int
    union: int
    both: int
    party_rate: float
    union_rate: float
    both_rate: float


class RuleOut(Schema):
    id: str
    text: str
    source: str
    article: str
    refuses: bool


class PartyOrgCoverIn(Schema):
    enterprise_id: Id
    since: Day = Field(..., description="覆盖起始日期（不早于组织成立日期）")


class PartyUnionIn(Schema):
    zone_id: Id | None = ZONE_ID
    enterprise_id: Id
    since: Day = Field(..., description="建会日期")
    union_name: str = Field(..., max_length=100)


class PartyUnionOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    since: dt.date
    union_name: str


class PartyAssignmentIn(Schema):
    zone_id: Id | None = ZONE_ID
    instructor_id: Id
    enterprise_id: Id
    start_on: Day
    end_on: Day | None = None


class PartyAssignmentOut(Schema):
    id: int
    zone_id: int
    instructor_id: int
    enterprise_id: int
    enterprise_name: str
    start_on: dt.date
    end_on: dt.date | None
