"""Excel ledgers (台账) of activities, sign-ups and attendance.

Identifiers stay masked: a ledger leaves the building on a USB stick, so it
carries what the screen shows and nothing more.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gaoxin.activities import selectors
from gaoxin.activities.models import Activity
from gaoxin.core.audit import audit_export
from gaoxin.core.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _sheet(ws, title: str, heading: str, columns: list[tuple[str, int]], rows) -> None:
    """A titled sheet: heading row, bold column names, frozen below them."""
    ws.title = title
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.append([name for name, _width in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for index, (_name, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A3"


def _bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def signups_workbook(*, user: User, activity: Activity) -> bytes:
    """报名台账: every sign-up in waiting-list order, with its attendance count."""
    signups = list(selectors.signups_of_activity(user=user, activity=activity))
    ages = selectors.child_ages(signups)
    columns = [(_("序号"), 6), (_("姓名"), 12), (_("手机号码"), 15), (_("子女"), 10),
               (_("子女年龄"), 9), (_("场次"), 20), (_("状态"), 9), (_("报名时间"), 17),
               (_("取消时间"), 17), (_("出勤次数"), 9), (_("备注"), 24)]  # fmt: skip
    rows = []
    for number, s in enumerate(signups, start=1):
        session = (
            f"{_('第 %(n)d 场') % {'n': s.session.seq}} {_local(s.session.starts_at)}"
            if s.session
            else _("全部场次")
        )
        rows.append([
            number, s.person.name, s.person.phone_masked, s.child.name_masked if s.child else "",
            ages.get(s.child_id, ""), session, str(s.get_status_display()), _local(s.signed_up_at),
            _local(s.cancelled_at), s.attended_sessions, s.note,
        ])  # fmt: skip
    wb = Workbook()
    heading = _("%(title)s 报名台账（导出于 %(at)s）") % {
        "title": activity.title,
        "at": _local(timezone.now()),
    }
    _sheet(wb.active, _("报名台账"), heading, columns, rows)
    audit_export(zone=activity.zone_id, actor=user, what=str(_("报名台账")), rows=len(rows),
                 scope={"activity": activity.pk})  # fmt: skip
    return _bytes(wb)


def attendance_workbook(*, user: User, activity: Activity) -> bytes:
    """出勤台账: one row per check-in, and a sheet of totals per session."""
    records = list(selectors.attendance_of_activity(user=user, activity=activity))
    columns = [(_("序号"), 6), (_("场次"), 8), (_("场次时间"), 17), (_("姓名"), 12),
               (_("子女"), 10), (_("签到方式"), 12), (_("签到时间"), 17), (_("登记人"), 14)]  # fmt: skip
    rows = [
        [n, a.session.seq, _local(a.session.starts_at), a.person.name,
         a.signup.child.name_masked if a.signup.child else "", str(a.get_method_display()),
         _local(a.checked_in_at), str(a.recorded_by) if a.recorded_by else ""]
        for n, a in enumerate(records, start=1)
    ]  # fmt: skip
    wb = Workbook()
    heading = _("%(title)s 出勤台账（导出于 %(at)s）") % {
        "title": activity.title,
        "at": _local(timezone.now()),
    }
    _sheet(wb.active, _("出勤台账"), heading, columns, rows)
    per_session: dict[int, int] = {}
    for a in records:
        per_session[a.session_id] = per_session.get(a.session_id, 0) + 1
    sessions = selectors.sessions_of(activity)
    summary = [[s.seq, _local(s.starts_at), s.place or activity.place, per_session.get(s.pk, 0)]
               for s in sessions]  # fmt: skip
    _sheet(wb.create_sheet(), _("各场次汇总"), _("各场次出勤人次"),
           [(_("场次"), 8), (_("时间"), 17), (_("地点"), 30), (_("出勤人次"), 10)], summary)  # fmt: skip
    audit_export(zone=activity.zone_id, actor=user, what=str(_("出勤台账")), rows=len(rows),
                 scope={"activity": activity.pk})  # fmt: skip
    return _bytes(wb)


def activities_workbook(*, user: User, activities) -> bytes:
    """活动台账: the activities list with their figures."""
    columns = [(_("序号"), 6), (_("活动名称"), 30), (_("类型"), 10), (_("状态"), 8),
               (_("主办单位"), 24), (_("协办单位"), 24), (_("地点"), 24), (_("开始时间"), 17),
               (_("结束时间"), 17), (_("场次数"), 8), (_("报名人数"), 9), (_("出勤人次"), 9)]  # fmt: skip
    rows = [
        [n, a.title, str(a.get_kind_display()), str(a.get_status_display()), a.organiser,
         "、".join(a.partners), a.place, _local(a.starts_at), _local(a.ends_at), a.session_count,
         a.signup_count, a.attendance_count]
        for n, a in enumerate(activities, start=1)
    ]  # fmt: skip
    wb = Workbook()
    _sheet(
        wb.active,
        _("活动台账"),
        _("关爱活动台账（导出于 %(at)s）") % {"at": _local(timezone.now())},
        columns,
        rows,
    )
    audit_export(zone=user.zone_id, actor=user, what=str(_("活动台账")), rows=len(rows))
    return _bytes(wb)
