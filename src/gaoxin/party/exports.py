"""Excel 台账 of the party program through the core kit (`gaoxin.core.excel`): the
development pipeline (names only, no identifiers) and instructors' visits. The kit
audits each export."""

from django.utils.translation import gettext as _

from gaoxin.core.excel import DATE, INT, Column, Export, Sheet
from gaoxin.core.models import User, Zone
from gaoxin.party import selectors


def _notes(zone: Zone, title: str):
    return lambda count: [
        _("%(zone)s · %(what)s，共 %(n)d 条。") % {"zone": zone.name, "what": title, "n": count}
    ]


def pipeline(*, user: User, zone: Zone) -> Export:
    title = str(_("入党发展台账"))
    qs = (
        selectors.candidates_for_officer(user=user, zone_id=zone.pk, audit=False)
        .prefetch_related("records")
        .order_by("applied_on", "id")
    )
    columns = [
        Column(_("序号"), INT),
        Column(_("姓名")),
        Column(_("党组织"), width=24),
        Column(_("当前阶段")),
        Column(_("递交申请书日期"), DATE),
        Column(_("谈话日期"), DATE),
        Column(_("确定积极分子日期"), DATE),
        Column(_("列为发展对象日期"), DATE),
        Column(_("接收预备党员日期"), DATE),
        Column(_("转为正式党员日期"), DATE),
    ]

    def row(n, c):
        on = {r.stage: r.on for r in c.records.all()}
        return [
            n,
            c.person.name,
            c.org.name,
            c.get_stage_display(),
            c.applied_on,
            c.talked_on,
            on.get("activist"),
            on.get("target"),
            on.get("probationary"),
            on.get("full"),
        ]

    rows = (row(n, c) for n, c in enumerate(qs, start=1))
    return Export(
        what=title,
        actor=user,
        zone=zone.pk,
        sheets=[Sheet(title, columns, rows)],
        notes=_notes(zone, title),
    )


def visits(*, user: User, zone: Zone) -> Export:
    title = str(_("党建指导员走访台账"))
    qs = selectors.visits_for_user(user=user, zone_id=zone.pk).order_by("visited_on", "id")
    columns = [
        Column(_("序号"), INT),
        Column(_("走访日期"), DATE),
        Column(_("企业"), width=30),
        Column(_("党建指导员")),
        Column(_("见到的人"), width=20),
        Column(_("交流内容"), width=40),
        Column(_("了解到的情况"), width=40),
        Column(_("后续跟进"), width=40),
    ]
    rows = (
        [
            n,
            v.visited_on,
            v.enterprise.name,
            v.instructor.get_full_name() or v.instructor.username,
            v.people_met,
            v.topics,
            v.findings,
            v.follow_ups,
        ]
        for n, v in enumerate(qs, start=1)
    )
    return Export(
        what=title,
        actor=user,
        zone=zone.pk,
        sheets=[Sheet(title, columns, rows)],
        notes=_notes(zone, title),
    )
