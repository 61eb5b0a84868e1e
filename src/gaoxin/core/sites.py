"""The back office's admin site: Django's, except that a user changing their
own password ("修改密码" in the header) goes through
services.user_set_password, so it is checked and audited like every other
write. Installed by `gaoxin.core.apps.GaoxinAdminConfig`.
"""

from django.contrib import admin
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpResponseRedirect
from django.urls import reverse

from gaoxin.core import services
from gaoxin.core.errors import ApplicationError, InvalidInput
from gaoxin.core.forms import OwnPasswordChangeForm


class OwnPasswordChangeView(PasswordChangeView):
    """Django's form checks the current password and the new one; the service
    writes and audits ("修改了密码"). This session stays, the others end."""

    form_class = OwnPasswordChangeForm

    def form_valid(self, form):
        try:
            user = services.user_set_password(
                actor=self.request.user,
                user=form.user,
                password=form.cleaned_data["new_password1"],
            )
        except InvalidInput as exc:
            for message in exc.fields.values():
                form.add_error("new_password2", message)
            return self.form_invalid(form)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)  # the service's copy has the new hash
        return HttpResponseRedirect(self.get_success_url())


class GaoxinAdminSite(admin.AdminSite):
    def password_change(self, request, extra_context=None):
        """Django's AdminSite.password_change with an audited view."""
        defaults = {
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return OwnPasswordChangeView.as_view(**defaults)(request)
