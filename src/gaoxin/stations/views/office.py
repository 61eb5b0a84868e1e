"""Back-office pages of the stations program (the look of Django admin).

Every station is fetched through selectors.station_get, so a station of
another zone is a 404 exactly like a missing one; every write is a service
call, whose refusals are shown next to the field or as a message.
"""

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.charts import bar_chart, month_points
from gaoxin.core.enums import JobType
from gaoxin.core.errors import Conflict, InvalidInput
from gaoxin.core.excel import xlsx_response
from gaoxin.core.forms import errors_to_form
from gaoxin.core.numbers import cn_approx
from gaoxin.core.rules import require
from gaoxin.core.selectors import zones_for_user
from gaoxin.core.tenancy import request_zone
from gaoxin.core.views_common import error_text
from gaoxin.stations import hours, poster, selectors, services
from gaoxin.stations.enums import Amenity, StationStatus
from gaoxin.stations.exports import station_ledger
from gaoxin.stations.forms import StationForm, StatsFilterForm
from gaoxin.stations.views.common import amenity_labels, office_required, recent_checkins

PER_PAGE = 25
RECENT = 10
TRANSITION_LABELS = {
    StationStatus.OPEN: gettext_lazy("恢复开放"),
    StationStatus.PAUSED: gettext_lazy("暂停服务"),
    StationStatus.CLOSED: gettext_lazy("撤站"),
}


# a service's and core.tenancy's field names → the page's
FORM_ALIASES = {"hours": "is_24h", "zone_id": "zone"}


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _form_page(request, form, save, *, title: str, saved: str, station=None):
    """The new and edit pages: a valid form goes to `save` (the service call); a refusal
    is shown on the form in the service's words, a saved station opens its own page."""
    if request.method == "POST" and form.is_valid():
        try:
            station = save(form)
        except InvalidInput as exc:
            errors_to_form(form, exc, aliases=FORM_ALIASES)
        else:
            messages.success(request, saved % {"name": station.name})
            return redirect("stations:office_detail", station_id=station.pk)
    context = _context(request, title, form=form, station=station)
    return TemplateResponse(request, "stations/office/form.html", context)


def _zones_to_pick(request):
    """The zones a cross-zone account picks from (None for an account of one zone)."""
    return zones_for_user(user=request.user) if request.user.zone_id is None else None


@office_required()
@require_GET
def station_list(request):
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    status = status if status in StationStatus.values else ""
    qs = selectors.stations_for_user(user=request.user, q=q, status=status)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = _context(
        request,
        _("暖新驿站"),
        page=page,
        q=q,
        status=status,
        statuses=StationStatus.choices,
        can_add=request.user.has_perm("stations.add_station"),
    )
    return TemplateResponse(request, "stations/office/list.html", context)


@office_required("stations.add_station")
@require_http_methods(["GET", "POST"])
def station_new(request):
    form = StationForm(
        request.POST or None,
        zones=_zones_to_pick(request),
        keepers=selectors.keepers_for_new_station(user=request.user),
    )

    def save(form):
        zone = request_zone(request, form.zone_id())
        return services.station_create(actor=request.user, zone=zone, data=form.service_data())

    return _form_page(request, form, save, title=_("新增驿站"), saved=_("已新增驿站“%(name)s”"))


@office_required("stations.change_station")
@require_http_methods(["GET", "POST"])
def station_edit(request, station_id: int):
    station = selectors.station_get(user=request.user, station_id=station_id)
    form = StationForm(
        request.POST or None, station=station, keepers=selectors.zone_keepers(station.zone_id)
    )

    def save(form):
        return services.station_update(
            actor=request.user, station=station, data=form.service_data()
        )

    return _form_page(
        request, form, save, title=_("修改驿站"), saved=_("已保存“%(name)s”"), station=station
    )


@office_required()
@require_GET
def station_detail(request, station_id: int):
    station = selectors.station_get(user=request.user, station_id=station_id)
    today = timezone.localdate()
    total = selectors.zone_station_stats(zone=station.zone_id, station_ids=[station.pk])
    today_stats = selectors.zone_station_stats(
        zone=station.zone_id, since=today, until=today, station_ids=[station.pk]
    )
    recent = []
    if request.user.has_perm("stations.view_checkin"):
        recent = recent_checkins(request.user, station, RECENT)
    can_change = request.user.has_perm("stations.change_station")
    context = _context(
        request,
        station.name,
        station=station,
        total=total,
        today_visits=today_stats.visits,
        today_workers=selectors.distinct_workers_on(station, today),
        recent=recent,
        hours_text=hours.describe(station.is_24h, station.hours),
        amenities=amenity_labels(station.amenities),
        can_change=can_change,
        transitions=[(to, TRANSITION_LABELS[to]) for to in services.TRANSITIONS[station.status]],
        checkin_url=poster.checkin_url(station, request),
        png_available=poster.png_available(),
        open_now=services.station_open_now(station),
    )
    return TemplateResponse(request, "stations/office/detail.html", context)


