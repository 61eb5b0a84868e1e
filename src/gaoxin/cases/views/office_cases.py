"""Hardship case pages: the list of my cases, opening one (from a demand or a visit),
the case page with its timeline (late steps marked) and aid, and the forms that move it.
Every view of a case page is an audited read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.cases import selectors, services
from gaoxin.cases.access import CASE_FILES, case_is_officer, cases_visible
from gaoxin.cases.enums import AidStatus, CaseOrigin, CaseStatus
from gaoxin.cases.forms import (
    AidForm,
    CaseFileForm,
    CaseOpenForm,
    CloseForm,
    ReferForm,
    StepForm,
)
from gaoxin.cases.views.common import REFUSALS, office_required, render_office, status_of
from gaoxin.core.attachments import attach, attachments_of
from gaoxin.core.errors import InvalidInput, NotFound
from gaoxin.core.forms import errors_to_form
from gaoxin.core.numbers import yuan
from gaoxin.core.tenancy import request_zone
from gaoxin.registry.models import Department, Person

PAGE_SIZE = 30


@office_required("cases.view_hardshipcase")
def case_list(request):
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    page = Paginator(
        selectors.cases_for_user(user=request.user, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render_office(
        request,
        "cases/office/cases.html",
        {"page": page, "status": status, "statuses": CaseStatus.choices, "title": _("帮扶个案")},
    )


@office_required("cases.add_hardshipcase")
def case_create(request):
    zone = request_zone(request, request.GET.get("zone") or None)
    demand = None
    demand_id = request.GET.get("demand", "")
    if demand_id.isdigit() and len(demand_id) < 18:
        demand = selectors.demand_get(user=request.user, demand_id=int(demand_id))
    people = (
        Person.objects.filter(zone_id=zone.pk, pk=demand.raised_by_id)
        if demand and demand.raised_by_id
        else Person.objects.filter(zone_id=zone.pk).order_by("name")[:500]
    )
    officers = [u for u in selectors.officers_for_zone(zone_id=zone.pk) if u.pk != request.user.pk]
    initial = {"origin": CaseOrigin.DEMAND if demand else CaseOrigin.VISIT}
    if demand:
        initial.update(title=demand.title, summary=demand.detail, person_id=demand.raised_by_id)
    form = CaseOpenForm(request.POST or None, initial=initial, people=people, officers=officers)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_open(
                    actor=request.user,
                    zone=zone,
                    demand=demand,
                    **data,
                )
            except REFUSALS as exc:
                errors_to_form(form, exc)
                status = status_of(exc)
            else:
                messages.success(request, _("已开案，标准流程各步骤及期限已生成"))
                return redirect("cases:office-case", case.pk)
        else:
            status = 422
    context = {"form": form, "demand": demand, "title": _("开案")}
    return render_office(request, "cases/office/case_form.html", context, status)


def _case_page(
    request,
    case,
    *,
    aid_form=None,
    close_form=None,
    refer_form=None,
    file_form=None,
    status=200,
    warning=None,
):
    steps = selectors.case_timeline(case)
    aid = selectors.aid_for_case(case)
    for a in aid:
        a.amount_yuan = yuan(a.amount_fen)
        a.can_approve = a.status == AidStatus.APPLIED and a.applied_by_id != request.user.pk
        a.can_pay = a.status == AidStatus.APPROVED
        if a.status in (AidStatus.APPLIED, AidStatus.APPROVED):
            a.check = services.aid_duplicates(a)
    context = {
        "case": case,
        "steps": steps,
        "late": sum(1 for s in steps if s.late and s.done_on is None),
        "aid": aid,
        "officers": selectors.officers_of(case),
        "referrals": list(case.referrals.select_related("department")),
        "aid_form": aid_form or AidForm(),
        "close_form": close_form or CloseForm(),
        "step_form": StepForm(),
        "refer_form": refer_form or ReferForm(departments=_departments(case)),
        "attachments": attachments_of(
            zone_id=case.zone_id, owner_kind=CASE_FILES, owner_id=case.pk
        ),
        "file_form": file_form or CaseFileForm(),
        "warning": warning,
        "title": case.title,
    }
    return render_office(request, "cases/office/case.html", context, status)


def _officer_case(request, case_id: int):
    case = selectors.case_get(user=request.user, case_id=case_id)
    if not case.as_officer:
        raise NotFound()
    return case


@office_required("cases.view_hardshipcase")
def case_detail(request, case_id: int):
    return _case_page(request, _officer_case(request, case_id))


def _for_write(request, case_id: int):
    case = cases_visible(request.user).filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


@require_POST
@office_required("cases.change_hardshipcase")
def step_done(request, case_id: int, step_id: int):
    case = _for_write(request, case_id)
    form = StepForm(request.POST)
    form.is_valid()
    try:
        services.case_step_done(
            case=case, step_id=step_id, actor=request.user, note=form.cleaned_data.get("note", "")
        )
    except REFUSALS as exc:
        messages.error(request, exc.message if not exc.fields else "；".join(exc.fields.values()))
    return redirect("cases:office-case", case.pk)


@require_POST
@office_required("cases.add_aidapplication")
def aid_apply(request, case_id: int):
    case = _for_write(request, case_id)
    form = AidForm(request.POST)
    if form.is_valid():
        try:
            services.aid_apply(case=case, actor=request.user, data=form.cleaned_data)
        except REFUSALS as exc:
            errors_to_form(form, exc)
            return _case_page(
                request, _officer_case(request, case_id), aid_form=form, status=status_of(exc)
            )
        messages.success(request, _("帮扶申请已提交，请另一位经办人审批"))
        return redirect("cases:office-case", case.pk)
    return _case_page(request, _officer_case(request, case_id), aid_form=form, status=422)


@require_POST
@office_required("cases.view_hardshipcase")
def aid_act(request, case_id: int, aid_id: int, verb: str):
    case = _for_write(request, case_id)
    act = {"approve": services.aid_approve, "pay": services.aid_pay}.get(verb)
    if act is None:
        raise NotFound()
    confirm = request.POST.get("confirm_duplicate") == "1"
    try:
        aid = act(case=case, aid_id=aid_id, actor=request.user, confirm_duplicate=confirm)
    except REFUSALS as exc:
        if exc.code == "duplicate_need":
            warning = {
                "aid_id": aid_id,
                "verb": verb,
                "message": exc.message,
                "lines": exc.fields.get("confirm_duplicate", "").split("；"),
            }
            return _case_page(request, _officer_case(request, case_id), warning=warning, status=409)
        messages.error(request, exc.message)
        return redirect("cases:office-case", case.pk)
    if verb == "pay":
        if getattr(aid, "replayed", False):
            messages.info(request, _("该笔帮扶救助金已发放过，未重复发放"))
        else:
            messages.success(request, _("已发放 %(amount)s 元") % {"amount": yuan(aid.amount_fen)})
    else:
        messages.success(request, _("已审批通过"))
    return redirect("cases:office-case", case.pk)


@require_POST
@office_required("cases.change_hardshipcase")
def case_close(request, case_id: int):
    case = _for_write(request, case_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(case=case, actor=request.user, **form.cleaned_data)
        except REFUSALS as exc:
            errors_to_form(form, exc)
            return _case_page(
                request, _officer_case(request, case_id), close_form=form, status=status_of(exc)
            )
        messages.success(request, _("已结案"))
        return redirect("cases:office-case", case.pk)
    return _case_page(request, _officer_case(request, case_id), close_form=form, status=422)


def _departments(case):
    return list(Department.objects.filter(zone_id=case.zone_id).order_by("name"))


@require_POST
@office_required("cases.add_referral")
def case_refer(request, case_id: int):
    """Refer the case (its rights-protection part) to a department; the liaison sees a
    neutral subject, never the person."""
    case = _for_write(request, case_id)
    form = ReferForm(request.POST, departments=_departments(case))
    if form.is_valid():
        try:
            services.referral_create(
                actor=request.user, zone=case.zone, case=case, **form.cleaned_data
            )
        except REFUSALS as exc:
            errors_to_form(form, exc)
            page = _officer_case(request, case_id)
            return _case_page(request, page, refer_form=form, status=status_of(exc))
        messages.success(request, _("已转办"))
        return redirect("cases:office-case", case.pk)
    return _case_page(request, _officer_case(request, case_id), refer_form=form, status=422)


@require_POST
@office_required("cases.view_hardshipcase")
def case_file_add(request, case_id: int):
    """Add a file to the case (its staff only; the worker sees it on the phone).
    A refused file is named next to the field and nothing is kept."""
    case = _for_write(request, case_id)
    if not case_is_officer(request.user, case):
        raise NotFound()
    form = CaseFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attach(
                actor=request.user,
                zone=case.zone,
                owner_kind=CASE_FILES,
                owner_id=case.pk,
                upload=form.cleaned_data["file"],
                field="file",
            )
        except InvalidInput as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已上传附件：%(name)s") % {"name": attachment.filename})
            return redirect("cases:office-case", case.pk)
    return _case_page(request, _officer_case(request, case_id), file_form=form, status=422)
