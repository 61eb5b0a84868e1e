"""What every activities page shares: login rules (gaoxin.core.views_common), the refusals a
page shows, posted ids and the office frame."""

from django.contrib import admin
from django.shortcuts import render

from gaoxin.core import views_common
from gaoxin.core.errors import Conflict, InvalidInput
from gaoxin.core.views_common import error_text, pages

__all__ = [
    "REFUSALS",
    "render_office",
    "error_text",
    "office_login_required",
    "office_permission_required",
    "pages",
    "phone_login_required",
    "posted_id",
]

# What a service refuses that a page shows (next to a field, or as a message):
# wrong input, ineligible people, a state that does not allow it. Not found and
# forbidden pass through to the login decorator, which answers 404 or 403.
REFUSALS = (InvalidInput, Conflict)

phone_login_required = views_common.phone_login_required("activities:login")


def office_permission_required(perm: str):
    """Back-office pages for officers with `perm`. A refusal a page does not show
    itself (an unknown workflow verb, say) becomes a message on the activity list."""
    return views_common.office_login_required(perm, refusals_to="activities:office-list")


office_login_required = office_permission_required("activities.view_activity")


def posted_id(request, name: str) -> int | None:
    """A record id from the posted form; blank or malformed is None (nothing chosen)."""
    raw = request.POST.get(name, "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


def render_office(request, template: str, context: dict, status: int = 200):
    """An office page in the admin's frame (its header, breadcrumbs and side bar)."""
    context = {**admin.site.each_context(request), **context}
    return render(request, template, context, status=status)
