"""Choices of the activities program and its two transition tables.

The tables are the single source of truth for which state changes exist;
`services.activity_transition` and `services.signup_transition` refuse
anything not listed here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    DAYCARE = "daycare", _("托管班")
    HEALTH = "health", _("体检理疗")
    CARING = "caring", _("关爱慰问")
    CULTURE = "culture", _("文化体验")
    PARTY_STUDY = "party_study", _("党课/学习")
    # A party branch's "三个一" activities (肇庆: 专题学习, 党建联建, 书记讲党课).
    TOPIC_STUDY = "topic_study", _("专题学习")
    PARTY_JOINT = "party_joint", _("党建联建")
    SECRETARY_LECTURE = "secretary_lecture", _("书记讲党课")
    PERFORMANCE = "performance", _("节庆演出")
    OTHER = "other", _("其他")


# Kinds that a report counts as "关爱慰问活动" (the seed's "10 余场次" covers the
# day-care class, the check-up month and the visits with gifts).
CARING_KINDS = (ActivityKind.DAYCARE, ActivityKind.HEALTH, ActivityKind.CARING)

# The "三个一" of a party branch, counted per branch and per kind.
THREE_ONES = (ActivityKind.TOPIC_STUDY, ActivityKind.PARTY_JOINT, ActivityKind.SECRETARY_LECTURE)


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class SignupMode(models.TextChoices):
    SERIES = "series", _("整期报名（参加全部场次）")
    SESSION = "session", _("按场次报名")


class Audience(models.TextChoices):
    OPEN = "open", _("园区内人员均可报名")
    WORKERS = "workers", _("新就业形态劳动者本人")
    CHILDREN = "children", _("新就业形态劳动者子女（需填写子女信息）")


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已确认")
    WAITLISTED = "waitlisted", _("候补中")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已出席")


# Statuses that hold a seat (count towards `confirmed` of the slot).
SEATED = (SignUpStatus.CONFIRMED, SignUpStatus.ATTENDED)
ACTIVE = (SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED, SignUpStatus.ATTENDED)


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    OFFICER = "officer", _("工作人员登记")


class Repeat(models.TextChoices):
    ONCE = "once", _("不重复")
    DAILY = "daily", _("每天")
    WEEKDAYS = "weekdays", _("每个工作日（周一至周五）")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class Transition:
    """One allowed state change: which states it leaves, where it goes, who may."""

    def __init__(self, sources, target, perm: str, label):
        self.sources = frozenset(sources)
        self.target = target
        self.perm = perm
        self.label = label


# verb → transition. Verbs are the API's POST endpoints (/activities/{id}/<verb>).
ACTIVITY_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        [ActivityStatus.DRAFT], ActivityStatus.PENDING, "activities.change_activity", _("提交审核")
    ),
    "publish": Transition(
        [ActivityStatus.PENDING],
        ActivityStatus.PUBLISHED,
        "activities.publish_activity",
        _("审核通过并发布"),
    ),
    "reject": Transition(
        [ActivityStatus.PENDING], ActivityStatus.DRAFT, "activities.publish_activity", _("退回修改")
    ),
    "close": Transition(
        [ActivityStatus.PUBLISHED],
        ActivityStatus.CLOSED,
        "activities.change_activity",
        _("结束活动"),
    ),
    "cancel": Transition(
        [ActivityStatus.DRAFT, ActivityStatus.PENDING, ActivityStatus.PUBLISHED],
        ActivityStatus.CANCELLED,
        "activities.publish_activity",
        _("取消活动"),
    ),
}

# (from, to) pairs of sign-up states; `signup_transition` is the only writer.
SIGNUP_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (SignUpStatus.WAITLISTED, SignUpStatus.CONFIRMED),  # promoted from the waiting list
        (SignUpStatus.CONFIRMED, SignUpStatus.CANCELLED),
        (SignUpStatus.WAITLISTED, SignUpStatus.CANCELLED),
        (SignUpStatus.CONFIRMED, SignUpStatus.ATTENDED),  # first check-in
    }
)
