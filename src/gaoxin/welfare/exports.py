"""Excel 台账 of a campaign: its claims and its ledger entries.

Names and masked phones only, codes masked (a code is a bearer secret);
money as numbers in yuan with two decimals so totals can be summed in Excel.
Rows are streamed (write-only workbook), so memory stays flat.
"""

from decimal import Decimal
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from gaoxin.core.audit import audit_export
from gaoxin.core.enums import JobType
from gaoxin.core.models import User
from gaoxin.welfare.models import Campaign, Claim

MONEY_FORMAT = "#,##0.00"


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _sheet(wb: Workbook, title: str, headers: list[str], money_columns: set[int]):
    ws = wb.create_sheet(title)
    for index, header in enumerate(headers):
        ws.column_dimensions[get_column_letter(index + 1)].width = max(12, len(header) * 2 + 4)
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.fill = bold, fill
        cells.append(cell)
    ws.append(cells)

    def append(row: list) -> None:
        out = []
        for index, value in enumerate(row):
            if index in money_columns and isinstance(value, int):
                cell = WriteOnlyCell(ws, value=Decimal(value) / 100)
                cell.number_format = MONEY_FORMAT
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)

    return append


def _notes(wb: Workbook, campaign: Campaign, what: str, count: int) -> None:
    notes = wb.create_sheet(_("说明"))
    notes.column_dimensions["A"].width = 100
    for line in [
        _("%(zone)s · %(title)s · %(what)s，共 %(n)d 条，导出时间 %(at)s。") % {
            "zone": campaign.zone.name, "title": campaign.title, "what": what, "n": count,
            "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        _("金额单位为元；券码只显示前五位，完整券码仅持券人可见。"),
    ]:  # fmt: skip
        notes.append([line])


def claims_xlsx(*, actor: User | None, campaign: Campaign, claims: QuerySet[Claim],
                fileobj: IO[bytes], redeemed: bool = False) -> int:  # fmt: skip
    """领取台账: one row per voucher, with its redemption; with `redeemed`, the
    核销台账: only used vouchers, in the order they were used."""
    title = _("核销台账") if redeemed else _("领取台账")
    if redeemed:
        claims = claims.filter(redeemed_at__isnull=False).order_by("redeemed_at", "id")
    else:
        claims = claims.order_by("claimed_at", "id")
    wb = Workbook(write_only=True)
    headers = [_("序号"), _("券码"), _("领取人"), _("手机号码"), _("职业类型"), _("所在企业"), _("第几份"),
               _("价值（元）"), _("领取时间"), _("经办人"), _("状态"), _("核销时间"), _("核销地点"),
               _("核销人")]  # fmt: skip
    append = _sheet(wb, title, headers, money_columns={7})
    jobs = {k: str(v) for k, v in JobType.choices}
    count = 0
    for claim in claims.iterator(chunk_size=2000):
        count += 1
        person = claim.person
        append([
            count, f"{claim.code[:5]}-*****", person.name, person.phone_masked, jobs.get(person.job_type, ""),
            person.employer.name if person.employer_id else "", claim.slot + 1, claim.value_fen,
            _when(claim.claimed_at), str(claim.claimed_by) if claim.claimed_by_id else _("本人"),
            _("已核销") if claim.redeemed_at else _("未使用"), _when(claim.redeemed_at),
            claim.redeemed_place, str(claim.redeemed_by) if claim.redeemed_by_id else "",
        ])  # fmt: skip
    _notes(wb, campaign, title, count)
    wb.save(fileobj)
    audit_export(zone=campaign.zone_id, actor=actor, what=str(title), rows=count,
                 scope={"campaign": campaign.pk})  # fmt: skip
    return count


def ledger_xlsx(*, actor: User | None, campaign: Campaign, entries, fileobj: IO[bytes]) -> int:
    """资金台账: every ledger entry of the campaign, and the balance after it per account."""
    wb = Workbook(write_only=True)
    headers = [_("记账时间"), _("凭证号"), _("分录"), _("科目"), _("金额（元）"), _("科目余额（元）"),
               _("摘要"), _("业务类型"), _("业务编号"), _("冲正凭证"), _("经办人")]  # fmt: skip
    append = _sheet(wb, _("资金台账"), headers, money_columns={4, 5})
    running: dict[str, int] = {}
    count = 0
    for entry in entries.iterator(chunk_size=2000):
        count += 1
        running[entry.account] = running.get(entry.account, 0) + entry.amount_fen
        append([
            _when(entry.created_at), entry.idempotency_key, entry.leg + 1, entry.account, entry.amount_fen,
            running[entry.account], entry.memo, entry.reference_type, entry.reference_id,
            entry.reverses_key, str(entry.actor) if entry.actor_id else _("系统"),
        ])  # fmt: skip
    _notes(wb, campaign, _("资金台账"), count)
    wb.save(fileobj)
    audit_export(zone=campaign.zone_id, actor=actor, what=str(_("资金台账")), rows=count,
                 scope={"campaign": campaign.pk})  # fmt: skip
    return count
