"""Excel 台账 of the cases program, written by the core kit (`gaoxin.core.excel`):
demands (诉求台账) and aid paid (帮扶救助金发放台账). Names only, no identifiers; money
in yuan as numbers so totals sum in Excel. The kit audits each export."""

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases import selectors
from gaoxin.core.excel import DATE, DATETIME, INT, MONEY_FEN, Column, Export, Sheet
from gaoxin.core.models import User, Zone


def demands_export(*, user: User, zone: Zone) -> Export:
    title = str(_("诉求台账"))
    today = timezone.localdate()
    qs = selectors.demands_for_user(user=user, zone_id=zone.pk).order_by("raised_at", "id")
    columns = [
        Column(_("序号"), INT),
        Column(_("诉求标题"), width=30),
        Column(_("类别")),
        Column(_("来源")),
        Column(_("联席会议"), width=24),
        Column(_("涉及企业"), width=30),
        Column(_("受理时间"), DATETIME),
        Column(_("办理期限"), DATE),
        Column(_("状态")),
        Column(_("是否逾期")),
        Column(_("办结时间"), DATETIME),
        Column(_("办理天数"), INT),
        Column(_("办理结果"), width=40),
        Column(_("满意度")),
    ]
    rows = (
        [
            n,
            d.title,
            d.get_category_display(),
            d.get_source_display(),
            d.meeting.title if d.meeting_id else "",
            "、".join(link.enterprise.name for link in d.enterprise_links.all()),
            d.raised_at,
            d.due_on,
            d.get_status_display(),
            _("逾期") if d.overdue_on(today) else "",
            d.resolved_at,
            d.days_taken,
            d.resolution,
            d.get_satisfaction_display() if d.satisfaction else "",
        ]
        for n, d in enumerate(qs, start=1)
    )
    return Export(
        what=title,
        actor=user,
        zone=zone.pk,
        sheets=[Sheet(title, columns, rows)],
        notes=lambda count: [
            _("%(zone)s · %(what)s，共 %(n)d 条。") % {"zone": zone.name, "what": title, "n": count}
        ],
    )


def aid_export(*, user: User, zone: Zone) -> Export:
    title = str(_("帮扶救助金发放台账"))
    qs = selectors.aid_paid_for_user(user=user, zone_id=zone.pk)
    columns = [
        Column(_("序号"), INT),
        Column(_("个案编号"), INT),
        Column(_("受助人")),
        Column(_("帮扶类型")),
        Column(_("金额（元）"), MONEY_FEN),
        Column(_("所属期间起"), DATE),
        Column(_("所属期间止"), DATE),
        Column(_("申请人")),
        Column(_("审批人")),
        Column(_("发放人")),
        Column(_("发放时间"), DATETIME),
    ]
    rows = (
        [
            n,
            a.case_id,
            a.person.name,
            a.get_kind_display(),
            a.amount_fen,
            a.period_start,
            a.period_end,
            str(a.applied_by) if a.applied_by_id else "",
            str(a.approved_by) if a.approved_by_id else "",
            str(a.paid_by) if a.paid_by_id else "",
            a.paid_at,
        ]
        for n, a in enumerate(qs, start=1)
    )
    return Export(
        what=title,
        actor=user,
        zone=zone.pk,
        sheets=[Sheet(title, columns, rows)],
        notes=lambda count: [
            _("%(zone)s · %(what)s，共 %(n)d 笔。")
            % {"zone": zone.name, "what": title, "n": count},
            _("金额单位为元；只含已发放的申请，每笔经台账记账一次。"),
        ],
    )
