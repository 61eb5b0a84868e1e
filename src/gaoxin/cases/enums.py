"""Cases choices and the one table of transitions per workflow entity."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemandCategory(models.TextChoices):
    WAGES = "wages", _("劳动报酬")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    SAFETY = "safety", _("劳动安全与职业伤害")
    REST = "rest", _("休息与驿站服务")
    PLATFORM_RULES = "platform_rules", _("平台规则与派单")
    HARDSHIP = "hardship", _("生活困难")
    CHILDREN = "children", _("子女教育")
    OTHER = "other", _("其他")


class DemandSource(models.TextChoices):
    MEETING = "meeting", _("联席会议")
    STATION_KEEPER = "station_keeper", _("驿站站长反映")
    INSTRUCTOR_VISIT = "instructor_visit", _("党建指导员走访")
    WORKER_PHONE = "worker_phone", _("劳动者手机提交")


class DemandStatus(models.TextChoices):
    OPEN = "open", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


SATISFIED = {Satisfaction.SATISFIED, Satisfaction.BASICALLY}


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    REPLIED = "replied", _("已回复")
    CLOSED = "closed", _("已办结")


class CaseOrigin(models.TextChoices):
    DEMAND = "demand", _("由诉求转入")
    VISIT = "visit", _("走访发现")
    WORKER_REQUEST = "worker_request", _("劳动者本人申请")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    CLOSED = "closed", _("已结案")


class CaseOutcome(models.TextChoices):
    AIDED = "aided", _("已帮扶")
    REFERRED = "referred", _("已转办")
    NOT_NEEDED = "not_needed", _("经核实无需帮扶")
    OTHER = "other", _("其他")


class StepKind(models.TextChoices):
    VISIT = "visit", _("入户走访")
    APPLICATION = "application", _("提交申请")
    REVIEW = "review", _("审核")
    DECISION = "decision", _("审批决定")
    PAYMENT = "payment", _("发放")
    FOLLOW_UP = "follow_up", _("回访")
    OTHER = "other", _("其他")


class AidKind(models.TextChoices):
    HARDSHIP = "hardship", _("困难职工帮扶")
    CRITICAL_ILLNESS = "critical_illness", _("大病救助")
    TUITION = "tuition", _("助学/学费减免")
    OTHER = "other", _("其他")


class AidStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已发放")
    REJECTED = "rejected", _("未通过")


# The standard timeline of a hardship case (CiviCase-like): step, kind, days after opening.
STANDARD_TIMELINE = [
    (_("入户走访"), StepKind.VISIT, 3),
    (_("提交帮扶申请"), StepKind.APPLICATION, 10),
    (_("审核"), StepKind.REVIEW, 20),
    (_("审批决定"), StepKind.DECISION, 25),
    (_("发放帮扶救助金"), StepKind.PAYMENT, 30),
    (_("回访"), StepKind.FOLLOW_UP, 60),
]

# Demand status changes: (from, to) → verb. Satisfaction "不满意" reopens a resolved demand.
DEMAND_TRANSITIONS = {
    (DemandStatus.OPEN, DemandStatus.IN_PROGRESS): "update",
    (DemandStatus.IN_PROGRESS, DemandStatus.IN_PROGRESS): "update",
    (DemandStatus.OPEN, DemandStatus.RESOLVED): "resolve",
    (DemandStatus.IN_PROGRESS, DemandStatus.RESOLVED): "resolve",
    (DemandStatus.RESOLVED, DemandStatus.IN_PROGRESS): "reopen",
}

REFERRAL_TRANSITIONS = {
    (ReferralStatus.OPEN, ReferralStatus.REPLIED): "reply",
    (ReferralStatus.REPLIED, ReferralStatus.REPLIED): "reply",
    (ReferralStatus.OPEN, ReferralStatus.CLOSED): "close",
    (ReferralStatus.REPLIED, ReferralStatus.CLOSED): "close",
}

AID_TRANSITIONS = {
    (AidStatus.APPLIED, AidStatus.APPROVED): "approve",
    (AidStatus.APPLIED, AidStatus.REJECTED): "reject",
    (AidStatus.APPROVED, AidStatus.PAID): "pay",
}
