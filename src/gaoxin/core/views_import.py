"""Back-office pages for Excel rosters: upload an import, download a template or an export.

Thin on purpose: the form picks the zone from those the user may act in,
`imports.import_xlsx` checks permission, validates and writes, and every
refusal is shown on the page (never a 500).
"""

import tempfile

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.errors import ApplicationError, Forbidden, NotFound
from gaoxin.core.exports import export_xlsx
from gaoxin.core.imports import KINDS, import_xlsx, kind_label, template_workbook
from gaoxin.core.models import Zone
from gaoxin.core.selectors import zones_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: ~20 s of work at ~1000 rows/s, well inside the 120 s gunicorn timeout of `gaoxin up`;
#: larger files go through the command line, which has no limit.
WEB_MAX_ROWS = 20_000


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("名册类型"),
        choices=[("people", gettext_lazy("人员名册")), ("enterprises", gettext_lazy("企业名册"))],
        widget=forms.RadioSelect,
        initial="people",
    )
    zone = forms.ModelChoiceField(
        label=gettext_lazy("导入到园区"), queryset=Zone.objects.none(), empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("您不能导入到该园区")},
    )  # fmt: skip
    file = forms.FileField(
        label=gettext_lazy("Excel 文件"),
        help_text=gettext_lazy(
            "请使用 .xlsx 格式（可先下载模板），每个文件最多 20000 行；更大的文件请用命令行 gaoxin import 导入"
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones_for_user(user=user)
        if not user.spans_zones:
            # A zone-bound user imports into their own zone; any other id is an invalid choice.
            self.fields["zone"].initial = user.zone_id
            self.fields["zone"].widget = forms.HiddenInput()


def _context(request, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "title": _("导入名册"),
        "kinds": [(kind, kind_label(kind)) for kind in ("people", "enterprises")],
        "zones": zones_for_user(user=request.user),
        **extra,
    }


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Upload form; on POST, the all-or-nothing result with a table of row errors."""
    result, status = None, 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            try:
                result = import_xlsx(
                    actor=request.user, zone=form.cleaned_data["zone"], kind=kind,
                    fileobj=form.cleaned_data["file"], max_rows=WEB_MAX_ROWS,
                )  # fmt: skip
            except (Forbidden, NotFound):
                form.add_error(
                    None, _("您没有在该园区导入%(kind)s的权限") % {"kind": kind_label(kind)}
                )
                status = 403
            except ApplicationError as exc:
                form.add_error("file", exc.message)
    else:
        form = ImportForm(user=request.user)
    return TemplateResponse(
        request, "core/import.html", _context(request, form=form, result=result), status=status
    )


@staff_member_required
@require_GET
def import_template(request, kind: str):
    if kind not in KINDS:
        raise Http404
    response = HttpResponse(template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, _("%(kind)s导入模板.xlsx") % {"kind": kind_label(kind)}
    )
    return response


@staff_member_required
@require_GET
def export_download(request, kind: str):
    """One zone's roster with masked identifiers; a zone-bound user gets only their zone."""
    if kind not in KINDS:
        raise Http404
    zones = zones_for_user(user=request.user)
    zone_id = request.GET.get("zone") or (
        None if request.user.spans_zones else request.user.zone_id
    )
    if not zone_id:
        return HttpResponseBadRequest(
            _("请选择要导出的园区").encode(), content_type="text/plain; charset=utf-8"
        )
    zone = zones.filter(pk=zone_id).first() if str(zone_id).isdigit() else None
    if zone is None:
        raise Http404
    buffer = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        export_xlsx(user=request.user, kind=kind, zone_id=zone.pk, fileobj=buffer)
    except ApplicationError:
        buffer.close()
        raise PermissionDenied from None
    buffer.seek(0)
    filename = _("%(zone)s-%(kind)s名册-%(date)s.xlsx") % {
        "zone": zone.name, "kind": kind_label(kind), "date": timezone.localdate().strftime("%Y%m%d")}  # fmt: skip
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
