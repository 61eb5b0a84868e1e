"""Officers' pages: the workbench (my cases and demands, what is late), demands (paged,
searchable, each with its history and the forms that move it), joint meetings, the
figures with their definitions, and the Excel 台账."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases import exports, selectors, services
from gaoxin.cases.enums import DemandStatus
from gaoxin.cases.forms import DemandForm, MeetingForm, NoteForm, ReferForm, ResolveForm
from gaoxin.cases.views.common import REFUSALS, office_required, render_office, status_of
from gaoxin.core.charts import bar_chart
from gaoxin.core.errors import NotFound
from gaoxin.core.excel import xlsx_response
from gaoxin.core.forms import errors_to_form
from gaoxin.core.tenancy import request_zone
from gaoxin.registry.models import Department, Enterprise

PAGE_SIZE = 30


@office_required("cases.view_demand")
def workbench(request):
    bench = selectors.workbench(user=request.user)
    return render_office(
        request, "cases/office/workbench.html", {"bench": bench, "title": _("诉求与帮扶工作台")}
    )


@office_required("cases.view_demand")
def demand_list(request):
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in DemandStatus.values else ""
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.demands_for_user(user=request.user, q=q, status=status, overdue=overdue)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for d in page:
        d.overdue = d.overdue_on(today)
    context = {
        "page": page,
        "q": q,
        "status": status,
        "overdue": overdue,
        "statuses": DemandStatus.choices,
        "title": _("诉求"),
    }
    return render_office(request, "cases/office/demands.html", context)


def _zone_choices(zone_id: int):
    return (
        list(Enterprise.objects.filter(zone_id=zone_id).order_by("name")),
        list(Department.objects.filter(zone_id=zone_id).order_by("name")),
    )


@office_required("cases.add_demand")
def demand_create(request):
    zone = request_zone(request, request.GET.get("zone") or None)
    firms, _departments = _zone_choices(zone.pk)
    meetings = selectors.meetings_for_user(user=request.user, zone_id=zone.pk)
    form = DemandForm(request.POST or None, meetings=meetings, enterprises=firms)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                demand = services.demand_create(
                    actor=request.user,
                    zone=zone,
                    data={k: data[k] for k in ("title", "detail", "category", "source", "due_on")},
                    enterprise_ids=data["enterprise_ids"],
                    meeting_id=data["meeting_id"],
                    owner=request.user,
                )
            except REFUSALS as exc:
                errors_to_form(form, exc)
                status = status_of(exc)
            else:
                messages.success(request, _("诉求已登记"))
                return redirect("cases:office-demand", demand.pk)
        else:
            status = 422
    return render_office(
        request, "cases/office/demand_form.html", {"form": form, "title": _("登记诉求")}, status
    )


@office_required("cases.view_demand")
def demand_detail(request, demand_id: int):
    user = request.user
    demand = selectors.demand_get(user=user, demand_id=demand_id)
    _firms, departments = _zone_choices(demand.zone_id)
    verb = request.POST.get("verb", "")
    forms = {
        "note": NoteForm(request.POST if verb == "note" else None),
        "resolve": ResolveForm(request.POST if verb == "resolve" else None),
        "refer": ReferForm(request.POST if verb == "refer" else None, departments=departments),
    }
    status = 200
    if request.method == "POST":
        form = forms.get(verb)
        try:
            if verb == "take":
                services.demand_assign(demand=demand, actor=user, owner=user)
                messages.success(request, _("已由您负责办理"))
                return redirect("cases:office-demand", demand.pk)
            if form is None:
                raise NotFound()
            if not form.is_valid():
                status = 422
            else:
                data = form.cleaned_data
                if verb == "note":
                    services.demand_update(demand=demand, actor=user, note=data["note"])
                elif verb == "resolve":
                    services.demand_resolve(
                        demand=demand, actor=user, resolution=data["resolution"]
                    )
                else:
                    services.referral_create(
                        actor=user,
                        zone=demand.zone,
                        demand=demand,
                        department_id=data["department_id"],
                        due_on=data["due_on"],
                        note=data["note"],
                    )
                messages.success(request, _("已保存"))
                return redirect("cases:office-demand", demand.pk)
        except REFUSALS as exc:
            errors_to_form(form or NoteForm(), exc)
            if form is None:
                messages.error(request, exc.message)
            status = status_of(exc)
    demand.overdue = demand.overdue_on(timezone.localdate())
    context = {
        "demand": demand,
        "updates": list(demand.updates.all()),
        "referrals": list(demand.referrals.select_related("department")),
        "cases": list(demand.cases.all()),
        "firms": [link.enterprise for link in demand.enterprise_links.select_related("enterprise")],
        "forms": forms,
        "can_open_case": user.has_perm("cases.add_hardshipcase"),
        "title": demand.title,
    }
    return render_office(request, "cases/office/demand.html", context, status)


@office_required("cases.view_jointmeeting")
def meeting_list(request):
    meetings = selectors.meetings_for_user(user=request.user)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_office(
        request, "cases/office/meetings.html", {"page": page, "title": _("联席会议")}
    )


@office_required("cases.add_jointmeeting")
def meeting_create(request):
    zone = request_zone(request, request.GET.get("zone") or None)
    firms, departments = _zone_choices(zone.pk)
    form = MeetingForm(request.POST or None, enterprises=firms, departments=departments)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_create(
                    actor=request.user,
                    zone=zone,
                    data={k: data[k] for k in ("held_on", "title", "minutes")},
                    enterprise_ids=data["enterprise_ids"],
                    department_ids=data["department_ids"],
                )
            except REFUSALS as exc:
                errors_to_form(form, exc)
                status = status_of(exc)
            else:
                return redirect("cases:office-meeting", meeting.pk)
        else:
            status = 422
    return render_office(
        request,
        "cases/office/meeting_form.html",
        {"form": form, "title": _("登记联席会议")},
        status,
    )


@office_required("cases.view_jointmeeting")
def meeting_detail(request, meeting_id: int):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    demands = list(selectors.demands_for_user(user=request.user, meeting_id=meeting.pk))
    today = timezone.localdate()
    for d in demands:
        d.overdue = d.overdue_on(today)
    context = {
        "meeting": meeting,
        "demands": demands,
        "firms": [x.enterprise for x in meeting.enterprise_links.select_related("enterprise")],
        "departments": [
            x.department for x in meeting.department_links.select_related("department")
        ],
        "title": meeting.title,
    }
    return render_office(request, "cases/office/meeting.html", context)


@office_required("cases.view_demand")
def figures(request):
    zone = request_zone(request, request.GET.get("zone") or None)
    f = selectors.zone_figures(zone_id=zone.pk)
    chart = bar_chart(
        [m.held_on.strftime("%Y-%m") for m in f.per_meeting],
        {
            str(_("提出")): [m.raised for m in f.per_meeting],
            str(_("办结")): [m.resolved for m in f.per_meeting],
        },
        title=_("各次联席会议提出与办结的诉求"),
        unit=_("件"),
    )
    context = {"f": f, "zone": zone, "chart": chart, "title": _("诉求与帮扶统计")}
    return render_office(request, "cases/office/figures.html", context)


@office_required("cases.view_demand")
def export_demands(request):
    zone = request_zone(request, request.GET.get("zone") or None)
    export = exports.demands_export(user=request.user, zone=zone)
    return xlsx_response(export, filename=f"诉求台账-{zone.code}.xlsx")


@office_required("cases.view_hardshipcase")
def export_aid(request):
    zone = request_zone(request, request.GET.get("zone") or None)
    export = exports.aid_export(user=request.user, zone=zone)
    return xlsx_response(export, filename=f"帮扶救助金发放台账-{zone.code}.xlsx")
