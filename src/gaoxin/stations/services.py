"""Every write of the stations program.

Check-ins and walk-in counts bump the rollups in the same transaction as the
raw record, with conditional UPDATEs (insert on first use, retried on a lost
race), so the figures stay exact under concurrent check-ins on SQLite and
PostgreSQL alike.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import auth, throttle
from gaoxin.core.audit import audit_record, audited_change, snapshot
from gaoxin.core.cleaning import Cleaner
from gaoxin.core.enums import AuditAction, JobType, PersonRole, Role
from gaoxin.core.errors import ApplicationError, Conflict, Forbidden, InvalidInput
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require
from gaoxin.core.services import api_token_issue, user_pin_set
from gaoxin.core.validators import normalize_phone
from gaoxin.registry.models import Person
from gaoxin.registry.services import person_create
from gaoxin.stations import coords, hours, nearest
from gaoxin.stations.enums import (
    Amenity,
    CheckinSource,
    StationKind,
    StationStatus,
    amenity_mask,
)
from gaoxin.stations.models import (
    Checkin,
    CheckinGuard,
    ServiceRecord,
    Station,
    StationClosure,
    StationDayCount,
    StationMonthCount,
    StationMonthWorker,
    StationWorker,
    WalkinBatch,
    ZoneDayCount,
    ZoneMonthCount,
    ZoneMonthWorker,
    ZoneWorker,
    grid_cell,
)

STATION_AUDIT_FIELDS = [
    "name",
    "kind",
    "address",
    "lat",
    "lng",
    "is_24h",
    "hours",
    "amenities",
    "capacity",
    "phone",
    "keeper_id",
    "status",
    "poster_version",
]
TRANSITIONS = {
    StationStatus.OPEN: {StationStatus.PAUSED, StationStatus.CLOSED},
    StationStatus.PAUSED: {StationStatus.OPEN, StationStatus.CLOSED},
    StationStatus.CLOSED: {StationStatus.OPEN},
}
MAX_WALKINS_PER_ENTRY = 500


def dedupe_window() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "GAOXIN_CHECKIN_DEDUPE_MINUTES", 10))


# ------------------------------------------------------------------ registry


def _clean_station(zone_id: int, data: dict, *, partial: bool) -> dict:
    """Station input → model values; InvalidInput naming every wrong field."""
    c = Cleaner(data, partial=partial)
    c.text("name", label=_("驿站名称"), max_length=80)
    c.choice("kind", StationKind, label=_("驿站类型"), default=None)
    c.text("address", label=_("地址"), max_length=200)
    if c.wanted("lat") or c.wanted("lng"):
        _clean_position(c, data)
    c.boolean("is_24h", label=_("24 小时开放"))
    if c.wanted("hours"):
        _clean_hours(c, data.get("hours") or {})
    if c.wanted("amenities"):
        _clean_amenities(c, data.get("amenities") or [])
    c.integer("capacity", label=_("可容纳人数"), low=1, high=1000, required=False, default=10)
    c.text("phone", label=_("联系电话"), max_length=20, required=False)
    if c.wanted("keeper") or c.wanted("keeper_id"):
        _clean_keeper(c, zone_id, data.get("keeper_id", data.get("keeper")))
    if c.errors:
        raise InvalidInput(c.errors)
    values = c.values
    if not partial:
        _require_hours(is_24h=values["is_24h"], week=values["hours"])
        values.update(nearest.open_filter_fields(is_24h=values["is_24h"], week=values["hours"]))
    return values


def _clean_position(c: Cleaner, data: dict) -> None:
    try:
        lat, lng = coords.to_wgs84(data.get("lat"), data.get("lng"), data.get("crs") or "wgs84")
        coords.check_in_china(lat, lng)
    except InvalidInput as exc:
        c.errors.update(exc.fields)
    else:
        c.values.update(lat=round(lat, 7), lng=round(lng, 7), cell=grid_cell(lat, lng))


def _clean_hours(c: Cleaner, spec) -> None:
    try:
        c.values["hours"] = hours.parse_week(spec)
    except InvalidInput as exc:
        c.errors.update(exc.fields)


def _clean_amenities(c: Cleaner, chosen) -> None:
    chosen = list(dict.fromkeys(chosen))
    bad = [a for a in chosen if a not in Amenity.values]
    if bad:
        c.error("amenities", _("未知的服务设施：%(a)s") % {"a": "、".join(map(str, bad))})
    else:
        c.values.update(amenities=chosen, amenity_mask=amenity_mask(chosen))


def _clean_keeper(c: Cleaner, zone_id: int, keeper) -> None:
    keeper_id = getattr(keeper, "pk", keeper)
    if keeper_id in (None, ""):
        c.values["keeper"] = None
        return
    c.values["keeper"] = User.objects.filter(
        pk=keeper_id, zone_id=zone_id, groups__name=Role.STATION_KEEPER
    ).first()
    if c.values["keeper"] is None:
        c.error("keeper", _("站长必须是本园区的驿站站长账号"))


def _require_hours(*, is_24h: bool, week: dict | None) -> None:
    if not is_24h and not any((week or {}).values()):
        raise InvalidInput({"hours": _("请填写开放时间，或勾选 24 小时开放")})


def station_create(*, actor: User | None, zone: Zone, data: dict) -> Station:
    if actor is not None:
        require(actor, "stations.add_station", zone_id=zone.pk)
    values = _clean_station(zone.pk, data, partial=False)
    with transaction.atomic():
        if Station.objects.filter(zone=zone, name=values["name"]).exists():
            raise InvalidInput({"name": _("本园区已有同名驿站")})
        try:
            with transaction.atomic():
                station = Station.objects.create(zone=zone, **values)
        except IntegrityError:  # the same name created a moment ago by someone else
            raise InvalidInput({"name": _("本园区已有同名驿站")}) from None
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=station,
            after=snapshot(station, STATION_AUDIT_FIELDS),
        )
    return station


def station_update(*, actor: User | None, station: Station, data: dict) -> Station:
    if actor is not None:
        require(actor, "stations.change_station", zone_id=station.zone_id)
    values = _clean_station(station.zone_id, data, partial=True)
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        if (
            "name" in values
            and Station.objects.filter(zone_id=station.zone_id, name=values["name"])
            .exclude(pk=station.pk)
            .exists()
        ):
            raise InvalidInput({"name": _("本园区已有同名驿站")})
        with audited_change(station, STATION_AUDIT_FIELDS, actor=actor):
            for key, value in values.items():
                setattr(station, key, value)
            derived = nearest.open_filter_fields(is_24h=station.is_24h, week=station.hours)
            for key, value in derived.items():  # the open-now filter's columns follow the hours
                setattr(station, key, value)
            _require_hours(is_24h=station.is_24h, week=station.hours)
            station.save()
    return station


def station_transition(
    *, actor: User | None, station: Station, to: str, reason: str = ""
) -> Station:
    """The only setter of Station.status."""
    if actor is not None:
        require(actor, "stations.change_station", zone_id=station.zone_id)
    if to not in StationStatus.values:
        raise InvalidInput({"status": _("未知的状态")})
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        if to not in TRANSITIONS[station.status]:
            raise Conflict(
                _("驿站当前为“%(a)s”，不能改为“%(b)s”")
                % {"a": station.get_status_display(), "b": StationStatus(to).label},
                code="bad_transition",
            )
        before = station.status
        station.status = to
        station.save(update_fields=["status", "updated_at"])
        audit_record(
            zone=station.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=station,
            before={"status": before},
            after={"status": to},
            note=reason,
        )
    return station


def station_closure_add(
    *,
    actor: User | None,
    station: Station,
    start_date: dt.date,
    end_date: dt.date,
    reason: str = "",
) -> StationClosure:
    if actor is not None:
        require(actor, "stations.add_stationclosure", zone_id=station.zone_id)
    if end_date < start_date:
        raise InvalidInput({"end_date": _("结束日期不能早于开始日期")})
    with transaction.atomic():
        closure = StationClosure.objects.create(
            zone_id=station.zone_id,
            station=station,
            start_date=start_date,
            end_date=end_date,
            reason=reason,
        )
        # nearest.py asks for closures only of stations whose last closure reaches the day;
        # conditional, so two closures added at once never lower it
        Station.objects.filter(pk=station.pk).exclude(closures_until__gte=end_date).update(
            closures_until=end_date
        )
        audit_record(
            zone=station.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=closure,
            after={
                "station": station.pk,
                "start": str(start_date),
                "end": str(end_date),
                "reason": reason,
            },
        )
    return closure


def poster_reissue(*, actor: User | None, station: Station) -> Station:
    """Print a new poster: every earlier code stops working."""
    if actor is not None:
        require(actor, "stations.change_station", zone_id=station.zone_id)
    with transaction.atomic():
        Station.objects.filter(pk=station.pk).update(poster_version=F("poster_version") + 1)
        station.refresh_from_db()
        audit_record(
            zone=station.zone_id,
            actor=actor,
            action=AuditAction.UPDATE,
            obj=station,
            after={"poster_version": station.poster_version},
            note=_("重新生成签到海报"),
        )
    return station


# ------------------------------------------------------------------ workers


def worker_register(
    *, zone: Zone, phone: str, job_type: str, name: str = ""
) -> tuple[Person, bool]:
    """Find the zone's worker with this phone, or register one (first scan)."""
    from django.core.exceptions import ValidationError

    from gaoxin.core import crypto
    from gaoxin.core.validators import validate_mobile

    try:
        phone = validate_mobile(phone)
    except ValidationError as exc:
        raise InvalidInput({"phone": exc.messages[0]}) from None
    if job_type not in JobType.values:
        raise InvalidInput({"job_type": _("请选择职业类型")})
    existing = Person.objects.filter(
        zone=zone, phone_hash=crypto.blind_index("phone", phone)
    ).first()
    if existing:
        return existing, False
    name = (name or "").strip() or _("劳动者（尾号 %(tail)s）") % {"tail": phone[-4:]}
    try:
        person = person_create(
            actor=None,
            zone=zone,
            data={
                "name": name[:40],
                "phone": phone,
                "role": PersonRole.WORKER,
                "job_type": job_type,
            },
        )
    except Conflict:  # registered by a concurrent first scan
        person = Person.objects.get(zone=zone, phone_hash=crypto.blind_index("phone", phone))
        return person, False
    return person, True


