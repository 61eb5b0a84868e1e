"""Activities, their sessions, sign-ups, attendance and festival programmes.

A sign-up takes a seat in one *slot*: the activity itself when the activity
is signed up for as a whole (a day-care class), or one session when people
pick a session. Each slot carries `capacity`, `confirmed` and `waitlisted`
counters that change only by conditional `UPDATE … SET confirmed = confirmed
+ 1 WHERE confirmed < capacity`, with a CHECK constraint as the last line of
defence, so no race can oversell a place.

Children's details are personal data: ciphertext, a keyed blind index for
matching and a pre-masked copy for screens, as core.Person does.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gaoxin.activities.domain import cancel_refusal
from gaoxin.activities.enums import (
    ActivityKind,
    ActivityStatus,
    AttendanceMethod,
    Audience,
    SignupMode,
    SignUpStatus,
)
from gaoxin.core.models import ZoneScoped
from gaoxin.core.references import ReferenceField
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.registry.models import Person


class Activity(ZoneScoped):
    title = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    description = models.TextField(_("活动介绍"), blank=True)
    organiser = models.CharField(_("主办单位"), max_length=100)
    partners = models.JSONField(_("协办单位"), default=list, blank=True)
    place = models.CharField(_("活动地点"), max_length=200)
    station_id = ReferenceField(
        _("所在驿站编号"),
        kind="stations.station",
        null=True,
        blank=True,
        help_text=_("活动在暖新驿站举办时填写驿站的编号（驿站程序中的驿站）"),
    )  # declared reference, checked by the services
    party_org_id = ReferenceField(
        _("所属党组织编号"),
        kind="party.partyorg",
        null=True,
        blank=True,
        help_text=_("党组织开展的活动（如“三个一”）填写组织编号（党建程序中的党组织）"),
    )  # declared reference, checked by the services
    signup_mode = models.CharField(
        _("报名方式"), max_length=10, choices=SignupMode.choices, default=SignupMode.SERIES
    )
    audience = models.CharField(
        _("报名对象"), max_length=10, choices=Audience.choices, default=Audience.OPEN
    )
    min_age = models.PositiveSmallIntegerField(_("最小年龄（周岁）"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最大年龄（周岁）"), null=True, blank=True)
    eligibility_note = models.CharField(_("报名条件说明"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("名额"), help_text=_("整期报名时为全期名额；按场次报名时为每场默认名额")
    )
    confirmed = models.PositiveIntegerField(_("已确认人数"), default=0, editable=False)
    waitlisted = models.PositiveIntegerField(_("候补人数"), default=0, editable=False)
    waitlist = models.BooleanField(_("名额满后开放候补"), default=True)
    signup_deadline = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.DRAFT,
        editable=False,
    )
    # First session start and last session end, kept by the session services
    # so lists sort and filter without joining sessions.
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)
    # When it was closed or cancelled: sessions after an early close were never held.
    ended_at = models.DateTimeField(_("结束或取消时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("关爱活动")
        verbose_name_plural = _("关爱活动")
        ordering = ["zone_id", "-starts_at", "-id"]
        permissions = [("publish_activity", _("审核、发布和取消活动"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed__lte=F("capacity")), name="activity_confirmed_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="activity_age_range_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "status", "starts_at"], name="activity_zone_status"),
            models.Index(fields=["zone", "kind", "starts_at"], name="activity_zone_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def per_session(self) -> bool:
        return self.signup_mode == SignupMode.SESSION

    @property
    def for_children(self) -> bool:
        return self.audience == Audience.CHILDREN

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.confirmed, 0)


class Session(ZoneScoped):
    """One occurrence of an activity; also the slot when people sign up per session."""

    activity = ZoneForeignKey(
        Activity, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("活动")
    )
    seq = models.PositiveIntegerField(_("场次"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True, help_text=_("留空则同活动地点"))
    capacity = models.PositiveIntegerField(_("名额"))
    confirmed = models.PositiveIntegerField(_("已确认人数"), default=0, editable=False)
    waitlisted = models.PositiveIntegerField(_("候补人数"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动场次")
        verbose_name_plural = _("活动场次")
        ordering = ["activity_id", "starts_at", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "activity", "seq"], name="session_seq_unique"),
            models.CheckConstraint(
                condition=Q(confirmed__lte=F("capacity")), name="session_confirmed_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["zone", "starts_at"], name="session_zone_start")]

    def __str__(self) -> str:
        return f"{self.activity} 第 {self.seq} 场"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.confirmed, 0)


class Child(ZoneScoped):
    """A worker's child, registered for children's activities (托管班).

    Name, ID number and birth date are personal data: only ciphertext, a
    blind index and a masked copy are stored. `identity_hash` (name + birth
    date) lets a parent sign the same child up again without a duplicate.
    """

    guardian = ZoneForeignKey(
        Person, on_delete=models.PROTECT, related_name="activity_children", verbose_name=_("家长")
    )
    name_cipher = models.TextField(editable=False)
    name_masked = models.CharField(_("子女姓名"), max_length=40, editable=False)
    id_number_cipher = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    birth_date_cipher = models.TextField(editable=False)
    identity_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职工子女")
        verbose_name_plural = _("职工子女")
        ordering = ["zone_id", "guardian_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "guardian", "identity_hash"], name="child_unique_per_guardian"
            ),
        ]

    def __str__(self) -> str:
        return self.name_masked


class SignUp(ZoneScoped):
    """One person's (or their child's) place in an activity, or on its waiting list."""

    activity = ZoneForeignKey(
        Activity, on_delete=models.PROTECT, related_name="signups", verbose_name=_("活动")
    )
    session = ZoneForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signups",
        verbose_name=_("场次"),
        help_text=_("按场次报名时为所选场次；整期报名时为空"),
    )
    person = ZoneForeignKey(
        Person, on_delete=models.PROTECT, related_name="activity_signups", verbose_name=_("报名人")
    )
    child = ZoneForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signups",
        verbose_name=_("参加的子女"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SignUpStatus.choices, editable=False
    )
    # "<session id or 0>:<child id or 0>". Session and child are nullable and
    # NULLs never collide in a unique index, so uniqueness keys on this instead.
    unique_key = models.CharField(max_length=40, editable=False)
    signed_up_at = models.DateTimeField(_("报名时间"), db_index=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("首次签到时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["activity_id", "signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "activity", "person", "unique_key"],
                condition=~Q(status=SignUpStatus.CANCELLED),
                name="signup_one_active_per_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=["zone", "activity", "status", "signed_up_at"], name="signup_activity_status"
            ),
            models.Index(fields=["zone", "person", "status"], name="signup_person_status"),
            models.Index(fields=["zone", "session", "status"], name="signup_session_status"),
        ]

    def __str__(self) -> str:
        who = f"{self.person}（{self.child}）" if self.child_id else str(self.person)
        return f"{self.activity} · {who}"

    @property
    def is_active(self) -> bool:
        return self.status != SignUpStatus.CANCELLED

    @property
    def cancellable(self) -> bool:
        """Whether its holder may cancel it now; the rule is domain.cancel_refusal,
        which the cancel service enforces."""
        return self.status != SignUpStatus.CANCELLED and cancel_refusal(self) is None


class Attendance(ZoneScoped):
    """A signed-up participant was present at one session; at most once."""

    session = ZoneForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("场次")
    )
    activity = ZoneForeignKey(
        Activity, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("活动")
    )  # denormalised: the dashboard counts by activity kind without joining sessions
    signup = ZoneForeignKey(
        SignUp, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("报名")
    )
    person = ZoneForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("报名人")
    )
    checked_in_at = models.DateTimeField(_("签到时间"))
    method = models.CharField(_("签到方式"), max_length=10, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("出勤记录")
        verbose_name_plural = _("出勤记录")
        ordering = ["session_id", "checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "session", "signup"], name="attendance_once_per_session"
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "activity"], name="attendance_zone_activity"),
            models.Index(fields=["zone", "checked_in_at"], name="attendance_zone_time"),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.person}"


class ProgrammeItem(ZoneScoped):
    """One item of a performance's programme (节目单), in running order."""

    activity = ZoneForeignKey(
        Activity, on_delete=models.PROTECT, related_name="programme", verbose_name=_("活动")
    )
    position = models.PositiveIntegerField(_("顺序"))
    title = models.CharField(_("节目名称"), max_length=100)
    genre = models.CharField(_("节目形式"), max_length=40, blank=True)
    performers = models.CharField(_("表演者"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节目")
        verbose_name_plural = _("节目单")
        ordering = ["activity_id", "position", "id"]
        indexes = [models.Index(fields=["zone", "activity", "position"], name="programme_order")]

    def __str__(self) -> str:
        return f"《{self.title}》"

    @property
    def display(self) -> str:
        """As a programme prints it: 歌舞《十里桃花·十里情》."""
        return f"{self.genre}《{self.title}》"
