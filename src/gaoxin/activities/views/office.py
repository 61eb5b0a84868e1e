"""Back-office workflow pages for officers: create, submit, publish, close;
sessions, sign-ups, waiting list, attendance with a printable QR poster and
Excel ledgers (the festival programme, 节目单, is in office_programme).

They sit in the admin's frame (admin/base_site.html) but write only through
the services, like the API.
"""

import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.activities import exports, selectors, services
from gaoxin.activities.domain import checkin_url
from gaoxin.activities.enums import ActivityKind, ActivityStatus
from gaoxin.activities.forms import ActivityForm, ChildForm, ScheduleForm
from gaoxin.activities.views.common import (
    REFUSALS,
    error_text,
    office_login_required,
    office_permission_required,
    posted_id,
    render_office,
)
from gaoxin.core.excel import xlsx_response
from gaoxin.core.forms import errors_to_form
from gaoxin.core.selectors import zones_for_user
from gaoxin.core.tenancy import request_zone


def _errors_text(form) -> str:
    parts = []
    for key, errors in form.errors.items():
        label = form.fields[key].label if key in form.fields else ""
        parts.append(f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    return "；".join(parts)


def _detail(activity_id: int):
    return redirect("activities:office-detail", activity_id=activity_id)


# ------------------------------------------------------------------ activities


@office_login_required
def activity_list(request):
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.with_figures(
        selectors.activities_for_user(user=request.user, status=status, kind=kind, q=q)
    )
    if request.GET.get("export") == "xlsx":
        export = exports.activities_export(user=request.user, activities=qs)
        return xlsx_response(export, filename=_("关爱活动台账.xlsx"))
    activities = list(qs[:200])
    return render_office(
        request,
        "activities/office/list.html",
        {
            "title": _("关爱活动"),
            "activities": activities,
            "status": status,
            "kind": kind,
            "q": q,
            "statuses": ActivityStatus.choices,
            "kinds": ActivityKind.choices,
            "can_add": request.user.has_perm("activities.add_activity"),
        },
    )


@office_permission_required("activities.add_activity")
def activity_create(request):
    zones = list(zones_for_user(user=request.user)) if request.user.zone_id is None else []
    form = ActivityForm(request.POST or None, initial={"waitlist": True, "capacity": 30})
    schedule = ScheduleForm(request.POST or None, prefix="s")
    if request.method == "POST" and form.is_valid() & schedule.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user,
                zone=request_zone(request, request.POST.get("zone_id")),
                data=form.service_data(),
                schedule=schedule.cleaned_data,
            )
        except REFUSALS as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("活动已创建（草稿），请检查后提交审核"))
            return _detail(activity.pk)
    return render_office(
        request,
        "activities/office/form.html",
        {
            "title": _("新建活动"),
            "form": form,
            "schedule": schedule,
            "zones": zones,
        },
    )


@office_login_required
def activity_edit(request, activity_id: int):
    activity = selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)
    initial = ActivityForm.initial_from(activity)
    form = ActivityForm(request.POST or None, initial=initial, partial=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=request.user, activity=activity, data=form.service_data()
            )
        except REFUSALS as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("活动已保存"))
            return _detail(activity.pk)
    return render_office(
        request,
        "activities/office/form.html",
        {
            "title": _("修改活动"),
            "subtitle": activity.title,
            "form": form,
            "activity": activity,
        },
    )


@office_login_required
def activity_detail(request, activity_id: int):
    user = request.user
    activity = selectors.activity_get_for_manager(user=user, activity_id=activity_id)
    sessions = list(selectors.sessions_of(activity))
    return render_office(
        request,
        "activities/office/detail.html",
        {
            "title": activity.title,
            "activity": activity,
            "sessions": sessions,
            **selectors.activity_signups_by_status(user=user, activity=activity),
            "verbs": selectors.allowed_verbs(user=user, activity=activity),
            "editable": activity.status in services.EDITABLE
            and user.has_perm("activities.change_activity"),
            "schedule": ScheduleForm(prefix="s", initial={"repeat": "once", "count": 1}),
            "programme_count": selectors.programme_of(activity).count(),
            "can_signup": user.has_perm("activities.change_signup"),
            "now": timezone.now(),
        },
    )


@require_POST
@office_login_required
def activity_transition(request, activity_id: int, verb: str):
    activity = selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)
    try:
        updated = services.activity_transition(
            actor=request.user,
            activity=activity,
            verb=verb,
            note=request.POST.get("note", "")[:200],
        )
    except REFUSALS as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("活动状态已更新为“%(status)s”") % {"status": updated.get_status_display()}
        )
    return _detail(activity.pk)


