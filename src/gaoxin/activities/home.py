"""What the activities program puts on home pages (see gaoxin.core.home).

Officers: activities waiting for review, people on waiting lists, sessions in
the coming week. Workers: what they can still sign up for and their sign-ups.
"""

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.activities import selectors
from gaoxin.activities.enums import ACTIVE, ActivityStatus, SignUpStatus
from gaoxin.activities.models import Session
from gaoxin.core.enums import Role
from gaoxin.core.home import Shortcut, Tile, Todo, Urgency, shown_to
from gaoxin.core.rules import restrict_to_zone

OFFICE = frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.NATIONAL_VIEWER})
WORKER = frozenset({Role.WORKER})
WEEK = dt.timedelta(days=7)


def _list_url(status: str) -> str:
    return reverse("activities:office-list") + f"?status={status}"


def todos(user, zone) -> list[Todo]:
    result = []
    zone_id = zone.pk if zone else None
    if user.has_perm("activities.publish_activity"):
        pending = (
            selectors.activities_for_user(user=user, zone_id=zone_id, status=ActivityStatus.PENDING)
            .order_by()
            .count()
        )
        result.append(
            Todo(
                text=_("个活动待审核发布"),
                count=pending,
                url=_list_url(ActivityStatus.PENDING),
                urgency=Urgency.URGENT,
            )
        )
    if user.has_perm("activities.view_signup"):
        waiting = selectors.signups_for_user(user=user, status=SignUpStatus.WAITLISTED).filter(
            activity__status=ActivityStatus.PUBLISHED
        )
        if zone_id:
            waiting = waiting.filter(zone_id=zone_id)
        result.append(
            Todo(
                text=_("人在候补名单上，有空位时请递补"),
                count=waiting.order_by().count(),
                url=_list_url(ActivityStatus.PUBLISHED),
            )
        )
    return result


def tiles(user, zone) -> list[Tile]:
    result = []
    if shown_to(user, OFFICE) and user.has_perm("activities.view_activity"):
        now = timezone.now()
        sessions = restrict_to_zone(Session.objects.all(), user).filter(
            activity__status=ActivityStatus.PUBLISHED, starts_at__gte=now, starts_at__lt=now + WEEK
        )
        if zone is not None:
            sessions = sessions.filter(zone_id=zone.pk)
        week = sessions.aggregate(n=Count("id"))
        result.append(
            Tile(
                title=_("未来 7 天的活动场次"),
                figure=_("%(n)d 场") % {"n": week["n"]},
                url=_list_url(ActivityStatus.PUBLISHED),
                roles=OFFICE,
                icon="📅",
            )
        )
    if user.person_id and user.has_role(Role.WORKER):
        open_now = selectors.activities_open_for_person(user=user).order_by().count()
        result.append(
            Tile(
                title=_("报名活动"),
                url=reverse("activities:list"),
                figure=_("%(n)d 个可报名") % {"n": open_now} if open_now else "",
                roles=WORKER,
                icon="🎈",
            )
        )
        mine = selectors.my_signups(user=user).filter(status__in=ACTIVE).order_by().count()
        result.append(
            Tile(
                title=_("我的报名"),
                url=reverse("activities:mine"),
                figure=_("%(n)d 项") % {"n": mine},
                roles=WORKER,
                icon="📝",
                mine=True,
            )
        )
    return result


def shortcuts(user) -> list[Shortcut]:
    links = []
    if user.has_perm("activities.view_activity"):
        links.append(Shortcut(_("活动列表"), reverse("activities:office-list")))
    if user.has_perm("activities.add_activity"):
        links.append(Shortcut(_("新建活动"), reverse("activities:office-create")))
    return links
