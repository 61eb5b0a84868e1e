"""Excel ledgers (台账) of activities, sign-ups and attendance, written by the
core kit (`gaoxin.core.excel`).

Identifiers stay masked: a ledger leaves the building on a USB stick, so it
carries what the screen shows and nothing more.
"""

from django.utils.translation import gettext as _

from gaoxin.activities import selectors
from gaoxin.activities.models import Activity
from gaoxin.core.excel import DATETIME, INT, MASKED, Column, Export, Sheet, local_text
from gaoxin.core.models import User


def _heading(activity: Activity, what: str) -> str:
    return _("%(title)s %(what)s") % {"title": activity.title, "what": what}


def signups_export(*, user: User, activity: Activity) -> Export:
    """报名台账: every sign-up in waiting-list order, with its attendance count."""
    signups = list(selectors.signups_of_activity(user=user, activity=activity))
    ages = selectors.child_ages(signups)
    title = str(_("报名台账"))
    columns = [
        Column(_("序号"), INT),
        Column(_("姓名")),
        Column(_("手机号码"), MASKED),
        Column(_("子女"), MASKED, width=10),
        Column(_("子女年龄"), INT),
        Column(_("场次"), width=26),
        Column(_("状态")),
        Column(_("报名时间"), DATETIME),
        Column(_("取消时间"), DATETIME),
        Column(_("出勤次数"), INT),
        Column(_("备注"), width=24),
    ]
    rows = []
    for number, s in enumerate(signups, start=1):
        session = (
            f"{_('第 %(n)d 场') % {'n': s.session.seq}} {local_text(s.session.starts_at)}"
            if s.session
            else _("全部场次")
        )
        rows.append(
            [
                number,
                s.person.name,
                s.person.phone_masked,
                s.child.name_masked if s.child else "",
                ages.get(s.child_id, ""),
                session,
                str(s.get_status_display()),
                s.signed_up_at,
                s.cancelled_at,
                s.attended_sessions,
                s.note,
            ]
        )
    return Export(
        what=title,
        actor=user,
        zone=activity.zone_id,
        scope={"activity": activity.pk},
        sheets=[Sheet(title, columns, rows)],
        notes=[_heading(activity, title)],
    )


def attendance_export(*, user: User, activity: Activity) -> Export:
    """出勤台账: one row per check-in, and a sheet of totals per session (not counted again)."""
    records = list(selectors.attendance_of_activity(user=user, activity=activity))
    title = str(_("出勤台账"))
    columns = [
        Column(_("序号"), INT),
        Column(_("场次"), INT),
        Column(_("场次时间"), DATETIME),
        Column(_("姓名")),
        Column(_("子女"), MASKED, width=10),
        Column(_("签到方式")),
        Column(_("签到时间"), DATETIME),
        Column(_("登记人")),
    ]
    rows = [
        [
            n,
            a.session.seq,
            a.session.starts_at,
            a.person.name,
            a.signup.child.name_masked if a.signup.child else "",
            str(a.get_method_display()),
            a.checked_in_at,
            str(a.recorded_by) if a.recorded_by else "",
        ]
        for n, a in enumerate(records, start=1)
    ]
    per_session: dict[int, int] = {}
    for a in records:
        per_session[a.session_id] = per_session.get(a.session_id, 0) + 1
    summary = [
        [s.seq, s.starts_at, s.place or activity.place, per_session.get(s.pk, 0)]
        for s in selectors.sessions_of(activity)
    ]
    sheets = [
        Sheet(title, columns, rows),
        Sheet(
            _("各场次汇总"),
            [
                Column(_("场次"), INT),
                Column(_("时间"), DATETIME),
                Column(_("地点"), width=30),
                Column(_("出勤人次"), INT),
            ],
            summary,
            counted=False,
        ),
    ]
    return Export(
        what=title,
        actor=user,
        zone=activity.zone_id,
        scope={"activity": activity.pk},
        sheets=sheets,
        notes=[_heading(activity, title)],
    )


def activities_export(*, user: User, activities) -> Export:
    """活动台账: the activities list with their figures."""
    title = str(_("活动台账"))
    columns = [
        Column(_("序号"), INT),
        Column(_("活动名称"), width=30),
        Column(_("类型")),
        Column(_("状态")),
        Column(_("主办单位"), width=24),
        Column(_("协办单位"), width=24),
        Column(_("地点"), width=24),
        Column(_("开始时间"), DATETIME),
        Column(_("结束时间"), DATETIME),
        Column(_("场次数"), INT),
        Column(_("报名人数"), INT),
        Column(_("出勤人次"), INT),
    ]
    rows = (
        [
            n,
            a.title,
            str(a.get_kind_display()),
            str(a.get_status_display()),
            a.organiser,
            "、".join(a.partners),
            a.place,
            a.starts_at,
            a.ends_at,
            a.session_count,
            a.signup_count,
            a.attendance_count,
        ]
        for n, a in enumerate(activities, start=1)
    )
    return Export(
        what=title,
        actor=user,
        zone=user.zone_id,
        sheets=[Sheet(title, columns, rows)],
        notes=[_("关爱活动台账")],
    )
