"""Phone pages for the worker: ask for help, my requests step by step, rate the result
(满意 / 基本满意 / 不满意; 不满意 reopens it for review)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaoxin.cases import selectors, services
from gaoxin.cases.access import CASE_FILES
from gaoxin.cases.enums import CaseStatus, DemandStatus
from gaoxin.cases.forms import AskForm, RateForm
from gaoxin.cases.services.demands import may_rate
from gaoxin.cases.views.common import REFUSALS, phone_login_required, status_of
from gaoxin.core.attachments import attachments_of
from gaoxin.core.errors import NotFound
from gaoxin.core.forms import errors_to_form


@phone_login_required
def my_requests(request):
    demands, cases = selectors.worker_requests(user=request.user)
    context = {
        "demands": demands,
        "cases": cases,
        "is_worker": bool(request.user.person_id),
        "tab": "mine",
    }
    return render(request, "cases/phone/mine.html", context)


@phone_login_required
def ask(request):
    form = AskForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.worker_ask_help(actor=request.user, **form.cleaned_data)
        except REFUSALS as exc:
            errors_to_form(form, exc)
            status = status_of(exc)
        else:
            messages.success(request, _("已收到您的求助，工作人员会尽快与您联系"))
            return redirect("cases:m-demand", demand.pk)
    elif request.method == "POST":
        status = 422
    return render(request, "cases/phone/ask.html", {"form": form, "tab": "ask"}, status=status)


def _rate(request, rate, record, target: str):
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            rate(form.cleaned_data)
        except REFUSALS as exc:
            errors_to_form(form, exc)
            return form, status_of(exc)
        if form.cleaned_data["satisfaction"] == "dissatisfied":
            messages.warning(request, _("感谢评价，我们将重新办理您的诉求"))
        else:
            messages.success(request, _("感谢您的评价"))
        return None, 302
    return form, 422


@phone_login_required
def demand_detail(request, demand_id: int):
    demand = selectors.demand_get(user=request.user, demand_id=demand_id)
    if not may_rate(request.user, demand):  # an officer's view is the office page
        raise NotFound()
    form, status = RateForm(), 200
    if request.method == "POST":
        form, status = _rate(
            request,
            lambda data: services.demand_rate(demand=demand, actor=request.user, **data),
            demand,
            "demand",
        )
        if form is None:
            return redirect("cases:m-demand", demand.pk)
    demand.refresh_from_db()
    context = {
        "demand": demand,
        "updates": list(demand.updates.all()),
        "cases": list(demand.cases.filter(zone_id=demand.zone_id)),
        "can_rate": demand.status == DemandStatus.RESOLVED
        and (demand.rated_at is None or demand.rated_at < demand.resolved_at),
        "form": form,
        "tab": "mine",
    }
    return render(request, "cases/phone/demand.html", context, status=status)


@phone_login_required
def case_detail(request, case_id: int):
    case = selectors.case_get(user=request.user, case_id=case_id, why=_("本人查看"))
    if case.person_id != request.user.person_id:
        raise NotFound()
    form, status = RateForm(), 200
    if request.method == "POST":
        form, status = _rate(
            request,
            lambda data: services.case_rate(case=case, actor=request.user, **data),
            case,
            "case",
        )
        if form is None:
            return redirect("cases:m-case", case.pk)
    context = {
        "case": case,
        "steps": selectors.case_timeline(case),
        "can_rate": case.status == CaseStatus.CLOSED and case.satisfaction in ("", "dissatisfied"),
        "attachments": attachments_of(
            zone_id=case.zone_id, owner_kind=CASE_FILES, owner_id=case.pk
        ),
        "form": form,
        "tab": "mine",
    }
    return render(request, "cases/phone/case.html", context, status=status)
