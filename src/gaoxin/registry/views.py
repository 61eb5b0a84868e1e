"""Back-office pages for Excel rosters: upload an import, download a template or an export.

Thin on purpose: the form picks the zone from those the user may act in,
`imports.import_xlsx` checks permission, validates and writes, and every
refusal is shown on the page (never a 500). An upload past the file-size
limit is not stored: the upload handler stops keeping it at the limit.
"""

import tempfile

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.errors import ApplicationError, Forbidden, NotFound
from gaoxin.core.models import Zone
from gaoxin.core.selectors import zones_for_user
from gaoxin.core.xlsx_limits import file_too_large, limits, size_text
from gaoxin.registry.exports import export_xlsx
from gaoxin.registry.imports import KINDS, import_xlsx, kind_label, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: ~20 s of work at ~1000 rows/s, well inside the 120 s gunicorn timeout of `gaoxin up`;
#: larger files go through the command line, which has no limit.
WEB_MAX_ROWS = 20_000


class _LimitedUpload(FileUploadHandler):
    """First in the chain: stops an upload once it passes the file-size limit.

    The rest of the request body is read and dropped, not stored, and the
    view shows the limit instead of "this field is required".
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_big = 0

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            length = int(self.request.META.get("CONTENT_LENGTH") or 0)
            self.too_big = max(start + len(raw_data), length)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("名册类型"),
        choices=[("people", gettext_lazy("人员名册")), ("enterprises", gettext_lazy("企业名册"))],
        widget=forms.RadioSelect,
        initial="people",
    )
    zone = forms.ModelChoiceField(
        label=gettext_lazy("导入到园区"),
        queryset=Zone.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("您不能导入到该园区")},
    )
    file = forms.FileField(label=gettext_lazy("Excel 文件"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        lim = limits()
        self.fields["file"].help_text = _(
            "请使用 .xlsx 格式（可先下载模板），每个文件最多 %(rows)d 行、%(size)s，"
            "每格最多 %(chars)d 个字；更多的行请用命令行 gaoxin import 导入"
        ) % {
            "rows": min(WEB_MAX_ROWS, lim.rows),
            "size": size_text(lim.file_bytes),
            "chars": lim.cell_chars,
        }
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


@csrf_exempt  # checked by csrf_protect below, once the upload handler is in place
@staff_member_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Upload form; on POST, the all-or-nothing result with a table of row errors."""
    limited = _LimitedUpload(request, limits().file_bytes)
    request.upload_handlers.insert(0, limited)
    try:
        return _import_page(request, limited)
    except RequestDataTooBig:  # a body that is not a file, past DATA_UPLOAD_MAX_MEMORY_SIZE
        return _too_big(request, int(request.META.get("CONTENT_LENGTH") or 0))


def _too_big(request, size: int) -> TemplateResponse:
    """The empty form under the size limit: the request was not read to the end,
    so none of its fields can be trusted to be there."""
    error = file_too_large(size, limits().file_bytes).message
    context = _context(request, form=ImportForm(user=request.user), upload_error=error)
    return TemplateResponse(request, "registry/import.html", context, status=413)


@csrf_protect
def _import_page(request, limited: _LimitedUpload):
    result, status = None, 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if limited.too_big:  # reading request.POST stopped storing the file at the limit
            return _too_big(request, limited.too_big)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            try:
                result = import_xlsx(
                    actor=request.user,
                    zone=form.cleaned_data["zone"],
                    kind=kind,
                    fileobj=form.cleaned_data["file"],
                    max_rows=WEB_MAX_ROWS,
                )
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
        request, "registry/import.html", _context(request, form=form, result=result), status=status
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
        "zone": zone.name,
        "kind": kind_label(kind),
        "date": timezone.localdate().strftime("%Y%m%d"),
    }
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
