"""Excel 台账 of a campaign: its claims and its ledger entries, written by the
core kit (`gaoxin.core.excel`).

Names and masked phones only, codes masked (a code is a bearer secret);
money in yuan as numbers so totals can be summed in Excel. Rows are streamed.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gaoxin.core.enums import JobType
from gaoxin.core.excel import DATETIME, INT, MASKED, MONEY_FEN, Column, Export, Sheet
from gaoxin.core.models import User
from gaoxin.welfare.models import Campaign, Claim


def _notes(campaign: Campaign, what: str):
    def notes(count: int) -> list[str]:
        return [
            _("%(zone)s · %(title)s · %(what)s，共 %(n)d 条。")
            % {"zone": campaign.zone.name, "title": campaign.title, "what": what, "n": count},
            _("金额单位为元；券码只显示前五位，完整券码仅持券人可见。"),
        ]

    return notes


def claims_export(
    *, actor: User | None, campaign: Campaign, claims: QuerySet[Claim], redeemed: bool = False
) -> Export:
    """领取台账: one row per voucher, with its redemption; with `redeemed`, the
    核销台账: only used vouchers, in the order they were used."""
    title = str(_("核销台账") if redeemed else _("领取台账"))
    if redeemed:
        claims = claims.filter(redeemed_at__isnull=False).order_by("redeemed_at", "id")
    else:
        claims = claims.order_by("claimed_at", "id")
    jobs = {k: str(v) for k, v in JobType.choices}
    columns = [
        Column(_("序号"), INT),
        Column(_("券码"), MASKED, width=14),
        Column(_("领取人")),
        Column(_("手机号码"), MASKED),
        Column(_("职业类型")),
        Column(_("所在企业"), width=30),
        Column(_("第几份"), INT),
        Column(_("价值（元）"), MONEY_FEN),
        Column(_("领取时间"), DATETIME),
        Column(_("经办人")),
        Column(_("状态")),
        Column(_("核销时间"), DATETIME),
        Column(_("核销地点")),
        Column(_("核销人")),
    ]
    rows = (
        [
            number,
            f"{claim.code[:5]}-*****",
            claim.person.name,
            claim.person.phone_masked,
            jobs.get(claim.person.job_type, ""),
            claim.person.employer.name if claim.person.employer_id else "",
            claim.slot + 1,
            claim.value_fen,
            claim.claimed_at,
            str(claim.claimed_by) if claim.claimed_by_id else _("本人"),
            _("已核销") if claim.redeemed_at else _("未使用"),
            claim.redeemed_at,
            claim.redeemed_place,
            str(claim.redeemed_by) if claim.redeemed_by_id else "",
        ]
        for number, claim in enumerate(claims.iterator(chunk_size=2000), start=1)
    )
    return Export(
        what=title,
        actor=actor,
        zone=campaign.zone_id,
        sheets=[Sheet(title, columns, rows)],
        notes=_notes(campaign, title),
        scope={"campaign": campaign.pk},
    )


def ledger_export(*, actor: User | None, campaign: Campaign, entries) -> Export:
    """资金台账: every ledger entry of the campaign, and the balance after it per account."""
    title = str(_("资金台账"))
    columns = [
        Column(_("记账时间"), DATETIME),
        Column(_("凭证号"), width=30),
        Column(_("分录"), INT),
        Column(_("科目"), width=30),
        Column(_("金额（元）"), MONEY_FEN),
        Column(_("科目余额（元）"), MONEY_FEN),
        Column(_("摘要"), width=30),
        Column(_("业务类型")),
        Column(_("业务编号")),
        Column(_("冲正凭证")),
        Column(_("经办人")),
    ]

    def rows():
        running: dict[str, int] = {}
        for entry in entries.iterator(chunk_size=2000):
            running[entry.account] = running.get(entry.account, 0) + entry.amount_fen
            yield [
                entry.created_at,
                entry.idempotency_key,
                entry.leg + 1,
                entry.account,
                entry.amount_fen,
                running[entry.account],
                entry.memo,
                entry.reference_type,
                entry.reference_id,
                entry.reverses_key,
                str(entry.actor) if entry.actor_id else _("系统"),
            ]

    return Export(
        what=title,
        actor=actor,
        zone=campaign.zone_id,
        sheets=[Sheet(title, columns, rows())],
        notes=_notes(campaign, title),
        scope={"campaign": campaign.pk},
    )
