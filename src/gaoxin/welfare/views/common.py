"""The welfare pages' login rules (shared machinery in gaoxin.core.views_common)."""

from gaoxin.core import views_common
from gaoxin.core.views_common import error_text, pages

__all__ = [
    "error_text",
    "office_create_required",
    "office_login_required",
    "pages",
    "phone_login_required",
]

phone_login_required = views_common.phone_login_required("welfare:m-login")
office_login_required = views_common.office_login_required("welfare.view_campaign")
office_create_required = views_common.office_login_required("welfare.add_campaign")
