"""What every party page shares: login rules (gaoxin.core.views_common), the refusals a
page shows next to its fields, and the office frame."""

from django.contrib import admin
from django.shortcuts import render

from gaoxin.core import views_common
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput

REFUSALS = (InvalidInput, Conflict, Forbidden)

phone_login_required = views_common.phone_login_required("party:m-login")


def office_required(perm: str):
    return views_common.office_login_required(perm, refusals_to="party:office")


def render_office(request, template: str, context: dict, status: int = 200):
    context = {**admin.site.each_context(request), **context}
    return render(request, template, context, status=status)


def status_of(exc) -> int:
    return 403 if isinstance(exc, Forbidden) else exc.status
