"""The front door: staff go to the back office, everyone else gets the phone home page."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from gaoxin.core import auth
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


class PhoneLoginForm(AuthenticationForm):
    """A username or a mobile number, and the password (a worker's PIN).

    The lockout itself is in the authentication backends (so the API and the admin
    honour it too); this form only says so instead of "wrong password".
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码错误，请重新输入"),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as exc:
            identifier = self.cleaned_data.get("username")
            if exc.code == "invalid_login" and identifier and auth.login_locked(identifier):
                raise forms.ValidationError(auth.lockout_message(), code="locked") from None
            raise


class PhoneLoginView(LoginView):
    """One login for phone pages: workers, keepers and merchants are not back-office
    staff, so Django admin's login refuses them. Workers log in with their phone
    number and PIN. Each program mounts it with its own `next_page`; `?next=` wins
    when present."""

    template_name = "mobile/login.html"
    authentication_form = PhoneLoginForm
    next_page = (
        "home"  # a shared phone may switch accounts, so a logged-in user still sees the form
    )


class PhoneLogoutView(LogoutView):
    next_page = "home"