def worker_login_account(*, person: Person) -> User:
    """The login of a worker registered by scanning: no password, role worker."""
    from django.contrib.auth.models import Group

    user = person.users.filter(zone_id=person.zone_id).first()
    if user:
        return user
    with transaction.atomic():
        user = User(
            username=f"w{person.zone_id}-{person.pk}",
            zone_id=person.zone_id,
            person=person,
            display_name=person.name,
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.WORKER))
        audit_record(
            zone=person.zone_id,
            actor=None,
            action=AuditAction.CREATE,
            obj=user,
            after={"username": user.username, "roles": [Role.WORKER]},
            note=_("扫码首次签到自动注册"),
        )
    return user


# Generous: a shared courier phone, or a hub's Wi-Fi behind one address, registering
# several people stays well within it; a script hammering a poster does not.
ANON_CHECKINS_LIMIT = 20
ANON_CHECKINS_WINDOW = dt.timedelta(minutes=10)


def anonymous_checkin_allowed(*, address: str, station: Station) -> bool:
    """Count one check-in sent without a login (the poster page's form, or the API's
    first-visit route: they share the count) from client `address` at `station`;
    False once that address is over ANON_CHECKINS_LIMIT in ANON_CHECKINS_WINDOW.
    Counted in its own statement, outside any transaction of the check-in, so a
    refused or failed attempt still counts."""
    key = throttle.key("checkin", f"{address}|{station.pk}")
    return throttle.hit(key, limit=ANON_CHECKINS_LIMIT, window=ANON_CHECKINS_WINDOW)


