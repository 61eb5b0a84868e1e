"""The front door: staff go to the back office, everyone else gets the phone home page."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse

from gaoxin.core.enums import Role


def home(request):
    user = request.user
    if user.is_authenticated and user.is_staff:
        return redirect("admin:index")
    context = {
        "is_worker": user.is_authenticated and bool(user.person_id),
        "is_keeper": user.is_authenticated and user.has_role(Role.STATION_KEEPER),
    }
    return TemplateResponse(request, "mobile/home.html", context)
