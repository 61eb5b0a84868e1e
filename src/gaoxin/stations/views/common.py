"""Small helpers shared by the stations pages."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from gaoxin.core.errors import ApplicationError, Forbidden, NotFound
from gaoxin.stations.enums import Amenity, StationStatus
from gaoxin.stations.exports import mask_name  # noqa: F401  (re-exported for the pages)

AMENITY_LABELS = dict(Amenity.choices)


def as_http(exc: ApplicationError):
    """NotFound / Forbidden from a selector or service, as Django's 404 / 403."""
    if isinstance(exc, NotFound) or exc.status == 404:
        return Http404(exc.message)
    if isinstance(exc, Forbidden) or exc.status == 403:
        return PermissionDenied(exc.message)
    return None


def amenity_labels(values) -> list[str]:
    return [str(AMENITY_LABELS.get(v, v)) for v in values or []]


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


def mobile_login_required(view):
    """Workers and keepers are not back-office staff: send them to the phone login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("stations:login"))
        return view(request, *args, **kwargs)

    return wrapper


def office_required(perm: str = "stations.view_station"):
    """Back-office pages: staff login (else the admin login page), then the permission (403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_authenticated and user.is_active and user.is_staff):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not user.has_perm(perm):
                raise PermissionDenied(_("您没有查看驿站的权限"))
            try:
                return view(request, *args, **kwargs)
            except ApplicationError as exc:
                http = as_http(exc)
                if http is not None:
                    raise http from exc
                # Any other refusal (a lost race, say): say why, nothing was written.
                messages.error(request, exc.message)
                return redirect("stations:office")

        return wrapper

    return decorator
