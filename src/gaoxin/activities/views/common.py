"""The activities pages' login rules (shared machinery in gaoxin.core.views_common)."""

from gaoxin.core import views_common
from gaoxin.core.views_common import error_text, pages

__all__ = [
    "error_text",
    "office_login_required",
    "office_permission_required",
    "pages",
    "phone_login_required",
    "posted_id",
]

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
