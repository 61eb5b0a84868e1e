"""Shared bits of the page views: error mapping and login for phone pages."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from gaoxin.core.errors import ApplicationError


def error_text(exc: ApplicationError) -> str:
    """One line for a message box: the field messages, else the general one."""
    return "；".join(str(m) for m in exc.fields.values()) or exc.message


def pages(view):
    """Services' NotFound/Forbidden become Django's 404/403 pages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            if exc.status == 404:
                raise Http404(exc.message) from exc
            if exc.status in (401, 403):
                raise PermissionDenied(exc.message) from exc
            raise

    return wrapper


def phone_login_required(view):
    """Phone pages log in on the phone login page (workers are not admin staff)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("activities:login"))
        return view(request, *args, **kwargs)

    return pages(wrapper)


def office_login_required(view):
    """Back-office pages log in through the admin login and need the officer's view permission."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("activities.view_activity"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return pages(wrapper)
