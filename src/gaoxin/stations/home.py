"""What the stations program puts on home pages (see gaoxin.core.home).

Officers: paused stations to look into, the stations open and today's
check-ins. Workers: the nearest stations and their own check-ins. A keeper's
home is their station page.
"""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.enums import Role
from gaoxin.core.home import Shortcut, Tile, Todo, Urgency, shown_to
from gaoxin.core.numbers import cn_approx
from gaoxin.core.rules import restrict_to_zone
from gaoxin.stations import selectors
from gaoxin.stations.enums import StationStatus
from gaoxin.stations.models import Checkin, ZoneDayCount

OFFICE = frozenset({Role.ZONE_ADMIN, Role.OFFICER, Role.NATIONAL_VIEWER})


def _stations(user, zone):
    return selectors.stations_for_user(user=user, zone_id=zone.pk if zone else None).order_by()


def todos(user, zone) -> list[Todo]:
    if not user.has_perm("stations.change_station"):
        return []
    paused = _stations(user, zone).filter(status=StationStatus.PAUSED).count()
    url = reverse("stations:office") + f"?status={StationStatus.PAUSED}"
    return [
        Todo(text=_("个驿站暂停服务，请核实恢复时间"), count=paused, url=url, urgency=Urgency.SOON)
    ]


def tiles(user, zone) -> list[Tile]:
    result = []
    if shown_to(user, OFFICE) and user.has_perm("stations.view_station"):
        counts = _stations(user, zone).aggregate(
            open=Count("id", filter=Q(status=StationStatus.OPEN)),
            all=Count("id", filter=~Q(status=StationStatus.CLOSED)),
        )
        result.append(
            Tile(
                title=_("运营中驿站"),
                figure=_("%(n)d 个") % {"n": counts["open"]},
                note=_("共 %(n)d 个驿站（不含已撤站）") % {"n": counts["all"]},
                url=reverse("stations:office"),
                roles=OFFICE,
                icon="🏠",
            )
        )
        if user.has_perm("stations.view_checkin"):
            days = restrict_to_zone(ZoneDayCount.objects.all(), user).filter(
                day=timezone.localdate(), metric="visits", key=""
            )
            if zone is not None:
                days = days.filter(zone_id=zone.pk)
            today = days.aggregate(n=Sum("value"))["n"] or 0
            result.append(
                Tile(
                    title=_("今日签到"),
                    figure=cn_approx(today, _("人次")),
                    url=reverse("stations:office_stats"),
                    roles=OFFICE,
                    icon="✅",
                )
            )
    if user.has_role(Role.WORKER):
        result.append(
            Tile(
                title=_("附近的暖新驿站"),
                url=reverse("stations:nearest"),
                note=_("冷可取暖、热可纳凉、渴可喝水、累可歇脚、伤可用药"),
                roles=frozenset({Role.WORKER}),
                icon="📍",
            )
        )
        if user.person_id:
            visits = Checkin.objects.filter(zone_id=user.zone_id, person_id=user.person_id).count()
            result.append(
                Tile(
                    title=_("我的签到"),
                    figure=_("%(n)d 次") % {"n": visits},
                    url=reverse("stations:visits"),
                    roles=frozenset({Role.WORKER}),
                    icon="🗓",
                    mine=True,
                )
            )
    return result


def shortcuts(user) -> list[Shortcut]:
    if not user.has_perm("stations.view_station"):
        return []
    links = [
        Shortcut(_("驿站列表"), reverse("stations:office")),
        Shortcut(_("服务统计"), reverse("stations:office_stats")),
    ]
    if user.has_perm("stations.add_station"):
        links.append(Shortcut(_("新增驿站"), reverse("stations:office_new")))
    return links


def landing(user) -> str | None:
    """A keeper's home is the station they keep (the keeper page goes straight to it)."""
    if user.has_role(Role.STATION_KEEPER):
        return reverse("stations:keeper")
    return None