def anonymous_checkin_refusal() -> ApplicationError:
    minutes = int(ANON_CHECKINS_WINDOW.total_seconds() // 60)
    return ApplicationError(
        _("本网络在该驿站提交签到的次数过多，请 %(minutes)s 分钟后再试。") % {"minutes": minutes},
        code="checkin_throttled",
        status=429,
    )


@dataclass
class FirstVisit:
    """What `checkin_first_visit` did, for the page's result and the API's answer.

    `note`: "registered" (a new worker, who may be logged in as `user`),
    "existing" (the phone was already registered: the visit is counted, nobody is
    logged in, a PIN is not saved) or "other_account" (a new worker registered by
    someone already logged in as another account: no login is handed out).
    """

    person: Person
    checkin: Checkin
    note: str
    user: User | None = None
    pin_set: bool = False
    pin_ignored: bool = False
    token: str = ""


def checkin_first_visit(
    *,
    station: Station,
    phone: str,
    job_type: str,
    name: str = "",
    pin: str = "",
    services: list[str] | None = None,
    source: str = CheckinSource.SCAN,
    give_login: bool = True,
    issue_api_token: bool = False,
) -> FirstVisit:
    """A visit by someone the station does not know yet, from the poster (page or API):
    register the worker in the station's zone by phone and job type, give them
    a login (when `give_login`) with the PIN they chose, and record the visit —
    all in ONE transaction, so a refused check-in (station paused or closed
    meanwhile, outside opening hours) leaves no registered worker, no login and
    no audit entry behind. With `issue_api_token` the login's API token is made
    in the same transaction (`FirstVisit.token`): a worker without a PIN has no
    other way back into the account.

    Phone numbers are not verified by SMS: whoever types a number that is
    already registered gets the visit counted, but neither that worker's login
    nor a say over their PIN. A weak PIN is refused (InvalidInput on "pin")
    before anything is written, whether or not it would have been saved.
    Raises DuplicateCheckin for a repeated tap of an already registered phone
    (nothing is written then either). Logging a page's session in is the
    caller's business, after this returns.
    """
    pin = auth.pin_normalize(pin)
    if pin:
        problem = auth.pin_problem(pin, phone=normalize_phone(phone))
        if problem:
            raise InvalidInput({"pin": problem})
    with transaction.atomic():
        person, created = worker_register(
            zone=station.zone, phone=phone, job_type=job_type, name=name
        )
        user, token = None, ""
        if not created:
            note = "existing"
        elif not give_login:
            note = "other_account"
        else:
            note = "registered"
            user = worker_login_account(person=person)
            if pin:  # before any login: setting a password ends the sessions made before it
                user_pin_set(user=user, pin=pin, actor=user)
            if issue_api_token:
                token = api_token_issue(user=user)
        checkin = checkin_record(station=station, person=person, services=services, source=source)
    return FirstVisit(
        person=person,
        checkin=checkin,
        note=note,
        user=user,
        token=token,
        pin_set=bool(pin) and user is not None,
        pin_ignored=bool(pin) and user is None,
    )


# ------------------------------------------------------------------ check-ins


def local_day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def _add(model, fixed: dict, counts: list[tuple[str, str, int]]) -> None:
    """Add to rollup counters in one statement: INSERT … ON CONFLICT DO UPDATE SET
    value = value + excluded.value is atomic on PostgreSQL and SQLite alike."""
    if not counts:
        return
    table = model._meta.db_table
    columns = [*fixed, "metric", "key", "value"]
    rows = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(counts))
    params: list = []
    for metric, key, delta in counts:
        params += [*fixed.values(), metric, key, delta]
    conflict = ", ".join(columns[:-1])
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {rows} "
        f"ON CONFLICT ({conflict}) DO UPDATE SET value = {table}.value + excluded.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _add_months(model, fixed: dict, month: dt.date, counts: list, moves=()) -> None:
    """Month counters: `counts` for `month`, plus the distinct-worker `moves`
    (month, metric, delta) — those of `month` in the same statement."""
    _add(
        model,
        {**fixed, "month": month},
        [*counts, *((metric, "", d) for m, metric, d in moves if m == month)],
    )
    for m, metric, d in moves:
        if m != month:  # a back-dated first visit moves a count to another month
            _add(model, {**fixed, "month": m}, [(metric, "", d)])


