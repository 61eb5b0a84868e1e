"""The empty roster a user fills in: headers, an example row, drop-downs, notes."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gaoxin.registry.imports.columns import Column, columns, kind_label, sheet_title

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")


def template_workbook(kind: str) -> bytes:
    """An empty roster with the Chinese headers and a 说明 sheet.

    The data sheet has no example row, so uploading the template unchanged
    imports nothing by accident; examples live on the 说明 sheet. Identifier
    columns are formatted as text so Excel keeps ID numbers intact.
    """
    cols = columns(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(kind)
    ws.append([c.title for c in cols])
    for index, col in enumerate(cols, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[letter].width = max(14, len(col.title) * 2 + 4)
        if col.identifier:
            ws.column_dimensions[letter].number_format = "@"
        if col.options:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.options) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("可选值"),
                error=_("请从下拉列表中选择：%(options)s") % {"options": "、".join(col.options)},
            )
            dv.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    _write_help_sheet(wb, kind, cols, notes=_template_notes(kind))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _template_notes(kind: str) -> list[str]:
    notes = [
        _("第 1 行是表头，请勿修改列名；列的顺序可以调整，带 * 的列必须填写。"),
        _("从第 2 行起每行一条记录，空行会被跳过。"),
        _(
            "导入是“全有或全无”：只要有一行出错，整个文件都不会导入，"
            "系统会列出每个错误的行号、列和原因，改正后重新上传即可。"
        ),
        _(
            "身份证号、手机号码、统一社会信用代码请保持“文本”格式；"
            "若 Excel 显示为 4.41204E+17 这样的科学计数法，说明号码已被截断，需要重新填写。"
        ),
    ]
    if kind == "people":
        notes.append(_("所在企业须先在本园区登记；可先导入企业名册，再导入人员名册。"))
        notes.append(_("身份、职业类型可从下拉列表中选择，也可填写可选值中的任意一项。"))
    return notes


def _write_help_sheet(wb: Workbook, kind: str, cols: list[Column], *, notes: list[str]) -> None:
    ws = wb.create_sheet(_("说明"))
    ws.append([_("%(kind)s名册填写说明") % {"kind": kind_label(kind)}])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([_("列名"), _("是否必填"), _("说明"), _("可选值"), _("示例")])
    for cell in ws[3]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for col in cols:
        ws.append(
            [
                col.title,
                _("必填") if col.required else _("选填"),
                col.help,
                "、".join(col.options),
                col.example,
            ]
        )
        ws.cell(row=ws.max_row, column=5).font = EXAMPLE_FONT
    ws.append([])
    for note in notes:
        ws.append([note])
    for letter, width in zip("ABCDE", (26, 10, 60, 50, 32), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
