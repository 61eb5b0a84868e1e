"""What the welfare program puts on home pages (see gaoxin.core.home).

Officers and finance: campaigns waiting for approval or for opening, and what
the zone has handed out. Workers: what they can claim and the vouchers they
hold. Keepers and merchants: the redeem page.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gaoxin.core.enums import Role
from gaoxin.core.home import Shortcut, Tile, Todo, Urgency, shown_to
from gaoxin.core.numbers import cn_approx
from gaoxin.welfare import selectors
from gaoxin.welfare.enums import CampaignStatus

OFFICE = frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.FINANCE, Role.NATIONAL_VIEWER})
WORKER = frozenset({Role.WORKER})


def _list_url(status: str) -> str:
    return reverse("welfare:office-list") + f"?status={status}"


def todos(user, zone) -> list[Todo]:
    can_approve = user.has_perm("welfare.approve_campaign")
    can_open = user.has_perm("welfare.change_campaign")
    if not (can_approve or can_open):
        return []
    counts = (
        selectors.campaigns_for_user(user=user, zone_id=zone.pk if zone else None)
        .order_by()
        .aggregate(
            draft=Count("id", filter=Q(status=CampaignStatus.DRAFT)),
            approved=Count("id", filter=Q(status=CampaignStatus.APPROVED)),
        )
    )
    result = []
    if can_approve:
        result.append(
            Todo(
                text=_("个福利活动待审批"),
                count=counts["draft"],
                url=_list_url(CampaignStatus.DRAFT),
                urgency=Urgency.URGENT,
            )
        )
    if can_open:
        result.append(
            Todo(
                text=_("个福利活动已审批，待开放领取"),
                count=counts["approved"],
                url=_list_url(CampaignStatus.APPROVED),
                urgency=Urgency.SOON,
            )
        )
    return result


def tiles(user, zone) -> list[Tile]:
    result = []
    if (
        shown_to(user, OFFICE)
        and user.has_perm("welfare.view_campaign")
        and (zone is not None or user.spans_zones)
    ):
        if zone is not None:
            totals = selectors.welfare_zone_totals(zone=zone)
            note = _("%(claims)s，%(campaigns)d 个活动") % {
                "claims": totals.claims_text,
                "campaigns": totals.campaigns,
            }
        else:  # every zone: only for those who may see them all
            by_zone = selectors.welfare_totals_by_zone().values()
            totals = selectors.WelfareTotals(
                issued_fen=sum(t.issued_fen for t in by_zone),
                claims=sum(t.claims for t in by_zone),
            )
            note = totals.claims_text
        result.append(
            Tile(
                title=_("累计发放福利"),
                figure=totals.issued_text,
                note=note,
                url=reverse("welfare:office-list"),
                roles=OFFICE,
                icon="🎁",
            )
        )
    if user.has_perm("welfare.redeem_claim") and user.has_role(Role.STATION_KEEPER):
        result.append(
            Tile(
                title=_("核销福利券"),
                url=reverse("welfare:redeem"),
                roles=frozenset({Role.STATION_KEEPER}),
                icon="🎫",
            )
        )
    if user.person_id and user.has_role(Role.WORKER):
        offers = selectors.offers_for_worker(user=user)
        claimable = sum(1 for offer in offers if offer.can_claim)
        result.append(
            Tile(
                title=_("领取福利券"),
                url=reverse("welfare:m-campaigns"),
                figure=_("%(n)d 项可领") % {"n": claimable} if claimable else "",
                roles=WORKER,
                icon="🎁",
            )
        )
        unused = selectors.vouchers_for_user(user=user).filter(redeemed_at__isnull=True).count()
        result.append(
            Tile(
                title=_("我的券"),
                url=reverse("welfare:m-vouchers"),
                figure=_("%(n)s 张未使用") % {"n": cn_approx(unused)},
                roles=WORKER,
                icon="🎫",
                mine=True,
            )
        )
    return result


def shortcuts(user) -> list[Shortcut]:
    links = []
    if user.has_perm("welfare.view_campaign"):
        links.append(Shortcut(_("福利活动"), reverse("welfare:office-list")))
    if user.has_perm("welfare.add_campaign"):
        links.append(Shortcut(_("新建福利活动"), reverse("welfare:office-create")))
    if user.has_perm("welfare.redeem_claim"):
        links.append(Shortcut(_("核销福利券"), reverse("welfare:redeem")))
    return links
