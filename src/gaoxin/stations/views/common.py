"""Small helpers shared by the stations pages (logins come from gaoxin.core.views_common)."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from gaoxin.core import views_common
from gaoxin.stations import selectors
from gaoxin.stations.enums import Amenity, StationStatus
from gaoxin.stations.exports import mask_name  # noqa: F401  (re-exported for the pages)

AMENITY_LABELS = dict(Amenity.choices)


def amenity_labels(values) -> list[str]:
    return [str(AMENITY_LABELS.get(v, v)) for v in values or []]


def recent_checkins(user, station, limit: int) -> list[dict]:
    """The station's latest check-ins as the keeper's and the office's pages list them:
    masked name and phone, the services' labels."""
    return [
        {
            "checkin": c,
            "name": mask_name(c.person.name),
            "phone": c.person.phone_masked,
            "services": amenity_labels(c.services),
        }
        for c in selectors.station_checkins(user=user, station=station)[:limit]
    ]


def distance_text(meters: float) -> str:
    if meters < 1000:
        return _("%(n)d 米") % {"n": round(meters / 10) * 10 if meters >= 100 else round(meters)}
    return _("%(n).1f 公里") % {"n": meters / 1000}


def status_tag(station, open_now: bool) -> tuple[str, str]:
    """(css class, text) of the station's state for a worker."""
    if station.status == StationStatus.PAUSED:
        return "tag-closed", _("暂停服务")
    if station.status == StationStatus.CLOSED:
        return "tag-closed", _("已撤站")
    return ("tag-open", _("营业中")) if open_now else ("tag-closed", _("已打烊"))


def message_page(request, title: str, message: str, *, status: int = 200, links=()):
    """A short phone page that explains (not found, no access, …) in Chinese."""
    context = {"title": title, "message": message, "links": links}
    return TemplateResponse(request, "stations/message.html", context, status=status)


def office_required(perm: str = "stations.view_station"):
    """Back-office pages: staff login (else the admin login page), then the permission (403);
    any other refusal is a message on the stations list."""
    return views_common.office_login_required(perm, staff=True, refusals_to="stations:office")


mobile_login_required = views_common.keeper_login_required("stations:login")
