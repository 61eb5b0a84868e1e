"""What every cases page shares: login rules (gaoxin.core.views_common), the refusals a
page shows next to its fields, and the office frame."""

from django.contrib import admin
from django.shortcuts import render

from gaoxin.core import views_common
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput

# Refusals a page shows (wrong input, a state that does not allow it, the applicant
# approving their own aid). Not found passes through to the decorator's 404.
REFUSALS = (InvalidInput, Conflict, Forbidden)

phone_login_required = views_common.phone_login_required("cases:m-login")


def office_required(perm: str):
    return views_common.office_login_required(perm, refusals_to="cases:office")


def render_office(request, template: str, context: dict, status: int = 200):
    """An office page in the admin's frame (its header, breadcrumbs and side bar)."""
    context = {**admin.site.each_context(request), **context}
    return render(request, template, context, status=status)


def status_of(exc) -> int:
    return 403 if isinstance(exc, Forbidden) else exc.status
