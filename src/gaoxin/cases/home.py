"""What the cases program puts on home pages (see gaoxin.core.home).

Officers: overdue demands they own, new requests nobody owns, late steps of their
cases, referrals past due. Department liaisons: referrals to their department, and
the past-due ones first. Workers: ask for help, and their requests.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases.access import referrals_visible
from gaoxin.cases.enums import CaseStatus, DemandStatus, ReferralStatus
from gaoxin.cases.models import CaseStep, Demand
from gaoxin.core.enums import Role
from gaoxin.core.home import Shortcut, Tile, Todo, Urgency

WORKER = frozenset({Role.WORKER})


def todos(user, zone) -> list[Todo]:
    if user.zone_id is None:
        return []
    today = timezone.localdate()
    result = []
    if user.has_perm("cases.change_demand"):
        counts = (
            Demand.objects.filter(zone_id=user.zone_id)
            .exclude(status=DemandStatus.RESOLVED)
            .order_by()
            .aggregate(
                mine_late=Count("id", filter=Q(owner=user, due_on__lt=today)),
                unowned=Count("id", filter=Q(owner__isnull=True)),
            )
        )
        result += [
            Todo(
                text=_("件我负责的诉求已逾期"),
                count=counts["mine_late"],
                url=reverse("cases:office"),
                urgency=Urgency.URGENT,
            ),
            Todo(
                text=_("件诉求待认领"),
                count=counts["unowned"],
                url=reverse("cases:office"),
                urgency=Urgency.SOON,
            ),
        ]
    if user.has_perm("cases.view_hardshipcase"):
        late = CaseStep.objects.filter(
            zone_id=user.zone_id,
            case__officer_links__user_id=user.pk,
            case__status=CaseStatus.OPEN,
            done_on__isnull=True,
            due_on__lt=today,
        ).count()
        result.append(
            Todo(
                text=_("个帮扶个案步骤已逾期"),
                count=late,
                url=reverse("cases:office"),
                urgency=Urgency.URGENT,
            )
        )
    if user.has_perm("cases.view_referral") or user.has_perm("cases.reply_referral"):
        counts = (
            referrals_visible(user)
            .exclude(status=ReferralStatus.CLOSED)
            .order_by()
            .aggregate(
                late=Count("id", filter=Q(due_on__lt=today)),
                waiting=Count("id", filter=Q(status=ReferralStatus.OPEN)),
            )
        )
        url = (
            reverse("cases:liaison")
            if user.has_perm("cases.reply_referral")
            else reverse("cases:office")
        )
        result.append(
            Todo(
                text=_("件转办事项已逾期未办结"),
                count=counts["late"],
                url=url,
                urgency=Urgency.URGENT,
            )
        )
        if user.has_perm("cases.reply_referral"):
            result.append(
                Todo(
                    text=_("件转办事项待回复"),
                    count=counts["waiting"],
                    url=url,
                    urgency=Urgency.SOON,
                )
            )
    return result


def tiles(user, zone) -> list[Tile]:
    if user.person_id and user.has_role(Role.WORKER):
        return [
            Tile(title=_("我要求助"), url=reverse("cases:m-ask"), roles=WORKER, icon="🆘"),
            Tile(
                title=_("我的求助"),
                url=reverse("cases:m-mine"),
                roles=WORKER,
                icon="📋",
                mine=True,
            ),
        ]
    return []


def shortcuts(user) -> list[Shortcut]:
    links = []
    if user.has_perm("cases.view_demand"):
        links.append(Shortcut(_("诉求与帮扶工作台"), reverse("cases:office")))
        links.append(Shortcut(_("诉求"), reverse("cases:office-demands")))
        links.append(Shortcut(_("联席会议"), reverse("cases:office-meetings")))
    if user.has_perm("cases.view_hardshipcase"):
        links.append(Shortcut(_("帮扶个案"), reverse("cases:office-cases")))
    if user.has_perm("cases.reply_referral"):
        links.append(Shortcut(_("转办事项"), reverse("cases:liaison")))
    return links
