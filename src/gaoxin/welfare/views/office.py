"""Back-office workflow pages for officers: campaigns with their money,
create, approve / open / close, claims and redemptions, Excel 台账 and a
claims-over-time chart.

They sit in the admin's frame (admin/base_site.html) but write only through
the services, like the API.
"""

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.charts import bar_chart, time_points
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput
from gaoxin.core.excel import xlsx_response
from gaoxin.core.forms import errors_to_form
from gaoxin.core.numbers import yuan
from gaoxin.core.tenancy import request_zone
from gaoxin.ledger.selectors import ledger_entries_for_user
from gaoxin.welfare import exports, selectors, services
from gaoxin.welfare.domain import eligibility_text
from gaoxin.welfare.enums import TRANSITIONS, VERB_LABELS, CampaignStatus
from gaoxin.welfare.forms import FIELD_NAMES, CampaignForm
from gaoxin.welfare.views.common import error_text, office_create_required, office_login_required

TABLE_ROWS = 50


def _render(request, template: str, context: dict, status: int = 200):
    return render(request, template, {**admin.site.each_context(request), **context}, status=status)


@office_login_required
def campaign_list(request):
    user = request.user
    status = request.GET.get("status", "")
    if status not in CampaignStatus.values:
        status = ""
    campaigns = list(selectors.campaigns_for_user(user=user, status=status))
    for campaign in campaigns:
        campaign.figures = selectors.money_of(campaign).as_dict()
        campaign.unit_yuan = yuan(campaign.unit_value_fen)
    totals = selectors.welfare_zone_totals(zone=user.zone) if user.zone_id else None
    context = {
        "title": _("关爱福利活动"),
        "campaigns": campaigns,
        "status": status,
        "statuses": CampaignStatus.choices,
        "totals": totals,
        "totals_figures": totals.as_dict() if totals else {},
        "can_add": user.has_perm("welfare.add_campaign") and (user.zone_id or user.is_superuser),
    }
    return _render(request, "welfare/office/list.html", context)


@office_create_required
def campaign_create(request):
    user = request.user
    form = CampaignForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            zone = request_zone(request, form.cleaned_data.get("zone"))
            campaign = services.campaign_create(actor=user, zone=zone, data=form.service_data())
        except InvalidInput as exc:
            errors_to_form(form, exc, aliases=FIELD_NAMES)
        else:
            messages.success(
                request, _("已创建草稿“%(t)s”，请另一位工作人员审批") % {"t": campaign.title}
            )
            return redirect("welfare:office-detail", campaign_id=campaign.pk)
    status = 422 if form.is_bound and form.errors else 200
    return _render(
        request,
        "welfare/office/create.html",
        {"title": _("新建福利活动"), "form": form},
        status=status,
    )


def _chart(campaign):
    series, hourly = selectors.claims_over_time(campaign=campaign)
    labels, values = time_points(series, hourly=hourly)
    return bar_chart(
        labels,
        values,
        title=_("领取数量随时间变化"),
        unit=_("份"),
        empty_text=_("还没有人领取。"),
        html_id="claims-chart",
    )


@office_login_required
def campaign_detail(request, campaign_id: int):
    user = request.user
    campaign = selectors.campaign_get(user=user, campaign_id=campaign_id, money=True)
    money = selectors.money_of(campaign)
    can_view_claims = user.has_perm("welfare.view_claim")
    claims = redemptions = None
    if can_view_claims:
        claims = Paginator(
            selectors.claims_for_campaign(user=user, campaign=campaign), TABLE_ROWS
        ).get_page(request.GET.get("page"))
        redemptions = list(
            selectors.claims_for_campaign(user=user, campaign=campaign, redeemed=True)[:TABLE_ROWS]
        )
    actions = [
        (verb, VERB_LABELS[verb])
        for (source, target), (verb, perm) in TRANSITIONS.items()
        if source == campaign.status and user.has_perm(perm)
    ]
    context = {
        "title": campaign.title,
        "campaign": campaign,
        "money": money,
        "figures": {k: yuan(v) for k, v in money.as_dict().items() if k.endswith("_fen")},
        "unit_yuan": yuan(campaign.unit_value_fen),
        "eligibility": eligibility_text(campaign),
        "actions": actions,
        "claims": claims,
        "redemptions": redemptions,
        "chart": _chart(campaign) if can_view_claims else None,
        "can_view_ledger": user.has_perm("ledger.view_ledgerentry"),
    }
    return _render(request, "welfare/office/detail.html", context)


@require_POST
@office_login_required
def campaign_transition(request, campaign_id: int, verb: str):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    try:
        moved = services.campaign_act(campaign=campaign, verb=verb, actor=request.user)
    except (Conflict, Forbidden) as exc:  # not now, not by you: say why on the campaign's page
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("活动已%(verb)s，当前状态：%(s)s")
            % {"verb": VERB_LABELS[verb], "s": moved.get_status_display()},
        )
    return redirect("welfare:office-detail", campaign_id=campaign_id)


def _filename(campaign, what: str) -> str:
    return f"{campaign.title}-{what}-{timezone.localdate():%Y%m%d}.xlsx"


@office_login_required
def export_claims(request, campaign_id: int):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    claims = selectors.claims_for_campaign(user=request.user, campaign=campaign)
    export = exports.claims_export(actor=request.user, campaign=campaign, claims=claims)
    return xlsx_response(export, filename=_filename(campaign, _("领取台账")))


@office_login_required
def export_redemptions(request, campaign_id: int):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    claims = selectors.claims_for_campaign(user=request.user, campaign=campaign)
    export = exports.claims_export(
        actor=request.user, campaign=campaign, claims=claims, redeemed=True
    )
    return xlsx_response(export, filename=_filename(campaign, _("核销台账")))


@office_login_required
def export_ledger(request, campaign_id: int):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    entries = ledger_entries_for_user(
        user=request.user, zone_id=campaign.zone_id, account_prefix=campaign.account("")
    )
    export = exports.ledger_export(actor=request.user, campaign=campaign, entries=entries)
    return xlsx_response(export, filename=_filename(campaign, _("资金台账")))
