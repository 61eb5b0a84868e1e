"""/s/<code>/: the page a worker's phone opens from a station's QR poster.

The code is verified on every request (GET and POST) and names the station,
so a form can only ever check in at the station of the poster it came from.

Anonymous POSTs (first visits, or workers whose session ended) are limited per
client address and station: at most ANON_POSTS_LIMIT in ANON_POSTS_WINDOW,
counted in the database so every server process shares the count. The address
is REMOTE_ADDR only; X-Forwarded-For is never read here, since any client can
forge it. Behind a reverse proxy REMOTE_ADDR is the proxy's own address, so all
clients would share one count: such a deployment must pass the client's address
on as REMOTE_ADDR (e.g. gunicorn's --proxy-protocol behind a proxy that speaks
the PROXY protocol, or a WSGI middleware that takes it from the header that
proxy sets, and only for requests that come from the proxy).
"""

from django.contrib.auth import login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.errors import ApplicationError, Conflict
from gaoxin.core.forms import errors_to_form
from gaoxin.stations import hours, selectors, services, tokens
from gaoxin.stations.enums import StationStatus
from gaoxin.stations.forms import RegisterForm, ServicesForm
from gaoxin.stations.views.common import amenity_labels

RESULT_KEY = "stations_checkin_result"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# shared with the API's first-visit route (services.anonymous_checkin_allowed)
ANON_POSTS_LIMIT = services.ANON_CHECKINS_LIMIT
ANON_POSTS_WINDOW = services.ANON_CHECKINS_WINDOW


def _problem(request, title: str, message: str, *, status: int, station=None):
    context = {"title": title, "message": message, "station": station}
    return TemplateResponse(request, "stations/checkin_problem.html", context, status=status)


def _station_for_code(request, code: str):
    """(station, None) for a good code, or (None, the page explaining why not)."""
    try:
        station = selectors.station_for_poster(code)
    except (tokens.BadPosterCode, Conflict) as exc:  # a bad code, or a station closed down
        title = {
            "poster_expired": _("二维码已过期"),
            "station_gone": _("驿站不存在"),
            "station_closed_down": _("驿站已撤站"),
        }.get(exc.code, _("二维码无效"))
        return None, _problem(request, title, exc.message, status=exc.status)
    if station.status != StationStatus.OPEN:
        return None, _problem(
            request,
            _("驿站暂停服务"),
            _("%(name)s 当前暂停服务，暂不能签到。请查找附近的其他驿站。") % {"name": station.name},
            status=409,
            station=station,
        )
    return station, None


def _anonymous_post_allowed(request, station) -> bool:
    """Count this anonymous POST; False once its address is over the limit at this station."""
    address = request.META.get("REMOTE_ADDR", "")
    return services.anonymous_checkin_allowed(address=address, station=station)


def _worker_of(user, station):
    """The logged-in user's worker record in the station's zone, if any."""
    if not user.is_authenticated:
        return None
    person = user.person
    return person if person is not None and person.zone_id == station.zone_id else None


def _record(request, station, worker, form) -> dict:
    """Check in (a first visit registers the worker, in the same transaction), then
    log a newly registered worker in. Returns what the result page shows."""
    data = form.cleaned_data
    today = timezone.localdate()
    if worker is not None:
        try:
            services.checkin_record(station=station, person=worker, services=data["services"])
        except services.DuplicateCheckin as exc:
            return {"station": station.pk, "ok": False, "message": exc.message, "note": ""}
        note, extra = "", {}
    else:
        pin = data.get("pin", "")
        try:
            visit = services.checkin_first_visit(
                station=station,
                phone=data["phone"],
                job_type=data["job_type"],
                name=data["name"],
                pin=pin,
                services=data["services"],
                give_login=not request.user.is_authenticated,
            )
        except services.DuplicateCheckin as exc:  # only ever an already registered phone
            return {
                "station": station.pk,
                "ok": False,
                "message": exc.message,
                "note": "existing",
                "pin_set": False,
                "pin_ignored": bool(pin),
            }
        if visit.user is not None:
            login(request, visit.user, backend=MODEL_BACKEND)
        note, extra = visit.note, {"pin_set": visit.pin_set, "pin_ignored": visit.pin_ignored}
    n = selectors.zone_station_stats(
        zone=station.zone_id, since=today, until=today, station_ids=[station.pk]
    ).visits
    return {"station": station.pk, "ok": True, "n": n, "note": note, **extra}


@require_http_methods(["GET", "POST"])
def checkin(request, code: str):
    station, problem = _station_for_code(request, code)
    if problem:
        return problem
    anonymous_post = request.method == "POST" and not request.user.is_authenticated
    if anonymous_post and not _anonymous_post_allowed(request, station):
        refusal = services.anonymous_checkin_refusal()
        return _problem(request, _("提交太频繁"), refusal.message, status=429, station=station)
    open_now = services.station_open_now(station)
    worker = _worker_of(request.user, station)
    if worker:
        form_class, form_kwargs = ServicesForm, {"station": station}
    else:
        form_kwargs = {"station": station, "with_pin": not request.user.is_authenticated}
        form_class = RegisterForm
    status = 200
    if request.method == "POST" and open_now:
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                result = _record(request, station, worker, form)
            except ApplicationError as exc:  # closed meanwhile, another zone's worker …
                errors_to_form(form, exc)
            else:
                request.session[RESULT_KEY] = result
                return redirect("stations_short:checkin_done", code=code)
    else:
        form = form_class(**form_kwargs)
        if request.method == "POST":  # outside opening hours: the page says so, nothing recorded
            status = 409
    context = {
        "station": station,
        "form": form,
        "worker": worker,
        "open_now": open_now,
        "code": code,
        "hours_text": hours.describe(station.is_24h, station.hours),
        "amenities": amenity_labels(station.amenities),
    }
    return TemplateResponse(request, "stations/checkin.html", context, status=status)


@require_GET
def checkin_done(request, code: str):
    station, problem = _station_for_code(request, code)
    if problem:
        return problem
    result = request.session.get(RESULT_KEY)
    if not result or result.get("station") != station.pk:
        return redirect("stations_short:checkin", code=code)
    context = {
        "station": station,
        "result": result,
        "code": code,
        "logged_in_worker": _worker_of(request.user, station) is not None,
    }
    return TemplateResponse(request, "stations/checkin_done.html", context)
