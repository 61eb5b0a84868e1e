"""What the party program puts on home pages (see gaoxin.core.home).

Party officers: pipeline steps due soon or overdue for the candidates they are
responsible for (a talk within a month, a year of training or probation ending).
Instructors: assigned firms not visited for `GAOXIN_PARTY_VISIT_DAYS` days.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.enums import Role
from gaoxin.core.home import Shortcut, Tile, Todo, Urgency
from gaoxin.party import selectors

INSTRUCTOR = frozenset({Role.INSTRUCTOR})


def todos(user, zone) -> list[Todo]:
    if user.zone_id is None:
        return []
    today = timezone.localdate()
    result = []
    if user.has_perm("party.view_candidate"):
        due = selectors.due_items(user=user, zone_id=user.zone_id, today=today, mine=True)
        result += [
            Todo(
                text=_("项入党发展事项已逾期"),
                count=sum(1 for d in due if d.overdue),
                url=reverse("party:office"),
                urgency=Urgency.URGENT,
            ),
            Todo(
                text=_("项入党发展事项即将到期"),
                count=sum(1 for d in due if not d.overdue),
                url=reverse("party:office"),
                urgency=Urgency.SOON,
            ),
        ]
    if user.has_perm("party.add_instructorvisit") and user.has_role(Role.INSTRUCTOR):
        stale = selectors.stale_firms(zone_id=user.zone_id, today=today, instructor_id=user.pk)
        result.append(
            Todo(
                text=_("家挂点企业超过期限未走访"),
                count=len(stale),
                url=reverse("party:m-visit"),
                urgency=Urgency.SOON,
            )
        )
    return result


def tiles(user, zone) -> list[Tile]:
    if user.has_role(Role.INSTRUCTOR):
        return [
            Tile(title=_("记录走访"), url=reverse("party:m-visit"), roles=INSTRUCTOR, icon="📝")
        ]
    return []


def shortcuts(user) -> list[Shortcut]:
    links = []
    if user.has_perm("party.view_candidate"):
        links.append(Shortcut(_("入党发展看板"), reverse("party:office")))
    if user.has_perm("party.view_partyorg"):
        links.append(Shortcut(_("党组织"), reverse("party:office-orgs")))
        links.append(Shortcut(_("发展党员规则"), reverse("party:office-rules")))
    if user.has_perm("party.view_instructorvisit"):
        links.append(Shortcut(_("党建指导员走访"), reverse("party:office-instructors")))
    return links
