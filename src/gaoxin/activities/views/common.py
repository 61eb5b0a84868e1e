"""The activities pages' login rules (shared machinery in gaoxin.core.views_common)."""

from gaoxin.core import views_common
from gaoxin.core.views_common import error_text, pages

__all__ = ["error_text", "office_login_required", "pages", "phone_login_required", "posted_id"]

phone_login_required = views_common.phone_login_required("activities:login")
office_login_required = views_common.office_login_required("activities.view_activity")


def posted_id(request, name: str) -> int | None:
    """A record id from the posted form; blank or malformed is None (nothing chosen)."""
    raw = request.POST.get(name, "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
