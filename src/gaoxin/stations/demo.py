"""Demo: 肇庆高新区's 7 暖新驿站 ("2+3+N": 2 hub, 3 partner, 2 caring merchants) and
a year of service records — worker scans and keepers' walk-in counts — entered
through the same services real check-ins use. The total lands in the 6000s,
as on the seed page ("7 个驿站点累计向新业态职工提供服务 6000 多人次")."""

import datetime as dt
import random

from django.utils import timezone

from gaoxin.stations import services
from gaoxin.stations.models import Station

# name, kind, address, GCJ-02 position as a map app gives it, hours, amenities
STATIONS = [
    (
        "暖新驿站·高新区总工会服务中心",
        "hub",
        "肇庆高新区迎宾大道 18 号总工会服务中心一楼",
        (23.3352, 112.6985),
        "24h",
        [
            "warmth",
            "cooling",
            "water",
            "rest",
            "medicine",
            "reading",
            "charging",
            "microwave",
            "toilet",
            "legal",
            "wifi",
        ],
    ),
    (
        "暖新驿站·新业态党群服务站",
        "hub",
        "肇庆高新区亚铝大街 9 号新业态行业党支部",
        (23.3296, 112.7043),
        "07:00-22:00",
        ["warmth", "cooling", "water", "rest", "medicine", "reading", "charging", "wifi", "toilet"],
    ),
    (
        "暖新驿站·中旺通物流站",
        "partner",
        "肇庆高新区工业大道 32 号中旺通物流园",
        (23.3421, 112.6902),
        "07:30-21:30",
        ["cooling", "water", "rest", "medicine", "charging", "microwave"],
    ),
    (
        "暖新驿站·大旺邮政支局",
        "partner",
        "肇庆高新区北江大道 66 号",
        (23.3187, 112.6871),
        "08:00-20:00",
        ["warmth", "cooling", "water", "rest", "charging", "toilet"],
    ),
    (
        "暖新驿站·凤岗社区",
        "partner",
        "肇庆高新区凤岗路 3 号社区党群服务中心",
        (23.3508, 112.7118),
        "08:00-21:00",
        ["warmth", "cooling", "water", "rest", "medicine", "reading"],
    ),
    (
        "爱心商家·旺家便利店",
        "merchant",
        "肇庆高新区建设三路 21 号",
        (23.3263, 112.6937),
        "00:00-24:00",
        ["water", "rest", "charging", "microwave"],
    ),
    (
        "爱心商家·康和大药房",
        "merchant",
        "肇庆高新区文明路 12 号",
        (23.3379, 112.7062),
        "08:00-22:00",
        ["water", "rest", "medicine"],
    ),
]


def load(ctx) -> None:
    zone = ctx.zones["zhaoqing"]
    officer = ctx.users["zhaoqing.officer"]
    keeper = ctx.users["zhaoqing.keeper"]
    rng = random.Random(202310)
    stations = []
    for i, (name, kind, address, (glat, glng), hours, amenities) in enumerate(STATIONS):
        data = {
            "name": name,
            "kind": kind,
            "address": address,
            "lat": glat,
            "lng": glng,
            "crs": "gcj02",
            "amenities": amenities,
            "capacity": 8 if kind == "merchant" else 20,
            "phone": f"0758-36{i:02d}{rng.randint(1000, 9999)}",
        }
        if hours == "24h" or hours == "00:00-24:00":
            data["is_24h"] = True
        else:
            data["hours"] = hours
        if i == 0:
            data["keeper"] = keeper.pk
        stations.append(services.station_create(actor=officer, zone=zone, data=data))
    workers = [p for p in zone.people if p.role == "worker" and p.job_type]
    now = timezone.now()
    start = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) - dt.timedelta(days=360)
    weights = [5, 4, 3, 2, 2, 2, 1]  # hubs are busiest
    # worker scans spread over the year, within opening hours
    for _ in range(1200):
        person = rng.choice(workers)
        station = rng.choices(stations, weights=weights)[0]
        at = start + dt.timedelta(
            days=rng.randint(0, 359), hours=rng.randint(9, 19), minutes=rng.randint(0, 59)
        )
        if at >= now:
            continue
        picks = rng.sample(station.amenities, k=min(len(station.amenities), rng.randint(1, 3)))
        try:
            services.checkin_record(station=station, person=person, services=picks, at=at)
        except services.DuplicateCheckin:
            continue
    # keepers' weekly counts of walk-ins who did not scan
    for week in range(52):
        day = (start + dt.timedelta(days=week * 7 + 3)).date()
        if day >= ctx.today:  # a weekly batch is entered once its day is over
            break
        for station, w in zip(stations, weights, strict=True):
            visits = max(1, round(110 * w / sum(weights) * rng.uniform(0.8, 1.2)))
            picks = rng.sample(station.amenities, k=min(2, len(station.amenities)))
            services.walkin_record(
                actor=None,
                station=station,
                day=day,
                visits=visits,
                services=picks,
                note="站长按周补登",
            )
    from gaoxin.stations.selectors import zone_visits_total

    ctx.stations = Station.objects.filter(zone=zone)
    ctx.say(
        f"  肇庆高新区：{len(stations)} 个暖新驿站，累计服务 {zone_visits_total(zone=zone)} 人次"
    )