@office_required("stations.change_station")
@require_POST
def station_status(request, station_id: int):
    station = selectors.station_get(user=request.user, station_id=station_id)
    to = request.POST.get("to", "")
    try:
        station = services.station_transition(
            actor=request.user, station=station, to=to, reason=request.POST.get("reason", "")[:200]
        )
    except (InvalidInput, Conflict) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("“%(name)s”已改为：%(s)s")
            % {"name": station.name, "s": station.get_status_display()},
        )
    return redirect("stations:office_detail", station_id=station.pk)


@office_required("stations.change_station")
@require_POST
def poster_reissue(request, station_id: int):
    station = selectors.station_get(user=request.user, station_id=station_id)
    station = services.poster_reissue(actor=request.user, station=station)
    messages.success(
        request,
        _("已生成第 %(v)d 版签到海报，旧海报上的二维码已失效，请打印张贴新海报")
        % {"v": station.poster_version},
    )
    return redirect("stations:office_detail", station_id=station.pk)


@office_required()
@require_GET
def poster_page(request, station_id: int):
    """The poster as a print page: inline SVG QR code, no image files."""
    station = selectors.station_get(user=request.user, station_id=station_id)
    url = poster.checkin_url(station, request)
    context = {
        "station": station,
        "url": url,
        "qr_svg": mark_safe(poster.qr_svg(url)),  # noqa: S308
        "hours_text": hours.describe(station.is_24h, station.hours),
        "today": timezone.localdate(),
    }
    response = TemplateResponse(request, "stations/office/poster.html", context)
    response["Cache-Control"] = "no-store"
    return response


@office_required()
@require_GET
def poster_png(request, station_id: int):
    station = selectors.station_get(user=request.user, station_id=station_id)
    png = poster.poster_png(station, request=request)
    if png is None:  # no Pillow or no CJK font on this server: print the HTML poster instead
        return redirect("stations:office_poster", station_id=station.pk)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(
        False, _("签到海报-%(name)s.png") % {"name": station.name}
    )
    response["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ statistics


def month_chart(pairs: list[tuple[str, int]]):
    """Person-times per month as bars (months without visits drawn as zero)."""
    labels, values = month_points(pairs)
    return bar_chart(
        labels,
        values,
        title=_("每月服务人次"),
        unit=_("人次"),
        width=760,
        height=260,
        empty_text=_("这段时间没有服务记录。"),
        html_id="month-chart",
    )


def _bar_rows(pairs, labels: dict, blank: str) -> list[dict]:
    peak = max([v for _k, v in pairs] or [1]) or 1
    return [
        {
            "label": str(labels.get(k, k)) if k else blank,
            "value": v,
            "pct": round(100 * v / peak, 1),
        }
        for k, v in pairs
    ]


def _stats_scope(request):
    """(form, filters, zone, station ids or None) for the stats page and the export;
    zone is None when the filters are wrong or a cross-zone account named no zone (the
    form then says why). Another zone's figures are a 404, as its records are."""
    form = StatsFilterForm(request.GET, zones=_zones_to_pick(request))
    if not form.is_valid():
        return form, {}, None, None
    try:
        zone = request_zone(request, form.cleaned_data["zone"])
    except InvalidInput as exc:
        errors_to_form(form, exc, aliases=FORM_ALIASES)
        return form, {}, None, None
    require(request.user, "stations.view_station", zone_id=zone.pk)
    return form, form.cleaned_data, zone, selectors.station_ids_for_stats(user=request.user)


@office_required()
@require_GET
def stats(request):
    form, data, zone, ids = _stats_scope(request)
    context = _context(request, _("驿站服务统计"), form=form, zone=zone)
    if zone is not None:
        since, until = data.get("since"), data.get("until")
        s = selectors.zone_station_stats(zone=zone, since=since, until=until, station_ids=ids)
        query = request.GET.urlencode()
        context.update(
            stats=s,
            since=since,
            until=until,
            filtered=bool(since or until),
            visits_text=cn_approx(s.visits, "人次"),
            chart=month_chart(s.by_month),
            by_service=_bar_rows(s.by_service, dict(Amenity.choices), _("（未选服务）")),
            by_job=_bar_rows(s.by_job, dict(JobType.choices), _("站长登记（未扫码）")),
            export_url=reverse("stations:office_export") + (f"?{query}" if query else ""),
        )
    return TemplateResponse(request, "stations/office/stats.html", context)


@office_required("stations.view_checkin")
@require_GET
def export(request):
    _form, data, zone, _ids = _stats_scope(request)
    if zone is None:  # bad dates: show why on the statistics page
        return redirect(reverse("stations:office_stats") + "?" + request.GET.urlencode())
    since, until = data.get("since"), data.get("until")
    ledger = station_ledger(user=request.user, zone=zone, since=since, until=until)
    stamp = f"{since or ''}_{until or timezone.localdate()}".strip("_")
    return xlsx_response(
        ledger,
        filename=_("%(zone)s暖新驿站台账-%(stamp)s.xlsx") % {"zone": zone.name, "stamp": stamp},
    )
