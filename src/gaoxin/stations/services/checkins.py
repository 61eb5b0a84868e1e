"""Check-ins: a worker's visit, and the poster's first visit that registers the worker."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import auth, crypto, throttle
from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction, JobType, PersonRole, Role
from gaoxin.core.errors import ApplicationError, Conflict, Forbidden, InvalidInput
from gaoxin.core.models import User, Zone
from gaoxin.core.services import api_token_issue, user_pin_set
from gaoxin.core.validators import normalize_phone, validate_mobile
from gaoxin.registry.models import Person
from gaoxin.registry.services import person_create
from gaoxin.stations import hours
from gaoxin.stations.enums import CheckinSource, StationStatus
from gaoxin.stations.models import Checkin, CheckinGuard, Station
from gaoxin.stations.services import rollups
from gaoxin.stations.services._common import (
    clean_services,
    event_counts,
    local_day,
    service_records,
)
from gaoxin.stations.services.stations import station_open_now

# Generous: a shared courier phone, or a hub's Wi-Fi behind one address, registering
# several people stays well within it; a script hammering a poster does not.
ANON_CHECKINS_LIMIT = 20
ANON_CHECKINS_WINDOW = dt.timedelta(minutes=10)


def dedupe_window() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "GAOXIN_CHECKIN_DEDUPE_MINUTES", 10))


class DuplicateCheckin(Conflict):
    code = "duplicate_checkin"


# ------------------------------------------------------------------ a visit


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


def _duplicate(station: Station, person: Person, at: dt.datetime) -> DuplicateCheckin:
    guard = CheckinGuard.objects.filter(zone_id=station.zone_id, station=station, person=person)
    last = guard.values_list("last_at", flat=True).first()
    minutes = max(1, int((at - last).total_seconds() // 60)) if last else 1
    return DuplicateCheckin(_("您 %(m)d 分钟前已在本站签到，本次不重复计数") % {"m": minutes})


def _require_open(station: Station, person: Person, at: dt.datetime, enforce_hours: bool) -> None:
    """Refusals before anything is written: another zone's worker, a station not open."""
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


def checkin_record(
    *,
    station: Station,
    person: Person,
    services: list[str] | None = None,
    source: str = CheckinSource.SCAN,
    at: dt.datetime | None = None,
    enforce_hours: bool = True,
) -> Checkin:
    """Record one visit, its service records and its rollups in one transaction.
    Taps repeated within the window count once (DuplicateCheckin)."""
    at = at or timezone.now()
    _require_open(station, person, at, enforce_hours)
    services = clean_services(services)
    with transaction.atomic():
        if not _guard_pass(station, person, at):
            raise _duplicate(station, person, at)
        checkin = Checkin.objects.create(
            zone_id=station.zone_id,
            station=station,
            person=person,
            occurred_at=at,
            job_type=person.job_type,
            source=source,
            services=services,
        )
        service_records(
            station, services, count=1, at=at, source=source, checkin=checkin, person=person
        )
        day, counts = local_day(at), event_counts(1, person.job_type, services)
        station_moves, zone_moves = rollups.mark_worker(station, person, at)
        rollups.bump_station(station.zone_id, station.pk, day, counts, station_moves)
        rollups.bump_zone(station.zone_id, day, counts, zone_moves)
    return checkin


# ------------------------------------------------------------------ without a login


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


def worker_register(
    *, zone: Zone, phone: str, job_type: str, name: str = ""
) -> tuple[Person, bool]:
    """Find the zone's worker with this phone, or register one (first scan)."""
    try:
        phone = validate_mobile(phone)
    except ValidationError as exc:
        raise InvalidInput({"phone": exc.messages[0]}) from None
    if job_type not in JobType.values:
        raise InvalidInput({"job_type": _("请选择职业类型")})
    same_phone = Person.objects.filter(zone=zone, phone_hash=crypto.blind_index("phone", phone))
    existing = same_phone.first()
    if existing:
        return existing, False
    name = (name or "").strip() or _("劳动者（尾号 %(tail)s）") % {"tail": phone[-4:]}
    data = {"name": name[:40], "phone": phone, "role": PersonRole.WORKER, "job_type": job_type}
    try:
        return person_create(actor=None, zone=zone, data=data), True
    except Conflict:  # registered by a concurrent first scan
        return same_phone.get(), False


def worker_login_account(*, person: Person) -> User:
    """The login of a worker registered by scanning: no password, role worker."""
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


def first_visit_pin(pin: str, *, phone: str) -> str:
    """The PIN a first visit chose, normalised ("" for none); InvalidInput on "pin" for a
    weak one. The poster page's form asks this too, so both refuse it in the same words
    before anything is written."""
    pin = auth.pin_normalize(pin)
    problem = pin and auth.pin_problem(pin, phone=normalize_phone(phone))
    if problem:
        raise InvalidInput({"pin": problem})
    return pin


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
    pin = first_visit_pin(pin, phone=phone)
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
