"""暖新驿站: stations, check-ins, service records and their rollups.

Raw events (Checkin, ServiceRecord) are narrow and append-only. Dashboards
read StationDayCount / StationMonthWorker / StationWorker, which services
bump in the same transaction as the event, so no page scans raw events.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.enums import JobType
from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.registry.models import Person
from gaoxin.stations.enums import CheckinSource, StationKind, StationStatus

# Grid for nearest-station search: 0.05° cells (≈5.5 km north–south), row-major.
CELL_DEG = 0.05
GRID_COLS = int(360 / CELL_DEG)


def grid_cell(lat: float, lng: float) -> int:
    row = int((lat + 90.0) // CELL_DEG)
    col = int((lng + 180.0) // CELL_DEG) % GRID_COLS
    return row * GRID_COLS + col


class Station(ZoneScoped):
    name = models.CharField(_("驿站名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=20, choices=StationKind.choices)
    address = models.CharField(_("地址"), max_length=200)
    lat = models.FloatField(_("纬度（WGS-84）"))
    lng = models.FloatField(_("经度（WGS-84）"))
    cell = models.BigIntegerField(editable=False, db_index=True)
    is_24h = models.BooleanField(_("24 小时开放"), default=False)
    hours = models.JSONField(
        _("开放时间"),
        default=dict,
        blank=True,
        help_text=_("按星期的开放时段（分钟），由服务层写入"),
    )
    amenities = models.JSONField(_("服务设施"), default=list, blank=True)
    amenity_mask = models.BigIntegerField(default=0, editable=False)
    # Derived by the services, for the nearest search's open-now filter in SQL:
    # per weekday a bit per half-hour slot in which the station may be open
    # (hours.open_slots; all ones, the default, only means "ask hours.is_open_at"),
    # and the last day any of its closures covers (none: null).
    open_mon = models.BigIntegerField(default=(1 << 48) - 1, editable=False)
    open_tue = models.BigIntegerField(default=(1 << 48) - 1, editable=False)
    open_wed = models.BigIntegerField(default=(1 << 48) - 1, editable=False)
    open_thu = models.BigIntegerField(default=(1 << 48) - 1, editable=False)
    open_fri = models.BigIntegerField(default=(1 << 48) - 1, editable=False)
    open_sat = models.BigIntegerField(default=(1 << 48) - 1, editable=False)
    open_sun = models.BigIntegerField(default=(1 << 48) - 1, editable=False)
    closures_until = models.DateField(null=True, blank=True, editable=False)
    capacity = models.PositiveIntegerField(_("可容纳人数"), default=10)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kept_stations",
        verbose_name=_("站长"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=StationStatus.choices, default=StationStatus.OPEN
    )
    poster_version = models.PositiveIntegerField(_("海报版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("驿站")
        verbose_name_plural = _("驿站")
        ordering = ["zone_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="station_name_unique_in_zone"),
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="station_position_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["cell", "status"], name="station_cell_status"),
            # blocks of 8×8 cells, for the wide squares of the nearest search (nearest.BLOCK_SQL)
            models.Index(
                (models.F("cell") / (GRID_COLS * 8)) * (GRID_COLS // 8)
                + (models.F("cell") % GRID_COLS) / 8,
                "status",
                name="station_block_status",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StationClosure(ZoneScoped):
    """A dated closure (holiday, repairs)."""

    station = ZoneForeignKey(Station, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("闭站日期")
        verbose_name_plural = _("闭站日期")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="closure_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.start_date}–{self.end_date}"


class StationPhoto(ZoneScoped):
    station = ZoneForeignKey(Station, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="stations/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("驿站照片")
        verbose_name_plural = _("驿站照片")

    def __str__(self) -> str:
        return self.caption or self.image.name


class Checkin(ZoneScoped):
    """One visit (one 人次) by a known worker."""

    station = ZoneForeignKey(Station, on_delete=models.PROTECT, related_name="checkins")
    person = ZoneForeignKey(Person, on_delete=models.PROTECT, related_name="station_checkins")
    occurred_at = models.DateTimeField(_("时间"))
    job_type = models.CharField(_("职业类型"), max_length=30, choices=JobType.choices, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=CheckinSource.choices)
    services = models.JSONField(_("服务项目"), default=list)

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        indexes = [
            models.Index(fields=["zone", "station", "occurred_at"], name="checkin_station_time"),
            models.Index(fields=["zone", "person", "occurred_at"], name="checkin_person_time"),
        ]

    def __str__(self) -> str:
        return f"{self.station_id}@{self.occurred_at:%Y-%m-%d %H:%M}"


class ServiceRecord(ZoneScoped):
    """A service rendered: `count` people served with one service (1 for a scan;
    a keeper's batch "今天 12 人次饮水" is one row with count 12 and no person)."""

    station = ZoneForeignKey(Station, on_delete=models.PROTECT, related_name="service_records")
    checkin = ZoneForeignKey(
        Checkin, on_delete=models.CASCADE, null=True, blank=True, related_name="service_records"
    )
    person = ZoneForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True)
    service = models.CharField(_("服务项目"), max_length=20)
    count = models.PositiveIntegerField(_("人次"), default=1)
    occurred_at = models.DateTimeField(_("时间"))
    source = models.CharField(_("来源"), max_length=10, choices=CheckinSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        indexes = [
            models.Index(fields=["zone", "station", "occurred_at"], name="service_station_time")
        ]

    def __str__(self) -> str:
        return f"{self.service}×{self.count}"


class WalkinBatch(ZoneScoped):
    """A keeper's count of walk-ins who did not scan ("今天 12 人次")."""

    station = ZoneForeignKey(Station, on_delete=models.PROTECT, related_name="walkin_batches")
    day = models.DateField(_("日期"))
    visits = models.PositiveIntegerField(_("人次"))
    services = models.JSONField(_("服务项目"), default=list)
    note = models.CharField(_("备注"), max_length=100, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("站长登记")
        verbose_name_plural = _("站长登记")

    def __str__(self) -> str:
        return f"{self.station_id} {self.day} {self.visits}"


class CheckinGuard(ZoneScoped):
    """Last check-in per (station, person): a conditional update on this row is
    what makes repeated taps within the window count once, on any database."""

    station = ZoneForeignKey(Station, on_delete=models.CASCADE)
    person = ZoneForeignKey(Person, on_delete=models.CASCADE)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "station", "person"], name="checkin_guard_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.person_id}"


class StationDayCount(ZoneScoped):
    """Rollup: per station and local day, metric "visits" (key ""), "service"
    (key = service) or "job" (key = job type) → value."""

    station = ZoneForeignKey(Station, on_delete=models.CASCADE, related_name="day_counts")
    day = models.DateField()
    metric = models.CharField(max_length=10)
    key = models.CharField(max_length=30, blank=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "station", "day", "metric", "key"], name="station_day_count_unique"
            )
        ]
        indexes = [models.Index(fields=["zone", "metric", "day"], name="daycount_zone_metric_day")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day} {self.metric}:{self.key}={self.value}"


