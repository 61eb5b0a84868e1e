"""The stations 台账: an Excel workbook of check-ins, keepers' walk-in counts and a
per-station, per-month summary.

Only stored masks reach the file (`138****1234`, `张*`): nothing is decrypted.
Rows are streamed from the database (`.iterator()`) into an openpyxl
write-only workbook, so memory stays flat however long the period.
"""

import datetime as dt
from typing import IO

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from gaoxin.core.audit import audit_export
from gaoxin.core.enums import JobType
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


def _sheet(wb: Workbook, title: str, headers: list[str], widths: list[int]):
    ws = wb.create_sheet(title)
    for letter, width in zip("ABCDEFGHIJ", widths, strict=False):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FDECEA")
    row = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.fill = bold, fill
        row.append(cell)
    ws.append(row)
    return ws


def station_ledger_xlsx(*, user: User, zone: Zone, since: dt.date | None, until: dt.date | None,
                        fileobj: IO[bytes]) -> dict[str, int]:  # fmt: skip
    """Write the zone's stations ledger for [since, until] (local days) to `fileobj`.

    Restricted like the pages: the user's zone, and a keeper's own stations
    only. Returns the row count of each sheet.
    """
    require(user, "stations.view_checkin", zone_id=zone.pk)
    station_ids = selectors.stations_for_user(user=user, zone_id=zone.pk).values("id")
    services = dict(Amenity.choices)
    jobs = dict(JobType.choices)
    counts = {}
    wb = Workbook(write_only=True)

    ws = _sheet(wb, _("签到记录"), [_("时间"), _("驿站"), _("劳动者"), _("手机号(已脱敏)"),
                                   _("职业类型"), _("服务项目"), _("来源")], [18, 30, 10, 16, 12, 30, 10])  # fmt: skip
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
        )  # fmt: skip
        .order_by("occurred_at", "id")
    )
    n = 0
    for c in checkins.iterator(chunk_size=CHUNK_SIZE):
        ws.append([timezone.localtime(c.occurred_at).strftime("%Y-%m-%d %H:%M"), c.station.name,
                   mask_name(c.person.name), c.person.phone_masked, str(jobs.get(c.job_type, "")),
                   _labels(c.services, services), c.get_source_display()])  # fmt: skip
        n += 1
    counts["checkins"] = n

    ws = _sheet(wb, _("站长登记"), [_("日期"), _("驿站"), _("人次"), _("服务项目"), _("备注"),
                                   _("登记人"), _("登记时间")], [12, 30, 8, 30, 24, 12, 18])  # fmt: skip
    batches = WalkinBatch.objects.filter(zone=zone, station_id__in=station_ids)
    if since:
        batches = batches.filter(day__gte=since)
    if until:
        batches = batches.filter(day__lte=until)
    batches = batches.select_related("station", "entered_by").order_by("day", "id")
    n = 0
    for b in batches.iterator(chunk_size=CHUNK_SIZE):
        who = (b.entered_by.display_name or b.entered_by.username) if b.entered_by_id else _("系统")
        ws.append([b.day.isoformat(), b.station.name, b.visits, _labels(b.services, services), b.note,
                   who, timezone.localtime(b.entered_at).strftime("%Y-%m-%d %H:%M")])  # fmt: skip
        n += 1
    counts["walkins"] = n

    ws = _sheet(
        wb, _("汇总"), [_("驿站"), _("月份"), _("服务人次"), _("扫码劳动者(人)")], [30, 10, 12, 16]
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
    total = 0
    for sid, month in keys:
        ws.append([names.get(sid, str(sid)), f"{month.year}-{month.month:02d}",
                   visits.get((sid, month), 0), workers.get((sid, month), 0)])  # fmt: skip
        total += visits.get((sid, month), 0)
    ws.append([_("合计"), "", total, ""])
    counts["summary"] = len(keys)

    notes = wb.create_sheet(_("说明"))
    notes.column_dimensions["A"].width = 100
    period = _("%(a)s 至 %(b)s") % {"a": since or _("最早记录"), "b": until or _("今天")}
    for line in [
        _("%(zone)s 暖新驿站服务台账，统计期间：%(p)s，导出时间 %(at)s。") % {
            "zone": zone.name, "p": period, "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        _("“签到记录”为劳动者扫码签到，每行一人次；“站长登记”为站长补登的未扫码人次。"),
        _("“汇总”的服务人次 = 扫码签到 + 站长登记；扫码劳动者为当月在该站扫码的不同人数。"),
        _("劳动者姓名和手机号均已脱敏，本文件不含完整号码。"),
    ]:  # fmt: skip
        notes.append([line])
    wb.save(fileobj)
    audit_export(zone=zone, actor=user, what=str(_("暖新驿站台账")), rows=sum(counts.values()),
                 scope={"since": str(since or ""), "until": str(until or "")})  # fmt: skip
    return counts
