"""Phone pages for station keepers: today's figures, recent check-ins, walk-in counts."""

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaoxin.core.enums import Role
from gaoxin.core.errors import Conflict, InvalidInput
from gaoxin.core.forms import errors_to_form
from gaoxin.stations import selectors, services
from gaoxin.stations.forms import WalkinForm
from gaoxin.stations.views.common import (
    amenity_labels,
    message_page,
    mobile_login_required,
    recent_checkins,
)

KEEPER_PERM = "stations.add_walkinbatch"  # keepers and officers
LIST_LIMIT = 100
RECENT = 20


def _refuse(request):
    return message_page(
        request,
        _("无权访问"),
        _("只有驿站站长和党群工作人员可以使用站长页面。"),
        status=403,
        links=[(reverse("stations:nearest"), _("返回附近驿站"))],
    )


@mobile_login_required
@require_http_methods(["GET"])
def keeper_home(request):
    """The stations the user keeps (a keeper with one station goes straight to it;
    an officer sees the zone's stations)."""
    if not request.user.has_perm(KEEPER_PERM):
        return _refuse(request)
    stations = list(selectors.stations_for_user(user=request.user)[:LIST_LIMIT])
    if len(stations) == 1 and request.user.has_role(Role.STATION_KEEPER):
        return redirect("stations:keeper_station", station_id=stations[0].pk)
    today = timezone.localdate()
    by_zone = defaultdict(list)
    for s in stations:
        by_zone[s.zone_id].append(s.pk)
    visits = {}
    for zone_id, ids in by_zone.items():
        stats = selectors.zone_station_stats(
            zone=zone_id, since=today, until=today, station_ids=ids
        )
        visits.update({row["station_id"]: row["visits"] for row in stats.by_station})
    rows = [{"station": s, "visits": visits.get(s.pk, 0)} for s in stations]
    return TemplateResponse(request, "stations/keeper_home.html", {"rows": rows})


@mobile_login_required
@require_http_methods(["GET", "POST"])
def keeper_station(request, station_id: int):
    if not request.user.has_perm(KEEPER_PERM):
        return _refuse(request)
    station = selectors.station_get(user=request.user, station_id=station_id)
    if request.method == "POST":
        form = WalkinForm(request.POST, station=station)
        if form.is_valid():
            d = form.cleaned_data
            try:
                batch = services.walkin_record(
                    actor=request.user,
                    station=station,
                    day=d["day"],
                    visits=d["visits"],
                    services=d["services"],
                    note=d["note"],
                )
            except (InvalidInput, Conflict) as exc:
                errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("已登记 %(day)s %(n)d 人次%(what)s")
                    % {
                        "day": batch.day.isoformat(),
                        "n": batch.visits,
                        "what": ("（" + "、".join(amenity_labels(batch.services)) + "）")
                        if batch.services
                        else "",
                    },
                )
                return redirect("stations:keeper_station", station_id=station.pk)
    else:
        form = WalkinForm(station=station)
    today = timezone.localdate()
    today_stats = selectors.zone_station_stats(
        zone=station.zone_id, since=today, until=today, station_ids=[station.pk]
    )
    total = selectors.zone_station_stats(zone=station.zone_id, station_ids=[station.pk])
    recent = recent_checkins(request.user, station, RECENT)
    context = {
        "station": station,
        "form": form,
        "recent": recent,
        "today": today,
        "today_visits": today_stats.visits,
        "today_workers": selectors.distinct_workers_on(station, today),
        "total_visits": total.visits,
        "total_workers": total.workers,
    }
    return TemplateResponse(request, "stations/keeper_station.html", context)