def _bump(
    zone_id: int, station_id: int, day: dt.date, counts: list[tuple[str, str, int]], moves=()
) -> None:
    """The station's day and month counters, in the same transaction as the event."""
    _add(StationDayCount, {"zone_id": zone_id, "station_id": station_id, "day": day}, counts)
    fixed = {"zone_id": zone_id, "station_id": station_id}
    _add_months(StationMonthCount, fixed, day.replace(day=1), counts, moves)


def _bump_zone(zone_id: int, day: dt.date, counts: list[tuple[str, str, int]], moves=()) -> None:
    """The zone's day and month counters. Every visit in the zone updates these rows, so
    this is the transaction's last statement: the row lock is held only until
    the commit that follows (SQLite serialises writers anyway)."""
    _add(ZoneDayCount, {"zone_id": zone_id, "day": day}, counts)
    _add_months(ZoneMonthCount, {"zone_id": zone_id}, day.replace(day=1), counts, moves)


def _insert_new(model, values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row is new. A concurrent
    insert of the same key waits for the other transaction, so exactly one wins."""
    table = model._meta.db_table
    unique = next(c for c in model._meta.constraints if c.name.endswith("_unique"))
    columns = [model._meta.get_field(f).column for f in unique.fields]
    names = list(values)
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({', '.join(columns)}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(values.values()))
        return cursor.rowcount == 1


def _month_of(at: dt.datetime) -> dt.date:
    return local_day(at).replace(day=1)


def _first_visit(model, keys: dict, at: dt.datetime) -> list[tuple[dt.date, int]]:
    """Record a worker's first visit (to a station, or to the zone) and say how
    the "new_workers" counter moves: +1 in this month for a first visit; a visit
    earlier than the one on record (a back-dated entry, or a tap that lost a race
    to a later one) moves that count to the earlier month."""
    if _insert_new(model, {**keys, "first_at": at}):
        return [(_month_of(at), 1)]
    rows = model.objects.filter(**keys)
    known = rows.select_for_update().values_list("first_at", flat=True).get()
    if known <= at:
        return []
    rows.update(first_at=at)
    if _month_of(known) == _month_of(at):
        return []
    return [(_month_of(known), -1), (_month_of(at), 1)]


def _mark_worker(station: Station, person: Person, at: dt.datetime) -> tuple[list, list]:
    """Distinct-worker rollups: the worker per station, station-month, zone and
    zone-month. A counter moves only when its row is new, so it changes once per
    worker and month, not with every visit. Returns the station's and the zone's
    counter moves (month, metric, delta), which the caller adds with its month counts."""
    zone_id, month, station_id = station.zone_id, _month_of(at), station.pk
    station_moves = [
        (m, "new_workers", d)
        for m, d in _first_visit(
            StationWorker,
            {"zone_id": zone_id, "station_id": station_id, "person_id": person.pk},
            at,
        )
    ]
    if _insert_new(
        StationMonthWorker,
        {"zone_id": zone_id, "station_id": station_id, "month": month, "person_id": person.pk},
    ):
        station_moves.append((month, "workers", 1))
    zone_moves = [
        (m, "new_workers", d)
        for m, d in _first_visit(ZoneWorker, {"zone_id": zone_id, "person_id": person.pk}, at)
    ]
    if _insert_new(ZoneMonthWorker, {"zone_id": zone_id, "month": month, "person_id": person.pk}):
        zone_moves.append((month, "workers", 1))
    return station_moves, zone_moves


def _clean_services(station: Station, services) -> list[str]:
    chosen = list(dict.fromkeys(services or []))
    bad = [s for s in chosen if s not in Amenity.values]
    if bad:
        raise InvalidInput(
            {"services": _("未知的服务项目：%(s)s") % {"s": "、".join(map(str, bad))}}
        )
    return chosen


def station_open_now(station: Station, at: dt.datetime | None = None) -> bool:
    at = at or timezone.now()
    if station.status != StationStatus.OPEN:
        return False
    today = local_day(at)
    closures = list(
        station.closures.filter(
            end_date__gte=today - dt.timedelta(days=1), start_date__lte=today
        ).values_list("start_date", "end_date")
    )
    return hours.is_open_at(is_24h=station.is_24h, week=station.hours, closures=closures, at=at)


class DuplicateCheckin(Conflict):
    code = "duplicate_checkin"


def _guard_pass(station: Station, person: Person, at: dt.datetime) -> bool:
    """The repeat-tap guard in one statement: True (and the guard set to `at`) for
    the worker's first visit to the station, or when the last counted one is older
    than the window; False for a repeated tap. Concurrent taps queue on the row,
    so exactly one of them passes."""
    table = CheckinGuard._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"INSERT INTO {table} (zone_id, station_id, person_id, last_at) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT (zone_id, station_id, person_id) DO UPDATE SET last_at = excluded.last_at "
        f"WHERE {table}.last_at <= %s"
    )
    params = [station.zone_id, station.pk, person.pk, adapt(at), adapt(at - dedupe_window())]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def checkin_record(
    *,
    station: Station,
    person: Person,
    services: list[str] | None = None,
    source: str = CheckinSource.SCAN,
    at: dt.datetime | None = None,
    enforce_hours: bool = True,
) -> Checkin:
    """Record one visit. Taps repeated within the window count once (DuplicateCheckin)."""
    at = at or timezone.now()
    if person.zone_id != station.zone_id:
        raise Forbidden(_("该驿站不属于您登记的园区，请先在本园区登记"), code="other_zone")
    if station.status != StationStatus.OPEN:
        raise ApplicationError(
            _("%(name)s 当前%(status)s，暂不能签到")
            % {"name": station.name, "status": station.get_status_display()},
            code="station_not_open",
            status=409,
        )
    if enforce_hours and not station_open_now(station, at):
        raise ApplicationError(
            _("%(name)s 现在不在开放时间（%(hours)s），暂不能签到")
            % {"name": station.name, "hours": hours.describe(station.is_24h, station.hours)},
            code="station_closed_now",
            status=409,
        )
    services = _clean_services(station, services)
    day = local_day(at)
    with transaction.atomic():
        if not _guard_pass(station, person, at):
            guard = CheckinGuard.objects.filter(
                zone_id=station.zone_id, station=station, person=person
            )
            last = guard.values_list("last_at", flat=True).first()
            minutes = max(1, int((at - last).total_seconds() // 60)) if last else 1
            raise DuplicateCheckin(
                _("您 %(m)d 分钟前已在本站签到，本次不重复计数") % {"m": minutes}
            )
        checkin = Checkin.objects.create(
            zone_id=station.zone_id,
            station=station,
            person=person,
            occurred_at=at,
            job_type=person.job_type,
            source=source,
            services=services,
        )
        ServiceRecord.objects.bulk_create(
            [
                ServiceRecord(
                    zone_id=station.zone_id,
                    station=station,
                    checkin=checkin,
                    person=person,
                    service=s,
                    count=1,
                    occurred_at=at,
                    source=source,
                )
                for s in services
            ]
        )
        counts = [("visits", "", 1), ("job", person.job_type or "", 1)]
        counts += [("service", s, 1) for s in services]
        station_moves, zone_moves = _mark_worker(station, person, at)
        _bump(station.zone_id, station.pk, day, counts, station_moves)
        _bump_zone(station.zone_id, day, counts, zone_moves)
    return checkin


def walkin_record(
    *,
    actor: User | None,
    station: Station,
    day: dt.date,
    visits: int,
    services: list[str] | None = None,
    note: str = "",
) -> WalkinBatch:
    """A keeper's count of people served who did not scan ("今天 12 人次饮水")."""
    if actor is not None:
        require(actor, "stations.add_walkinbatch", zone_id=station.zone_id)
        if (
            actor.has_role(Role.STATION_KEEPER)
            and not actor.is_superuser
            and station.keeper_id != actor.pk
        ):
            raise Forbidden(_("只能为您负责的驿站登记"))
    errors = {}
    try:
        visits = int(visits)
        if not 1 <= visits <= MAX_WALKINS_PER_ENTRY:
            raise ValueError
    except (TypeError, ValueError):
        errors["visits"] = _("人次应为 1～%(n)d 的整数") % {"n": MAX_WALKINS_PER_ENTRY}
    today = local_day(timezone.now())
    if day > today:
        errors["day"] = _("不能登记未来的日期")
    elif actor is not None and day < today - dt.timedelta(days=31):  # the system may load history
        errors["day"] = _("只能补登最近 31 天的记录")
    if errors:
        raise InvalidInput(errors)
    services = _clean_services(station, services)
    at = (
        timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
        if day != today
        else timezone.now()
    )
    with transaction.atomic():
        batch = WalkinBatch.objects.create(
            zone_id=station.zone_id,
            station=station,
            day=day,
            visits=visits,
            services=services,
            note=note[:100],
            entered_by=actor,
        )
        ServiceRecord.objects.bulk_create(
            [
                ServiceRecord(
                    zone_id=station.zone_id,
                    station=station,
                    service=s,
                    count=visits,
                    occurred_at=at,
                    source=CheckinSource.KEEPER,
                    entered_by=actor,
                )
                for s in services
            ]
        )
        counts = [
            ("visits", "", visits),
            ("job", "", visits),
            *(("service", s, visits) for s in services),
        ]
        _bump(station.zone_id, station.pk, day, counts)
        audit_record(
            zone=station.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=batch,
            after={"station": station.pk, "day": str(day), "visits": visits, "services": services},
        )
        _bump_zone(station.zone_id, day, counts)
    return batch


ROLLUP_MODELS = (StationDayCount, StationMonthCount, StationWorker, StationMonthWorker)
ZONE_ROLLUP_MODELS = (ZoneDayCount, ZoneWorker, ZoneMonthWorker, ZoneMonthCount)


def _retrying(fn, attempts: int = 3):
    """Run fn in its own transaction; a check-in that committed a rollup row the
    rebuild was about to insert (PostgreSQL) makes it start that part again."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return fn()
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def _rebuild_station(zone: Zone, station_id: int) -> int:
    """One station's rollups from its raw records: delete, recompute, insert."""
    from collections import Counter

    for model in ROLLUP_MODELS:
        model.objects.filter(zone=zone, station_id=station_id).delete()
    days: Counter = Counter()
    first: dict = {}
    months: set = set()
    checkins = Checkin.objects.filter(zone=zone, station_id=station_id)
    for person_id, at, job_type, chosen in checkins.values_list(
        "person_id", "occurred_at", "job_type", "services"
    ).iterator(chunk_size=5000):
        day = local_day(at)
        days[(day, "visits", "")] += 1
        days[(day, "job", job_type or "")] += 1
        for service in chosen:
            days[(day, "service", service)] += 1
        first[person_id] = min(first.get(person_id, at), at)
        months.add((day.replace(day=1), person_id))
    for day, visits, chosen in WalkinBatch.objects.filter(
        zone=zone, station_id=station_id
    ).values_list("day", "visits", "services"):
        days[(day, "visits", "")] += visits
        days[(day, "job", "")] += visits
        for service in chosen:
            days[(day, "service", service)] += visits
    month_counts: Counter = Counter()
    for (day, metric, key), value in days.items():
        month_counts[(day.replace(day=1), metric, key)] += value
    for at in first.values():
        month_counts[(local_day(at).replace(day=1), "new_workers", "")] += 1
    for month, _person in months:
        month_counts[(month, "workers", "")] += 1
    common = {"zone": zone, "station_id": station_id}
    StationDayCount.objects.bulk_create(
        [
            StationDayCount(**common, day=d, metric=m, key=k, value=v)
            for (d, m, k), v in days.items()
        ],
        batch_size=2000,
    )
    StationMonthCount.objects.bulk_create(
        [
            StationMonthCount(**common, month=mo, metric=m, key=k, value=v)
            for (mo, m, k), v in month_counts.items()
        ],
        batch_size=2000,
    )
    StationWorker.objects.bulk_create(
        [StationWorker(**common, person_id=p, first_at=t) for p, t in first.items()],
        batch_size=2000,
    )
    StationMonthWorker.objects.bulk_create(
        [StationMonthWorker(**common, month=mo, person_id=p) for mo, p in months], batch_size=2000
    )
    return len(days) + len(month_counts)


def _rebuild_zone(zone: Zone) -> int:
    """The zone-wide rollups, from the station ones just rebuilt."""
    from collections import Counter

    from django.db.models import Sum

    for model in ZONE_ROLLUP_MODELS:
        model.objects.filter(zone=zone).delete()
    days = (
        StationDayCount.objects.filter(zone=zone)
        .values_list("day", "metric", "key")
        .annotate(t=Sum("value"))
        .order_by()
    )
    ZoneDayCount.objects.bulk_create(
        [
            ZoneDayCount(zone=zone, day=d, metric=m, key=k, value=v)
            for d, m, k, v in days.iterator()
        ],
        batch_size=2000,
    )
    counts: Counter = Counter()
    for month, metric, key, total in (
        StationMonthCount.objects.filter(zone=zone, metric__in=["visits", "service", "job"])
        .values_list("month", "metric", "key")
        .annotate(t=Sum("value"))
        .order_by()
    ):
        counts[(month, metric, key)] = total
    first: dict = {}
    for person_id, at in (
        StationWorker.objects.filter(zone=zone)
        .values_list("person_id", "first_at")
        .iterator(chunk_size=5000)
    ):
        first[person_id] = min(first.get(person_id, at), at)
    months = set(StationMonthWorker.objects.filter(zone=zone).values_list("month", "person_id"))
    for at in first.values():
        counts[(local_day(at).replace(day=1), "new_workers", "")] += 1
    for month, _person in months:
        counts[(month, "workers", "")] += 1
    ZoneWorker.objects.bulk_create(
        [ZoneWorker(zone=zone, person_id=p, first_at=t) for p, t in first.items()], batch_size=2000
    )
    ZoneMonthWorker.objects.bulk_create(
        [ZoneMonthWorker(zone=zone, month=m, person_id=p) for m, p in months], batch_size=2000
    )
    ZoneMonthCount.objects.bulk_create(
        [
            ZoneMonthCount(zone=zone, month=m, metric=metric, key=k, value=v)
            for (m, metric, k), v in counts.items()
        ],
        batch_size=2000,
    )
    return len(counts)


def stats_rebuild(*, zone: Zone, progress=None) -> int:
    """Recompute the zone's rollups from the raw records (repair, and proof of
    correctness). One short transaction per station, then one for the zone-wide
    tables, so check-ins elsewhere are never held up for long (SQLite has
    one writer at a time). `progress(done, total)` is told after each station.
    Returns the number of counter rows written."""
    written = 0
    station_ids = list(Station.objects.filter(zone=zone).values_list("pk", flat=True))
    for done, station_id in enumerate(station_ids, start=1):
        written += _retrying(lambda sid=station_id: _rebuild_station(zone, sid))
        if progress:
            progress(done, len(station_ids))
    return written + _retrying(lambda: _rebuild_zone(zone))
