"""Phone pages for workers: open activities, sign-up, my sign-ups, QR check-in.

Thin: each view reads through selectors and writes through services; a
refusal is shown next to the field it concerns, in Chinese.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.activities import selectors, services
from gaoxin.activities.enums import ACTIVE, SEATED, SignUpStatus
from gaoxin.activities.forms import ChildForm
from gaoxin.activities.views.common import error_text, phone_login_required, posted_id
from gaoxin.core.errors import ApplicationError, Conflict, InvalidInput


@phone_login_required
def activity_list(request):
    activities = list(selectors.activities_open_for_person(user=request.user))
    mine: dict[int, list] = {}
    for signup in selectors.my_signups(user=request.user).filter(
        status__in=ACTIVE, activity__in=[a.pk for a in activities]
    ):
        mine.setdefault(signup.activity_id, []).append(signup)
    for activity in activities:
        activity.places, activity.waiting = selectors.places(activity)
        activity.mine = mine.get(activity.pk, [])
    return render(request, "activities/phone/list.html", {"activities": activities, "tab": "list"})


@phone_login_required
def activity_detail(request, activity_id: int):
    user = request.user
    activity = selectors.activity_get(user=user, activity_id=activity_id)
    now = timezone.now()
    sessions = list(selectors.sessions_of(activity))
    future = [s for s in sessions if s.starts_at > now]
    children = list(selectors.my_children(user=user)) if activity.for_children else []
    form = ChildForm(request.POST if request.method == "POST" else None)
    field_errors: dict[str, str] = {}
    error = ""
    if request.method == "POST":
        form.is_valid()
        try:
            signup = services.signup_for(
                actor=user,
                activity=activity,
                session_id=posted_id(request, "session_id"),
                child_id=posted_id(request, "child_id"),
                child=form.details(),
            )
        except (InvalidInput, Conflict) as exc:
            # The child's fields carry their own messages; the session's sits by the
            # session choice and the person's above the form (`field_errors`).
            for key, message in exc.fields.items():
                if key in form.fields:
                    form.add_error(key, message)
                else:
                    field_errors[key] = message
            if not exc.fields or set(field_errors) - {"session_id"}:
                error = error_text(exc)
        else:
            if signup.status == SignUpStatus.WAITLISTED:
                messages.warning(
                    request,
                    _("名额已满，您已进入候补名单（第 %(n)d 位），有人取消时将自动递补")
                    % {"n": selectors.waitlist_position(signup)},
                )
            elif not signup.created:
                messages.info(request, _("您已报名过该活动"))
            else:
                messages.success(request, _("报名成功"))
            return redirect("activities:mine")
    mine = selectors.my_active_signups(user=user, activity=activity)
    for signup in mine:
        signup.position = selectors.waitlist_position(signup)
    context = {
        "activity": activity,
        "sessions": sessions,
        "future": future,
        "open": selectors.signup_open(activity, now),
        "places": selectors.places(activity),
        "children": children,
        "form": form,
        "field_errors": field_errors,
        "error": error,
        "mine": mine,
        "programme": list(selectors.programme_of(activity)),
        "tab": "list",
    }
    return render(request, "activities/phone/detail.html", context)


@phone_login_required
def my_signups(request):
    signups = list(selectors.my_signups(user=request.user))
    for signup in signups:
        signup.position = selectors.waitlist_position(signup)
    return render(
        request,
        "activities/phone/mine.html",
        {"signups": signups, "tab": "mine", "has_person": request.user.person_id is not None},
    )


@require_POST
@phone_login_required
def cancel(request, signup_id: int):
    signup = selectors.signup_get(user=request.user, signup_id=signup_id, mine=True)
    try:
        services.signup_cancel(actor=request.user, signup=signup, reason=_("本人在手机上取消"))
    except (InvalidInput, Conflict) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已取消报名：%(title)s") % {"title": signup.activity.title})
    return redirect("activities:mine")


def checkin(request, token: str):
    """The landing page of a session's QR poster: shows the session, then one
    tap on "确认签到" marks the worker present (GET never writes)."""
    try:
        session = selectors.session_for_token(token)
    except ApplicationError as exc:
        return render(request, "activities/phone/checkin.html", {"error": exc.message}, status=400)
    return _checkin_logged_in(request, session=session, token=token)


@phone_login_required
def _checkin_logged_in(request, *, session, token: str):
    context = {"session": session, "activity": session.activity, "token": token}
    if request.method == "POST":
        try:
            records = services.attendance_checkin(actor=request.user, token=token)
        except ApplicationError as exc:
            if exc.status == 404:  # another zone's poster: say so plainly
                exc = ApplicationError(
                    _("该签到二维码不属于您所在的园区"), code="not_found", status=404
                )
            context["error"] = error_text(exc)
            return render(request, "activities/phone/checkin.html", context, status=exc.status)
        context["done"] = records
        context["again"] = all(not r.created for r in records)
        return render(request, "activities/phone/checkin.html", context)
    mine = [
        s
        for s in selectors.my_active_signups(user=request.user, activity=session.activity)
        if s.session_id in (None, session.pk)
    ]
    context["seated"] = [s for s in mine if s.status in SEATED]
    context["waiting"] = [s for s in mine if s.status == SignUpStatus.WAITLISTED]
    return render(request, "activities/phone/checkin.html", context)
