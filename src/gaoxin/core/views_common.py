"""The one family of login decorators for every program's pages (office, phone,
keeper), and the one place a service's NotFound/Forbidden becomes a 404/403 page."""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
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


def keeper_login_required(login_url_name: str):
    """Decorator for station keepers' pages: keepers log in on the phone login page,
    like workers (the page itself says when the account keeps no station)."""
    return phone_login_required(login_url_name)


def office_login_required(perm: str, *, staff: bool = False, refusals_to: str | None = None):
    """Decorator for back-office pages: the admin login, and the officer's view permission.

    `staff`: only staff accounts (others are sent to the admin login).
    `refusals_to`: a service refusal other than 404/403 (a lost race, say) is shown as
    a message on that page (a URL name) instead of escaping; nothing was written."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or (staff and not (user.is_active and user.is_staff)):
                return redirect_to_login(request.get_full_path())
            if not user.has_perm(perm):
                raise PermissionDenied
            if refusals_to is None:
                return view(request, *args, **kwargs)
            try:
                return view(request, *args, **kwargs)
            except ApplicationError as exc:
                if exc.status in (401, 403, 404):
                    raise
                messages.error(request, exc.message)
                return redirect(refusals_to)

        return pages(wrapper)

    return decorator
