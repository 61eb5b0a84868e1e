"""Phone pages: open campaigns a worker can claim, my vouchers with their QR,
and the redemption page a merchant or 驿站 keeper uses at the till.

Claims are plain POST-redirect-GET forms with a per-render request id, so a
double tap or a resubmitted form returns the same voucher instead of a second.
"""

import uuid

import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.forms import errors_to_form
from gaoxin.core.models import Zone
from gaoxin.core.numbers import yuan
from gaoxin.core.tenancy import request_zone
from gaoxin.core.views_home import PhoneLoginView
from gaoxin.welfare import selectors, services
from gaoxin.welfare.domain import local_minute
from gaoxin.welfare.forms import RedeemForm
from gaoxin.welfare.views.common import error_text, phone_login_required

MY_VOUCHERS_SHOWN = 100
PLACE_SESSION_KEY = "welfare_redeem_place"


def _tabs(request, tab: str) -> dict:
    return {"tab": tab, "can_redeem": request.user.has_perm("welfare.redeem_claim")}


@phone_login_required
def campaign_list(request):
    offers = selectors.offers_for_worker(user=request.user)
    for offer in offers:
        offer.request_id = uuid.uuid4().hex
        offer.value = yuan(offer.campaign.unit_value_fen)
    context = {
        "offers": offers,
        "is_worker": request.user.person_id is not None,
        **_tabs(request, "list"),
    }
    return render(request, "welfare/phone/campaigns.html", context)


@require_POST
@phone_login_required
def claim(request, campaign_id: int):
    campaign = selectors.campaign_in_zone(user=request.user, campaign_id=campaign_id)
    try:
        voucher = services.campaign_claim_for(
            campaign=campaign, actor=request.user, request_id=request.POST.get("request_id", "")
        )
    except (Conflict, Forbidden, InvalidInput) as exc:  # sold out, not for you, …: say why
        messages.error(request, error_text(exc))
        return redirect("welfare:m-campaigns")
    messages.success(
        request, _("领取成功！券码 %(code)s，已放入“我的券”") % {"code": voucher.display_code}
    )
    return redirect(f"{reverse('welfare:m-vouchers')}#v{voucher.pk}")


def _qr_svg(request, code: str) -> str:
    """The QR a merchant scans: the redemption page with the code filled in."""
    url = request.build_absolute_uri(f"{reverse('welfare:redeem')}?code={code}")
    return segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


@phone_login_required
def voucher_list(request):
    vouchers = list(selectors.vouchers_for_user(user=request.user)[:MY_VOUCHERS_SHOWN])
    for voucher in vouchers:
        voucher.value = yuan(voucher.value_fen)
        voucher.qr = (
            "" if voucher.redeemed_at or voucher.expired else _qr_svg(request, voucher.display_code)
        )
        voucher.redeemed_text = (
            _("已于 %(time)s 在 %(place)s 核销")
            % {"time": local_minute(voucher.redeemed_at), "place": voucher.redeemed_place}
            if voucher.redeemed_at
            else ""
        )
    context = {"vouchers": vouchers, **_tabs(request, "vouchers")}
    return render(request, "welfare/phone/vouchers.html", context)


def _redeem_zone(request) -> Zone | None:
    """The zone the till redeems in, as core.tenancy decides it: a keeper's or
    merchant's own zone; a zone not theirs is "not found". A cross-zone account that
    has not picked one (None) sees the zones to pick from; redeeming so is refused."""
    named = request.POST.get("zone") or request.GET.get("zone")
    if not named and request.user.zone_id is None:
        return None
    return request_zone(request, named)


@phone_login_required
def redeem(request):
    """Type or scan a code, see what it is, redeem it once."""
    user = request.user
    zones = selectors.redeem_zones(user=user)  # without the permission to redeem: 403
    zone = _redeem_zone(request)
    default_place = request.session.get(PLACE_SESSION_KEY) or selectors.redeem_place_default(
        user=user, zone=zone
    )
    initial = {"code": request.GET.get("code", ""), "place": default_place}
    form = RedeemForm(request.POST or None, initial=initial)
    context = {"form": form, "zone": zone, "zones": zones, **_tabs(request, "redeem")}
    status = 200
    if request.method == "POST" and form.is_valid():
        place = form.cleaned_data["place"] or default_place
        try:
            context["redeemed"] = services.voucher_redeem(
                zone=zone or request_zone(request),  # no zone picked: request_zone's 422
                code=form.cleaned_data["code"],
                actor=user,
                place=place,
            )
        except InvalidInput as exc:
            errors_to_form(form, exc)
            status = 422
        except (Conflict, Forbidden, NotFound) as exc:  # the till's answers, with their status
            context.update(error=exc.message, error_code=exc.code)
            status = exc.status
        else:
            context["redeemed_value"] = yuan(context["redeemed"].value_fen)
            request.session[PLACE_SESSION_KEY] = place
            context["form"] = RedeemForm(initial={"place": place})
    elif request.method == "GET" and initial["code"]:
        preview = selectors.voucher_for_user(user=user, code=initial["code"])
        preview.value = yuan(preview.value_fen)
        if preview.redeemed_at:
            preview.redeemed_text = _("该券已于 %(time)s 在 %(place)s 核销") % {
                "time": local_minute(preview.redeemed_at),
                "place": preview.redeemed_place,
            }
        context["preview"] = preview
    return render(request, "welfare/phone/redeem.html", context, status=status)


class WelfareLoginView(PhoneLoginView):
    """The shared phone login; a merchant (can redeem, is no worker) lands on redemption."""

    def get_default_redirect_url(self):
        user = self.request.user
        if user.has_perm("welfare.redeem_claim") and not user.person_id:
            return reverse("welfare:redeem")
        return reverse("welfare:m-campaigns")