@require_POST
@office_login_required
def sessions_add(request, activity_id: int):
    activity = selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)
    form = ScheduleForm(request.POST, prefix="s")
    if form.is_valid():
        try:
            created = services.sessions_add(
                actor=request.user, activity=activity, data=form.cleaned_data
            )
        except REFUSALS as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("已添加 %(n)d 个场次") % {"n": len(created)})
    else:
        messages.error(request, _errors_text(form))
    return _detail(activity.pk)


# ------------------------------------------------------------------ sign-ups


@office_login_required
def signup_add(request, activity_id: int):
    """代报名: an officer signs up a registry person who has no phone login."""
    user = request.user
    activity = selectors.activity_get_for_manager(user=user, activity_id=activity_id)
    q = request.GET.get("q", "").strip()[:50]
    people = list(selectors.people_for_signup(user=user, q=q)) if q else []
    form = ChildForm(request.POST if request.method == "POST" else None)
    sessions = [s for s in selectors.sessions_of(activity) if s.starts_at > timezone.now()]
    if request.method == "POST":
        person_id = posted_id(request, "person_id")
        if person_id is None:
            form.add_error(None, _("请先查找并选择报名人员"))
        else:
            form.is_valid()
            try:
                signup = services.signup_for(
                    actor=user,
                    activity=activity,
                    person_id=person_id,
                    session_id=posted_id(request, "session_id"),
                    child=form.details(),
                )
            except REFUSALS as exc:
                errors_to_form(form, exc)
                people = list(selectors.people_for_signup(user=user, person_id=person_id))
            else:
                messages.success(
                    request,
                    _("已为 %(name)s 报名（%(status)s）")
                    % {"name": signup.person.name, "status": signup.get_status_display()},
                )
                return _detail(activity.pk)
    return render_office(
        request,
        "activities/office/signup_add.html",
        {
            "title": _("代为报名"),
            "subtitle": activity.title,
            "activity": activity,
            "q": q,
            "people": people,
            "form": form,
            "sessions": sessions,
        },
    )


@require_POST
@office_login_required
def signup_cancel(request, activity_id: int, signup_id: int):
    activity = selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)
    signup = selectors.activity_signup_get(
        user=request.user, activity=activity, signup_id=signup_id
    )
    try:
        result = services.signup_cancel(
            actor=request.user,
            signup=signup,
            reason=request.POST.get("reason", "")[:200] or _("工作人员取消"),
        )
    except REFUSALS as exc:
        messages.error(request, error_text(exc))
    else:
        text = _("已取消 %(name)s 的报名") % {"name": signup.person.name}
        if result.promoted:
            text += _("；候补 %(names)s 已递补") % {
                "names": "、".join(s.person.name for s in result.promoted)
            }
        messages.success(request, text)
    return _detail(activity.pk)


# ------------------------------------------------------------------ attendance


@office_login_required
def session_attendance(request, activity_id: int, session_id: int):
    user = request.user
    activity = selectors.activity_get_for_manager(user=user, activity_id=activity_id)
    session = selectors.session_get(activity=activity, session_id=session_id)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("signup_ids") if i.isdigit()]
        try:
            records = services.attendance_mark(actor=user, session=session, signup_ids=ids)
        except REFUSALS as exc:
            messages.error(request, error_text(exc))
        else:
            new = sum(1 for r in records if r.created)
            messages.success(request, _("已登记 %(n)d 人出勤") % {"n": new})
        return redirect("activities:office-session", activity_id=activity.pk, session_id=session.pk)
    roster = selectors.session_roster(user=user, session=session)
    return render_office(
        request,
        "activities/office/session.html",
        {
            "title": _("出勤登记"),
            "subtitle": f"{activity.title} · {session}",
            "activity": activity,
            "session": session,
            "roster": roster,
            "present": sum(1 for s in roster if s.present),
            "can_mark": user.has_perm("activities.change_signup"),
        },
    )


@office_login_required
def session_qr(request, activity_id: int, session_id: int):
    """A printable poster with the session's signed check-in QR code."""
    activity = selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)
    session = selectors.session_for_checkin_code(
        user=request.user, activity=activity, session_id=session_id
    )
    url = checkin_url(session, request)
    svg = segno.make(url, error="m").svg_inline(scale=8, border=4)
    return render(
        request,
        "activities/office/qr.html",
        {
            "activity": activity,
            "session": session,
            "svg": svg,
            "url": url,
        },
    )


# ------------------------------------------------------------------ exports


@office_login_required
def export_signups(request, activity_id: int):
    activity = selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)
    export = exports.signups_export(user=request.user, activity=activity)
    return xlsx_response(export, filename=_("%(title)s-报名台账.xlsx") % {"title": activity.title})


@office_login_required
def export_attendance(request, activity_id: int):
    activity = selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)
    export = exports.attendance_export(user=request.user, activity=activity)
    return xlsx_response(export, filename=_("%(title)s-出勤台账.xlsx") % {"title": activity.title})
