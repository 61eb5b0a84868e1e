"""The stations 台账: an Excel workbook of check-ins, keepers' walk-in counts and a
per-station, per-month summary, written by the core kit (`gaoxin.core.excel`).

Only stored masks reach the file (`138****1234`, `张*`): nothing is decrypted.
Rows are streamed from the database (`.iterator()`), so memory stays flat
however long the period.
"""

import datetime as dt

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.enums import JobType
from gaoxin.core.excel import DATE, DATETIME, INT, MASKED, Column, Export, Sheet
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require
from gaoxin.stations import selectors
from gaoxin.stations.enums import Amenity
from gaoxin.stations.models import Checkin, StationDayCount, StationMonthWorker, WalkinBatch

CHUNK_SIZE = 2000


def mask_name(name: str) -> str:
    """张三 → 张*, 冯立松 → 冯**: enough for a keeper to recognise a regular, not more."""
    name = (name or "").strip()
    return name if len(name) <= 1 else name[0] + "*" * min(len(name) - 1, 2)


def _labels(values, table: dict) -> str:
    return "、".join(str(table.get(v, v)) for v in values or [])


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def station_ledger(
    *, user: User, zone: Zone, since: dt.date | None, until: dt.date | None
) -> Export:
    """The zone's stations ledger for [since, until] (local days), for the kit to write.

    Restricted like the pages: the user's zone, and a keeper's own stations
    only; refused (Forbidden) here, before anything is written.
    """
    require(user, "stations.view_checkin", zone_id=zone.pk)
    station_ids = selectors.stations_for_user(user=user, zone_id=zone.pk).values("id")
    period = _("%(a)s 至 %(b)s") % {"a": since or _("最早记录"), "b": until or _("今天")}
    notes = [
        _("%(zone)s 暖新驿站服务台账，统计期间：%(p)s。") % {"zone": zone.name, "p": period},
        _("“签到记录”为劳动者扫码签到，每行一人次；“站长登记”为站长补登的未扫码人次。"),
        _("“汇总”的服务人次 = 扫码签到 + 站长登记；扫码劳动者为当月在该站扫码的不同人数。"),
        _("劳动者姓名和手机号均已脱敏，本文件不含完整号码。"),
    ]
    return Export(
        what=str(_("暖新驿站台账")),
        actor=user,
        zone=zone,
        notes=notes,
        sheets=_sheets(user=user, zone=zone, station_ids=station_ids, since=since, until=until),
        scope={"since": str(since or ""), "until": str(until or "")},
    )


def _sheets(*, user, zone, station_ids, since, until):
    """The three sheets, each built when the kit reaches it."""
    services = dict(Amenity.choices)
    jobs = dict(JobType.choices)
    checkins = Checkin.objects.filter(zone=zone, station_id__in=station_ids)
    if since:
        checkins = checkins.filter(occurred_at__gte=_start(since))
    if until:
        checkins = checkins.filter(occurred_at__lt=_start(until + dt.timedelta(days=1)))
    checkins = (
        checkins.select_related("station", "person")
        .only(
            "occurred_at",
            "job_type",
            "services",
            "source",
            "station__name",
            "person__name",
            "person__phone_masked",
        )
        .order_by("occurred_at", "id")
    )
    yield Sheet(
        _("签到记录"),
        [
            Column(_("时间"), DATETIME),
            Column(_("驿站"), width=30),
            Column(_("劳动者"), width=10),
            Column(_("手机号(已脱敏)"), MASKED),
            Column(_("职业类型")),
            Column(_("服务项目"), width=30),
            Column(_("来源")),
        ],
        (
            [
                c.occurred_at,
                c.station.name,
                mask_name(c.person.name),
                c.person.phone_masked,
                str(jobs.get(c.job_type, "")),
                _labels(c.services, services),
                c.get_source_display(),
            ]
            for c in checkins.iterator(chunk_size=CHUNK_SIZE)
        ),
    )

    batches = WalkinBatch.objects.filter(zone=zone, station_id__in=station_ids)
    if since:
        batches = batches.filter(day__gte=since)
    if until:
        batches = batches.filter(day__lte=until)
    batches = batches.select_related("station", "entered_by").order_by("day", "id")
    yield Sheet(
        _("站长登记"),
        [
            Column(_("日期"), DATE),
            Column(_("驿站"), width=30),
            Column(_("人次"), INT),
            Column(_("服务项目"), width=30),
            Column(_("备注"), width=24),
            Column(_("登记人")),
            Column(_("登记时间"), DATETIME),
        ],
        (
            [
                b.day,
                b.station.name,
                b.visits,
                _labels(b.services, services),
                b.note,
                str(b.entered_by) if b.entered_by_id else _("系统"),
                b.entered_at,
            ]
            for b in batches.iterator(chunk_size=CHUNK_SIZE)
        ),
    )

    days = StationDayCount.objects.filter(zone=zone, station_id__in=station_ids, metric="visits")
    months = StationMonthWorker.objects.filter(zone=zone, station_id__in=station_ids)
    if since:
        days = days.filter(day__gte=since)
        months = months.filter(month__gte=since.replace(day=1))
    if until:
        days = days.filter(day__lte=until)
        months = months.filter(month__lte=until)
    visits = {
        (r["station_id"], r["m"]): r["n"]
        for r in days.annotate(m=TruncMonth("day"))
        .values("station_id", "m")
        .annotate(n=Sum("value"))
    }
    workers = {
        (r["station_id"], r["month"]): r["n"]
        for r in months.values("station_id", "month").annotate(n=Count("person_id"))
    }
    names = dict(selectors.stations_for_user(user=user, zone_id=zone.pk).values_list("id", "name"))
    keys = sorted(set(visits) | set(workers), key=lambda k: (names.get(k[0], ""), k[1]))
    yield Sheet(
        _("汇总"),
        [
            Column(_("驿站"), width=30),
            Column(_("月份")),
            Column(_("服务人次"), INT),
            Column(_("扫码劳动者(人)"), INT),
        ],
        [
            [
                names.get(sid, str(sid)),
                f"{month.year}-{month.month:02d}",
                visits.get((sid, month), 0),
                workers.get((sid, month), 0),
            ]
            for sid, month in keys
        ],
        footer=[[_("合计"), "", sum(visits.get(k, 0) for k in keys), ""]],
    )
