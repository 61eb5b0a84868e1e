"""The party officer's pages: the pipeline board by stage with what is due (and the
figures of the page), one candidate with its records and the step form, organisations,
the rules table, instructors and their visit coverage, and the Excel 台账."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.attachments import attach, attachments_of
from gaoxin.core.cleaning import Cleaner
from gaoxin.core.errors import ApplicationError, InvalidInput, NotFound
from gaoxin.core.excel import xlsx_response
from gaoxin.core.forms import errors_to_form
from gaoxin.core.tenancy import request_zone
from gaoxin.party import exports, rules, selectors, services
from gaoxin.party.access import STEP_FILES
from gaoxin.party.enums import Stage, next_stage
from gaoxin.party.forms import AdvanceForm, AssignForm, CoverForm, StepFileForm, UnionForm
from gaoxin.party.views.common import REFUSALS, office_required, render_office, status_of

PAGE_SIZE = 30


@office_required("party.view_candidate")
def board(request):
    zone = request_zone(request)
    today = timezone.localdate()
    qs = selectors.candidates_for_officer(user=request.user, zone_id=zone.pk)
    columns = {s: [] for s in Stage.values}
    for c in qs.order_by("stage_on", "id")[:500]:
        columns[c.stage].append(c)
    figures = selectors.development_figures(
        user=request.user, zone_id=zone.pk, start=rules.years_later(today, -3), end=today
    )
    context = {
        "title": _("入党发展看板"),
        "columns": [(Stage(s).label, columns[s]) for s in Stage.values],
        "due": selectors.due_items(user=request.user, zone_id=zone.pk, today=today),
        "figures": figures,
    }
    return render_office(request, "party/office/board.html", context)


@office_required("party.view_candidate")
def candidate(request, candidate_id: int):
    zone = request_zone(request)
    c = services.candidate_for_officer(actor=request.user, zone=zone, pk=candidate_id)
    upcoming = next_stage(c.stage)
    form = AdvanceForm(request.POST or None, initial={"stage": upcoming})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_advance(actor=request.user, candidate=c, data=form.cleaned_data)
        except REFUSALS as exc:
            errors_to_form(form, exc)
            status = status_of(exc)
        else:
            messages.success(request, _("已推进到下一阶段"))
            return redirect("party:office-candidate", c.pk)
    elif request.method == "POST":
        status = 422
    return _candidate_page(request, c, form=form if upcoming else None, status=status)


def _candidate_page(request, c, *, form=None, file_form=None, failed_record=None, status=200):
    records = list(c.records.all())
    for r in records:
        r.files = attachments_of(zone_id=c.zone_id, owner_kind=STEP_FILES, owner_id=r.pk)
    context = {
        "title": c.person.name,
        "candidate": c,
        "records": records,
        "form": form,
        "file_form": file_form or StepFileForm(),
        "failed_record": failed_record,  # the step whose upload was refused
    }
    return render_office(request, "party/office/candidate.html", context, status=status)


@office_required("party.change_candidate")
@require_POST
def step_file_add(request, candidate_id: int, record_id: int):
    """Attach the resolution or document of one step; a refused file is named next to
    the field and nothing is kept."""
    zone = request_zone(request)
    c = services.candidate_for_officer(actor=request.user, zone=zone, pk=candidate_id)
    record = c.records.filter(pk=record_id).first()
    if record is None:
        raise NotFound()
    form = StepFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attach(
                actor=request.user,
                zone=zone,
                owner_kind=STEP_FILES,
                owner_id=record.pk,
                upload=form.cleaned_data["file"],
                field="file",
            )
        except InvalidInput as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已上传材料：%(name)s") % {"name": attachment.filename})
            return redirect("party:office-candidate", c.pk)
    return _candidate_page(request, c, file_form=form, failed_record=record.pk, status=422)


def _coverage_day(request):
    """The day the 双覆盖 figures are counted on (?on=, default today), range-checked."""
    c = Cleaner({"on": request.GET.get("on") or None})
    c.day("on", label=_("统计日期"), required=False)
    return c.out.values.get("on") or timezone.localdate(), c.out.errors.get("on")


@office_required("party.view_partyorg")
def orgs(request):
    """Organisations and 双覆盖 on a chosen day; the forms to cover a firm by an
    organisation (组织覆盖) or record its union (工会覆盖)."""
    zone = request_zone(request)
    qs = selectors.orgs_for_user(user=request.user, zone_id=zone.pk)
    firms = selectors.firm_choices(zone_id=zone.pk)
    org_picks = list(qs.values_list("pk", "name"))
    cover = CoverForm(orgs=org_picks, firms=firms, prefix="cover")
    union = UnionForm(firms=firms, prefix="union")
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "cover":
            cover = CoverForm(request.POST, orgs=org_picks, firms=firms, prefix="cover")
            form, write = cover, _cover
        elif which == "union":
            union = UnionForm(request.POST, firms=firms, prefix="union")
            form, write = union, _union
        else:
            raise NotFound()
        status = 422
        if form.is_valid():
            try:
                write(request, zone, form.cleaned_data)
            except (*REFUSALS, ApplicationError) as exc:
                errors_to_form(form, exc)
                status = status_of(exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("party:office-orgs")
    on, on_error = _coverage_day(request)
    context = {
        "title": _("党组织"),
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "coverage": selectors.coverage(user=request.user, zone_id=zone.pk, on=on),
        "on_error": on_error,
        "cover_form": cover,
        "union_form": union,
    }
    return render_office(request, "party/office/orgs.html", context, status=status)


def _cover(request, zone, data):
    org = selectors.org_for_user(user=request.user, zone_id=zone.pk, pk=data["org_id"])
    services.org_cover(
        actor=request.user, org=org, enterprise_id=data["enterprise_id"], since=data["since"]
    )


def _union(request, zone, data):
    services.union_cover(actor=request.user, zone=zone, **data)


@office_required("party.view_partyorg")
def rule_table(request):
    return render_office(
        request, "party/office/rules.html", {"title": _("发展党员规则"), "rules": rules.RULES}
    )


@office_required("party.view_instructorvisit")
def instructors(request):
    zone = request_zone(request)
    today = timezone.localdate()
    visits = selectors.visits_for_user(user=request.user, zone_id=zone.pk)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    picks = {
        "instructors": selectors.instructor_choices(zone_id=zone.pk),
        "firms": selectors.firm_choices(zone_id=zone.pk),
    }
    form = AssignForm(request.POST or None, **picks)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.assignment_create(actor=request.user, zone=zone, **form.cleaned_data)
            except REFUSALS as exc:
                errors_to_form(form, exc)
                status = status_of(exc)
            else:
                messages.success(request, _("已安排挂点"))
                return redirect("party:office-instructors")
    context = {
        "assign_form": form,
        "assignments": selectors.assignments_for_user(user=request.user, zone_id=zone.pk)[:50],
        "title": _("党建指导员走访"),
        "stale": selectors.stale_firms(zone_id=zone.pk, today=today),
        "days": selectors.visits.visit_days(),
        "page": page,
    }
    return render_office(request, "party/office/instructors.html", context, status=status)


@office_required("party.view_candidate")
def pipeline_xlsx(request):
    zone = request_zone(request)
    return xlsx_response(
        exports.pipeline(user=request.user, zone=zone), filename="入党发展台账.xlsx"
    )


@office_required("party.view_instructorvisit")
def visits_xlsx(request):
    zone = request_zone(request)
    return xlsx_response(exports.visits(user=request.user, zone=zone), filename="走访台账.xlsx")
