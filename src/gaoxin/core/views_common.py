"""Shared bits of the programs' page views: error mapping and the two kinds of login."""

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


def phone_login_required(login_url_name: str):
    """Decorator for phone pages: workers and merchants are not admin staff, so they
    log in on the program's phone login page (`login_url_name`)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(login_url_name))
            return view(request, *args, **kwargs)

        return pages(wrapper)

    return decorator


def office_login_required(perm: str):
    """Decorator for back-office pages: the admin login, and the officer's view permission."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return pages(wrapper)

    return decorator