class StationMonthWorker(ZoneScoped):
    """Rollup: which workers visited a station in a month (distinct counts are row counts)."""

    station = ZoneForeignKey(Station, on_delete=models.CASCADE)
    month = models.DateField()
    person = ZoneForeignKey(Person, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "station", "month", "person"], name="station_month_worker_unique"
            )
        ]
        # distinct workers per station within a period: scan only the period's months
        indexes = [
            models.Index(
                fields=["zone", "month", "station", "person"], name="monthworker_zone_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m} {self.person_id}"


class StationWorker(ZoneScoped):
    """Rollup: every worker who ever visited a station, with the first visit."""

    station = ZoneForeignKey(Station, on_delete=models.CASCADE)
    person = ZoneForeignKey(Person, on_delete=models.CASCADE)
    first_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "station", "person"], name="station_worker_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.person_id}"


class Counter(ZoneScoped):
    """A rollup counter row: metric ("visits", "service", "job", "workers",
    "new_workers"), key (the service or job type, else "") and value, added to by
    services.rollups._add in one INSERT … ON CONFLICT DO UPDATE."""

    metric = models.CharField(max_length=12)
    key = models.CharField(max_length=30, blank=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class StationMonthCount(Counter):
    """Rollup by station and local month, so a dashboard over years reads a few
    thousand rows: the day counts summed ("visits", "service", "job"), plus
    distinct-worker counters bumped only when a worker is new — "workers" (new to
    the station in that month: distinct that month) and "new_workers" (first visit
    to the station ever: their sum is the station's distinct workers to date)."""

    station = ZoneForeignKey(Station, on_delete=models.CASCADE, related_name="month_counts")
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "station", "month", "metric", "key"],
                name="station_month_count_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["zone", "metric", "station", "month", "key", "value"],
                name="monthcount_zone_metric",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m} {self.metric}:{self.key}={self.value}"


class ZoneWorker(ZoneScoped):
    """Rollup: every worker who ever checked in anywhere in the zone (first visit)."""

    person = ZoneForeignKey(Person, on_delete=models.CASCADE)
    first_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "person"], name="zone_worker_unique")
        ]

    def __str__(self) -> str:
        return f"{self.zone_id}/{self.person_id}"


class ZoneMonthWorker(ZoneScoped):
    """Rollup: which workers checked in anywhere in the zone in a month."""

    month = models.DateField()
    person = ZoneForeignKey(Person, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "month", "person"], name="zone_month_worker_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.month:%Y-%m} {self.person_id}"


class ZoneMonthCount(Counter):
    """Rollup by zone and local month: the station month counts summed ("visits",
    "service", "job"), so zone figures do not grow with the number of stations,
    and distinct-worker counters bumped only when ZoneMonthWorker / ZoneWorker
    gained a row: "workers" (distinct that month) and "new_workers" (first visit
    in the zone; their sum is the zone's distinct workers to date)."""

    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "month", "metric", "key"], name="zone_month_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.month:%Y-%m} {self.metric}:{self.key}={self.value}"


class ZoneDayCount(Counter):
    """Rollup by zone and local day ("visits", "service", "job"): the partial
    months at the edges of a period, without reading every station's days."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "day", "metric", "key"], name="zone_day_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.day} {self.metric}:{self.key}={self.value}"
