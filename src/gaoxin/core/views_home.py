"""The front door: staff go to the back office, everyone else gets the phone home page."""

from django.contrib.auth.views import LoginView, LogoutView
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


class PhoneLoginView(LoginView):
    """One login for phone pages: workers, keepers and merchants are not back-office
    staff, so Django admin's login refuses them. Each program mounts it with its own
    `next_page`; `?next=` wins when present."""

    template_name = "mobile/login.html"
    next_page = (
        "home"  # a shared phone may switch accounts, so a logged-in user still sees the form
    )


class PhoneLogoutView(LogoutView):
    next_page = "home"
