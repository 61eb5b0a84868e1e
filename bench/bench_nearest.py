"""Nearest stations at national size: the service layer against brute force and scipy cKDTree.

    .venv/bin/python bench/bench_nearest.py [--stations 186000] [--queries 2000] [--db sqlite|pg|both]

Builds a throw-away database with N stations spread over China the way real
stations are: clustered around ~300 city centres (80 real cities plus generated
towns, Gaussian spread of a few km to tens of km, a dense core and a wider
ring) and ~10% scattered over land areas. Rows are bulk-inserted but respect
the model invariants (cell = grid_cell(lat, lng), amenity_mask from the
amenities, hours in the service layer's format, open_mon … open_sun from the
hours and closures_until from the closures, as the services write them).
Queries: 80% near cities, 20% anywhere in the land areas (including far from
any station).

Measured per query, in the same process and run:
  service             selectors.stations_nearest(lat, lng, k=5)
  service+filters     the same with amenities=["water"], open_now=True
  brute force         selectors.stations_nearest_bruteforce (every station; on a subset)
  cKDTree             scipy.spatial.cKDTree over unit-sphere xyz (build time separate)
  PostGIS bare        (PostgreSQL and Citus with PostGIS) the bare KNN statement
                      `SELECT id, geog <-> point … ORDER BY geog <-> point LIMIT k` on
                      the GiST index, through a Django cursor: the floor the service is
                      measured against (service / PostGIS ratios, target p95 within 2×)
  PostGIS bare+filters  the same with the SQL side of the filters (water bit, open
                      status, the weekday's slot bit), without hours or closures

Checks (printed, never asserted): the service's answers equal brute force on
the subset and cKDTree on every query (same ids, same distances within 1 mm,
within the service's 100 km limit); the filtered variant equals a cKDTree over
the stations that pass the same filter at the same instant.
"""

import argparse
import datetime as dt
import itertools
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    BenchEnv,
    add_db_argument,
    fmt_summary,
    log,
    machine_note,
    mb,
    run_each_backend,
    summary_ms,
)

# (name, lat, lng, population in millions): approximate centres of large cities.
CITIES = [
    ("北京", 39.90, 116.40, 21.9),
    ("上海", 31.23, 121.47, 24.9),
    ("广州", 23.13, 113.26, 18.7),
    ("深圳", 22.54, 114.06, 17.6),
    ("重庆", 29.56, 106.55, 16.0),
    ("成都", 30.66, 104.07, 20.9),
    ("天津", 39.13, 117.20, 13.9),
    ("武汉", 30.59, 114.31, 12.3),
    ("西安", 34.34, 108.94, 12.9),
    ("杭州", 30.27, 120.16, 12.2),
    ("南京", 32.06, 118.80, 9.3),
    ("郑州", 34.75, 113.63, 12.6),
    ("苏州", 31.30, 120.62, 12.7),
    ("沈阳", 41.80, 123.43, 9.1),
    ("哈尔滨", 45.80, 126.53, 10.0),
    ("长沙", 28.23, 112.94, 10.0),
    ("青岛", 36.07, 120.38, 10.0),
    ("济南", 36.65, 117.12, 9.2),
    ("大连", 38.91, 121.60, 7.5),
    ("昆明", 25.04, 102.71, 8.5),
    ("合肥", 31.82, 117.23, 9.4),
    ("福州", 26.07, 119.30, 8.3),
    ("厦门", 24.48, 118.09, 5.2),
    ("南宁", 22.82, 108.32, 8.8),
    ("石家庄", 38.04, 114.51, 11.0),
    ("长春", 43.82, 125.32, 9.0),
    ("太原", 37.87, 112.55, 5.3),
    ("南昌", 28.68, 115.86, 6.4),
    ("贵阳", 26.65, 106.63, 6.0),
    ("乌鲁木齐", 43.83, 87.62, 4.0),
    ("兰州", 36.06, 103.83, 4.4),
    ("呼和浩特", 40.84, 111.75, 3.4),
    ("银川", 38.49, 106.23, 2.9),
    ("西宁", 36.62, 101.78, 2.5),
    ("拉萨", 29.65, 91.14, 0.9),
    ("海口", 20.04, 110.35, 2.9),
    ("宁波", 29.87, 121.54, 9.4),
    ("无锡", 31.49, 120.31, 7.5),
    ("佛山", 23.02, 113.12, 9.5),
    ("东莞", 23.02, 113.75, 10.5),
    ("温州", 28.00, 120.67, 9.6),
    ("泉州", 24.87, 118.68, 8.8),
    ("徐州", 34.26, 117.18, 9.0),
    ("唐山", 39.63, 118.18, 7.7),
    ("烟台", 37.46, 121.45, 7.1),
    ("洛阳", 34.62, 112.45, 7.0),
    ("珠海", 22.27, 113.58, 2.4),
    ("汕头", 23.35, 116.68, 5.5),
    ("惠州", 23.11, 114.42, 6.0),
    ("中山", 22.52, 113.39, 4.4),
    ("南通", 31.98, 120.89, 7.7),
    ("常州", 31.81, 119.97, 5.3),
    ("绍兴", 30.00, 120.58, 5.3),
    ("金华", 29.08, 119.65, 7.0),
    ("台州", 28.66, 121.42, 6.6),
    ("保定", 38.87, 115.46, 11.5),
    ("邯郸", 36.61, 114.49, 9.4),
    ("临沂", 35.10, 118.36, 11.0),
    ("潍坊", 36.71, 119.16, 9.4),
    ("淄博", 36.81, 118.05, 4.7),
    ("济宁", 35.41, 116.59, 8.4),
    ("南阳", 33.00, 112.53, 9.7),
    ("湛江", 21.27, 110.36, 7.0),
    ("柳州", 24.33, 109.41, 4.2),
    ("桂林", 25.27, 110.29, 4.9),
    ("绵阳", 31.47, 104.68, 4.9),
    ("宜昌", 30.69, 111.29, 4.0),
    ("襄阳", 32.01, 112.12, 5.3),
    ("赣州", 25.83, 114.93, 9.0),
    ("包头", 40.66, 109.84, 2.7),
    ("大庆", 46.59, 125.10, 2.8),
    ("吉林", 43.84, 126.55, 3.6),
    ("鞍山", 41.11, 122.99, 3.3),
    ("喀什", 39.47, 75.99, 0.7),
    ("遵义", 27.73, 106.93, 6.6),
    ("曲靖", 25.49, 103.80, 5.8),
    ("榆林", 38.29, 109.73, 3.6),
    ("大同", 40.08, 113.30, 3.1),
    ("三亚", 18.25, 109.51, 1.0),
    ("肇庆", 23.05, 112.47, 4.1),
]
# (lat0, lat1, lng0, lng1, weight): populated land areas, for towns, scattered stations
# and sparse queries. Rough on purpose; every point is inside coords' China box.
LAND = [
    (41.0, 48.0, 122.0, 130.0, 3.0),
    (34.0, 40.5, 113.0, 119.5, 6.0),
    (28.0, 34.0, 113.0, 121.0, 6.0),
    (22.0, 27.5, 106.0, 117.0, 5.0),
    (28.5, 32.5, 103.5, 108.0, 3.0),
    (34.0, 38.0, 104.0, 111.0, 2.0),
    (23.0, 27.5, 100.0, 106.0, 2.0),
    (40.0, 43.0, 108.0, 120.0, 1.0),
    (37.0, 40.5, 97.0, 103.0, 0.5),
    (39.0, 45.0, 78.0, 90.0, 0.7),
    (29.0, 36.0, 88.0, 100.0, 0.5),
]
N_CENTRES = 300
N_ZONES = 30
K = 5
MAX_KM = 100.0
R_EARTH = 6371008.8  # the radius coords.haversine_m uses


_LAND_CUM = list(itertools.accumulate(b[4] for b in LAND))
_LAND_AREA_CUM = list(itertools.accumulate((b[1] - b[0]) * (b[3] - b[2]) for b in LAND))


def _land_point(rng: random.Random, by_area: bool = False) -> tuple[float, float]:
    cum = _LAND_AREA_CUM if by_area else _LAND_CUM
    lat0, lat1, lng0, lng1, _w = rng.choices(LAND, cum_weights=cum)[0]
    return rng.uniform(lat0, lat1), rng.uniform(lng0, lng1)


def _centres(rng: random.Random) -> list[tuple[str, float, float, float, float]]:
    """The real cities plus generated towns up to N_CENTRES: (name, lat, lng, pop, sigma_km)."""
    centres = []
    for name, lat, lng, pop in CITIES:
        centres.append((name, lat, lng, pop, 3.0 + 4.0 * math.sqrt(pop)))
    i = 0
    while len(centres) < N_CENTRES:
        lat, lng = _land_point(rng)
        pop = rng.uniform(0.3, 3.0)
        i += 1
        centres.append((f"城镇{i}", lat, lng, pop, 3.0 + 4.0 * math.sqrt(pop)))
    return centres


def _offset(lat: float, lng: float, north_km: float, east_km: float) -> tuple[float, float]:
    lat2 = lat + north_km / 111.32
    lng2 = lng + east_km / (111.32 * max(math.cos(math.radians(lat)), 0.2))
    return lat2, lng2


def _near_city(rng: random.Random, centre) -> tuple[float, float]:
    _name, lat, lng, _pop, sigma = centre
    s = sigma * (0.4 if rng.random() < 0.5 else 1.0)  # dense core + wider ring
    return _offset(lat, lng, rng.gauss(0, s), rng.gauss(0, s))


def _in_china(lat: float, lng: float) -> bool:
    return 73.66 < lng < 135.05 and 3.86 < lat < 53.55  # = not coords.out_of_china(lat, lng)


def _hours_templates(weekdays: list[str]) -> list[tuple[bool, dict]]:
    """Opening hours as hours.parse_week stores them, weighted by repetition:
    24 hours (30%), daily day shifts, weekday-only, and shifts that pass midnight."""
    out: list[tuple[bool, dict]] = []
    for start in (360, 420, 480, 510, 540):
        for end in (1080, 1140, 1200, 1260, 1320):
            daily = {d: [[start, end]] for d in weekdays}
            out += [(False, daily)] * 12
            out += [(False, {**daily, "sat": [], "sun": []})] * 2
            out.append((False, {d: [[start, 720], [1080, 120]] for d in weekdays}))
    return out + [(True, {})] * (len(out) * 3 // 7)


def generate_stations(n: int, seed: int):
    """Station rows (dicts) and the centres, deterministic for a seed."""
    from gaoxin.stations.enums import WEEKDAYS, Amenity, StationKind, StationStatus, amenity_mask
    from gaoxin.stations.models import grid_cell
    from gaoxin.stations.nearest import open_filter_fields

    rng = random.Random(seed)
    centres = _centres(rng)
    weights = list(itertools.accumulate(c[3] ** 0.9 for c in centres))  # cumulative
    amenity_p = [(a, 0.7 if a == "water" else 0.35) for a in Amenity.values]
    kinds = list(StationKind.values)
    closed, paused, open_ = (
        str(s) for s in (StationStatus.CLOSED, StationStatus.PAUSED, StationStatus.OPEN)
    )
    hours_choices = [
        (is_24h, week, open_filter_fields(is_24h=is_24h, week=week))
        for is_24h, week in _hours_templates(list(WEEKDAYS))
    ]
    centre_ix = range(len(centres))
    random_, gauss = rng.random, rng.gauss
    rows = []
    while len(rows) < n:
        if random_() < 0.10:
            ci = -1
            lat, lng = _land_point(rng)
        else:
            ci = rng.choices(centre_ix, cum_weights=weights)[0]
            _name, clat, clng, _pop, sigma = centres[ci]
            s = sigma * (0.4 if random_() < 0.5 else 1.0)  # dense core + wider ring
            lat, lng = _offset(clat, clng, gauss(0, s), gauss(0, s))
        if not _in_china(lat, lng):
            continue
        lat, lng = round(lat, 7), round(lng, 7)
        is_24h, week, open_fields = rng.choice(hours_choices)
        amenities = [a for a, p in amenity_p if random_() < p]
        roll = random_()
        status = closed if roll < 0.02 else paused if roll < 0.05 else open_
        i = len(rows)
        city = centres[ci][0] if ci >= 0 else "郊外"
        rows.append(
            dict(
                zone_index=(ci if ci >= 0 else rng.randrange(N_ZONES)) % N_ZONES,
                name=f"{city}驿站{i:06d}",
                kind=kinds[i % len(kinds)],
                address=f"{city}某路 {i % 997 + 1} 号",
                lat=lat,
                lng=lng,
                cell=grid_cell(lat, lng),
                is_24h=is_24h,
                hours=week,
                amenities=amenities,
                amenity_mask=amenity_mask(amenities),
                capacity=4 + i % 37,
                status=status,
                **open_fields,
            )
        )
    return rows, centres, weights


def generate_queries(n: int, centres, weights, seed: int) -> list[tuple[str, float, float]]:
    rng = random.Random(seed + 1)
    out = []
    while len(out) < n:
        if rng.random() < 0.8:
            kind = "city"
            lat, lng = _near_city(rng, rng.choices(centres, cum_weights=weights)[0])
        else:
            kind = "sparse"
            lat, lng = _land_point(rng, by_area=True)
        if _in_china(lat, lng):
            out.append((kind, lat, lng))
    return out


def load_stations(rows: list[dict]) -> float:
    from django.db import transaction

    from gaoxin.core.models import Zone
    from gaoxin.stations.models import Station, StationClosure

    t0 = time.perf_counter()
    with transaction.atomic():
        zones = Zone.objects.bulk_create(
            [
                Zone(code=f"bench-{i}", name=f"基准园区{i}", province="-", city="-")
                for i in range(N_ZONES)
            ]
        )
        zone_ids = [z.pk for z in zones]
        if any(z is None for z in zone_ids):
            zone_ids = list(
                Zone.objects.filter(code__startswith="bench-")
                .order_by("id")
                .values_list("id", flat=True)
            )
        objs = []
        for r in rows:
            r = dict(r)
            objs.append(Station(zone_id=zone_ids[r.pop("zone_index")], **r))
        for i in range(0, len(objs), 5000):
            Station.objects.bulk_create(objs[i : i + 5000])
            if i and i % 50000 == 0:
                log(f"  {i:,} stations inserted")
        # ~0.5% of stations have a closure that covers today (exercises open_now)
        today = dt.date.today()
        rng = random.Random(7)
        ids = list(Station.objects.values_list("id", "zone_id"))
        closures = [
            StationClosure(
                zone_id=z,
                station_id=s,
                start_date=today - dt.timedelta(days=1),
                end_date=today + dt.timedelta(days=2),
                reason="bench",
            )
            for s, z in rng.sample(ids, max(1, len(ids) // 200))
        ]
        StationClosure.objects.bulk_create(closures)
        Station.objects.filter(pk__in=[c.station_id for c in closures]).update(
            closures_until=today + dt.timedelta(days=2)
        )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - t0


def _xyz(lat, lng):
    import numpy as np

    la, ln = np.radians(lat), np.radians(lng)
    return np.stack([np.cos(la) * np.cos(ln), np.cos(la) * np.sin(ln), np.sin(la)], axis=-1)


def _chord_to_m(chord):
    import numpy as np

    return 2 * R_EARTH * np.arcsin(np.minimum(1.0, chord / 2))


class KDIndex:
    """cKDTree over unit-sphere xyz of a set of stations; chord order equals great-circle order."""

    def __init__(self, ids, lat, lng):
        import numpy as np
        from scipy.spatial import cKDTree

        self.ids = np.asarray(ids)
        t0 = time.perf_counter()
        self.tree = cKDTree(_xyz(np.asarray(lat), np.asarray(lng)))
        self.build_s = time.perf_counter() - t0

    def query(self, lat: float, lng: float, k: int = K) -> list[tuple[float, int]]:
        import math as m

        la, ln = m.radians(lat), m.radians(lng)
        point = (m.cos(la) * m.cos(ln), m.cos(la) * m.sin(ln), m.sin(la))
        d, i = self.tree.query(point, k=k)
        d = _chord_to_m(d)
        return [
            (float(dd), int(self.ids[ii]))
            for dd, ii in zip(d, i, strict=True)
            if ii < len(self.ids)
        ]


def _same(got: list[tuple[float, int]], want: list[tuple[float, int]]) -> bool:
    """Same ids in the same order, or the same distances (a tie may swap ids)."""
    want = [w for w in want if w[0] <= MAX_KM * 1000]
    if [g[1] for g in got] == [w[1] for w in want]:
        return True
    return len(got) == len(want) and all(
        abs(g[0] - w[0]) < 1e-3 for g, w in zip(got, want, strict=True)
    )


def _timed(fn, queries, label: str, budget_s: float = 0.0, every: int = 200):
    """Time fn per query; stop early once budget_s is spent (then only a prefix is timed)."""
    times, answers = [], []
    start = time.perf_counter()
    for n, (_kind, lat, lng) in enumerate(queries, 1):
        t0 = time.perf_counter()
        res = fn(lat, lng)
        times.append(time.perf_counter() - t0)
        answers.append(res)
        if n % every == 0:
            log(f"  {label}: {n}/{len(queries)}")
        if budget_s and time.perf_counter() - start > budget_s and n < len(queries):
            log(
                f"  {label}: time budget of {budget_s:.0f} s spent after {n} of {len(queries)} "
                "queries; timing that prefix only"
            )
            break
    return times, answers


def _load_candidate(spec: str):
    """A drop-in replacement for stations_nearest, from "path/to/file.py:function"."""
    import importlib.util

    path, _, name = spec.partition(":")
    module_spec = importlib.util.spec_from_file_location("bench_candidate", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, name or "stations_nearest")


def _report(name: str, times: list[float], queries) -> None:
    print(fmt_summary(name, summary_ms(times)))
    for kind in ("city", "sparse"):
        ts = [t for t, q in zip(times, queries, strict=False) if q[0] == kind]
        if ts:
            print(fmt_summary(f"  {kind} queries", summary_ms(ts)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=186_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument(
        "--brute-queries",
        type=int,
        default=100,
        help="brute force reads every station per query: run it on this many (default 100)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds per timed method; a slower method is timed on a prefix of "
        "the queries, and says so (default 120, 0 = no limit)",
    )
    parser.add_argument(
        "--candidate",
        metavar="FILE.py:FUNC",
        help="also time a drop-in replacement for selectors.stations_nearest "
        "(same arguments), with the same checks",
    )
    parser.add_argument(
        "--at",
        default="21:30",
        help="local time (Asia/Shanghai) today for open_now, fixed so runs compare "
        "(default 21:30, when day-shift stations are closing)",
    )
    parser.add_argument("--seed", type=int, default=20240607)
    add_db_argument(parser)
    args = parser.parse_args()
    if run_each_backend(args):
        return

    import numpy as np
    import scipy

    log(
        f"bench_nearest: {args.stations:,} stations, {args.queries} queries, db={args.db}, "
        f"scipy {scipy.__version__}, numpy {np.__version__}; {machine_note()}"
    )
    with BenchEnv("nearest", args.db, keep=args.keep) as env:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from gaoxin.stations import hours, selectors
        from gaoxin.stations.enums import AMENITY_BITS, StationStatus
        from gaoxin.stations.models import Station, StationClosure

        t0 = time.perf_counter()
        rows, centres, weights = generate_stations(args.stations, args.seed)
        queries = generate_queries(args.queries, centres, weights, args.seed)
        log(
            f"generated {len(rows):,} stations around {len(centres)} centres "
            f"and {len(queries)} queries ({sum(q[0] == 'sparse' for q in queries)} sparse) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        load_s = load_stations(rows)
        del rows
        log(
            f"inserted {Station.objects.count():,} stations (bulk_create) in {load_s:.1f} s; "
            f"database {mb(env.db_size())}"
        )

        hh, mm = (int(x) for x in args.at.split(":"))
        at = timezone.localtime().replace(hour=hh, minute=mm, second=0, microsecond=0)

        def via(fn, **kw):
            return lambda la, ln: [
                (n.distance_m, n.station.pk) for n in fn(lat=la, lng=ln, k=K, at=at, **kw)
            ]

        flt = {"amenities": ["water"], "open_now": True}
        methods = {
            "service": via(selectors.stations_nearest),
            "service+filters": via(selectors.stations_nearest, **flt),
        }
        if args.candidate:
            candidate = _load_candidate(args.candidate)
            methods["candidate"] = via(candidate)
            methods["candidate+filters"] = via(candidate, **flt)
        brute = lambda la, ln: selectors.stations_nearest_bruteforce(lat=la, lng=ln, k=K)  # noqa: E731

        # cKDTree baselines: loaded from the database and built, each timed apart
        t0 = time.perf_counter()
        data = list(
            Station.objects.exclude(status=StationStatus.CLOSED)
            .order_by()
            .values_list("id", "lat", "lng", "amenity_mask", "status", "is_24h", "hours")
        )
        kd_load_s = time.perf_counter() - t0
        ids, lat, lng = (np.array([r[i] for r in data]) for i in range(3))
        kd = KDIndex(ids, lat, lng)
        today = timezone.localtime(at).date()
        closures: dict[int, list] = {}
        for sid, start, end in StationClosure.objects.filter(
            start_date__lte=today, end_date__gte=today - dt.timedelta(days=1)
        ).values_list("station_id", "start_date", "end_date"):
            closures.setdefault(sid, []).append((start, end))
        water = AMENITY_BITS["water"]
        keep = [
            i
            for i, r in enumerate(data)
            if r[3] & water
            and r[4] == StationStatus.OPEN
            and hours.is_open_at(is_24h=r[5], week=r[6], closures=closures.get(r[0], []), at=at)
        ]
        kd_f = KDIndex(ids[keep], lat[keep], lng[keep])
        log(
            f"cKDTree: loaded {len(data):,} rows in {kd_load_s * 1000:.0f} ms, built in "
            f"{kd.build_s * 1000:.0f} ms; filtered tree ({len(keep):,} water+open now) "
            f"built in {kd_f.build_s * 1000:.0f} ms"
        )
        del data

        # The bare PostGIS statement, the floor for the service on PostgreSQL (and Citus)
        from gaoxin.stations import nearest, postgis

        if postgis.ready(connection):
            knn = (
                f"SELECT id, geog <-> {postgis.POINT} FROM {Station._meta.db_table} WHERE {{}} "
                f"ORDER BY geog <-> {postgis.POINT} LIMIT {K}"
            )
            weekday, slot = hours.slot_at(at)
            bare_sql = knn.format("status <> %s")
            bare_f_sql = knn.format(
                f"status = %s AND (amenity_mask & %s) = %s AND ({nearest.OPEN_COLUMNS[weekday]} & %s) <> 0"
            )
            bare_f_params = [str(StationStatus.OPEN), water, water, 1 << slot]

            def bare(la, ln, sql=bare_sql, params=(str(StationStatus.CLOSED),)):
                with connection.cursor() as cur:
                    cur.execute(sql, [ln, la, *params, ln, la])
                    return [(d, sid) for sid, d in cur.fetchall()]

            methods["PostGIS bare"] = bare
            methods["PostGIS bare+filters"] = lambda la, ln: bare(la, ln, bare_f_sql, bare_f_params)
        else:
            log("PostGIS is not enabled in this database: no bare PostGIS baseline")

        # SQL statements per call (diagnostic, untimed)
        sample = queries[:: max(1, len(queries) // 100)]
        per_kind: dict[tuple[str, str], list[int]] = {}
        for name in ("service", "service+filters"):
            for kind, la, ln in sample:
                with CaptureQueriesContext(connection) as ctx:
                    methods[name](la, ln)
                per_kind.setdefault((name, kind), []).append(len(ctx.captured_queries))

        times: dict[str, list[float]] = {}
        answers: dict[str, list] = {}
        for name, fn in methods.items():
            _timed(fn, queries[: min(20, len(queries))], f"{name} warm-up")
            log(f"timing {name} …")
            times[name], answers[name] = _timed(fn, queries, name, args.budget)
        times["cKDTree"], answers["cKDTree"] = _timed(kd.query, queries, "cKDTree")
        times["cKDTree filtered"], answers["cKDTree filtered"] = _timed(
            kd_f.query, queries, "cKDTree filtered"
        )
        t0 = time.perf_counter()
        kd.tree.query(
            _xyz(np.array([q[1] for q in queries]), np.array([q[2] for q in queries])), k=K
        )
        kd_batch_s = (time.perf_counter() - t0) / len(queries)
        timed_n = len(times["service"])
        step = max(1, timed_n // max(1, args.brute_queries))
        brute_idx = list(range(0, timed_n, step))[: args.brute_queries]
        log(f"timing brute force on {len(brute_idx)} of the {timed_n} service-timed queries …")
        br_t, br_a = _timed(
            brute, [queries[i] for i in brute_idx], "brute force", args.budget, every=25
        )
        brute_idx = brute_idx[: len(br_t)]

        def mismatches(got: list, want: list) -> int:
            return sum(not _same(g, w) for g, w in zip(got, want, strict=False))

        s = {name: summary_ms(ts) for name, ts in times.items()}
        s_br = summary_ms(br_t)
        s_br_svc = summary_ms([times["service"][i] for i in brute_idx])
        print()
        print(
            f"== nearest stations, {env.db}: {Station.objects.count():,} stations, k={K}, "
            f"{len(queries)} queries, open_now at {args.at} local ({machine_note()}) =="
        )
        for name in methods:
            _report(name, times[name], queries)
            if len(times[name]) < len(queries):
                print(
                    f"  (time budget: timed on the first {len(times[name])} of {len(queries)} queries)"
                )
        print(fmt_summary("brute force (subset)", s_br))
        print(fmt_summary("service on that subset", s_br_svc))
        print(fmt_summary("cKDTree (one query per call)", s["cKDTree"]))
        print(fmt_summary("cKDTree filtered", s["cKDTree filtered"]))
        print(
            f"{'cKDTree batched':<34} {kd_batch_s * 1e6:.2f} µs per query (all queries in one call)"
        )
        print(
            f"cKDTree: DB load {kd_load_s * 1000:.0f} ms + build {kd.build_s * 1000:.0f} ms "
            f"for {len(kd.ids):,} points"
        )
        for (name, kind), counts in per_kind.items():
            print(
                f"SQL statements per {name} call ({kind}): "
                f"mean {sum(counts) / len(counts):.1f}, max {max(counts)}"
            )
        print("ratios:")
        for name in (m for m in methods if not m.startswith("PostGIS")):
            ref = s["cKDTree filtered" if "filters" in name else "cKDTree"]
            print(
                f"  {name + ' / cKDTree':<32} p50 {s[name]['p50'] / ref['p50']:8.1f}x   "
                f"p95 {s[name]['p95'] / ref['p95']:8.1f}x"
            )
        print(
            f"  {'brute / service (subset)':<32} p50 {s_br['p50'] / s_br_svc['p50']:8.1f}x   "
            f"p95 {s_br['p95'] / s_br_svc['p95']:8.1f}x"
        )
        within = []
        if "PostGIS bare" in methods:
            for a, b in (("service", "PostGIS bare"), ("service+filters", "PostGIS bare+filters")):
                within.append(s[a]["p95"] <= 2 * s[b]["p95"])
                print(
                    f"  {a + ' / ' + b:<32} p50 {s[a]['p50'] / s[b]['p50']:8.1f}x   "
                    f"p95 {s[a]['p95'] / s[b]['p95']:8.1f}x"
                )
        if "candidate" in methods:
            for a, b in (("service", "candidate"), ("service+filters", "candidate+filters")):
                print(
                    f"  {a + ' / ' + b:<32} p50 {s[a]['p50'] / s[b]['p50']:8.1f}x   "
                    f"p95 {s[a]['p95'] / s[b]['p95']:8.1f}x"
                )
        print("checks (must be 0):")
        print(
            f"  service vs brute force mismatches: "
            f"{mismatches([answers['service'][i] for i in brute_idx], br_a)} of {len(brute_idx)}"
        )
        for name in (m for m in methods if not m.startswith("PostGIS")):
            ref = answers["cKDTree filtered" if "filters" in name else "cKDTree"]
            print(
                f"  {name + ' vs cKDTree':<32} {mismatches(answers[name], ref)} of {len(answers[name])}"
            )
        short = sum(a[-1][0] > MAX_KM * 1000 for a in answers["cKDTree"] if a)
        print(f"  (queries with fewer than {K} stations within {MAX_KM:.0f} km: {short})")
        ok = s["service"]["p95"] < 10 and s["service+filters"]["p95"] < 10
        print(f"target p95 < 10 ms through the service layer: {'met' if ok else 'NOT met'}")
        if within:
            print(
                "target service p95 within 2x of the bare PostGIS statement (plain and filtered): "
                + ("met" if all(within) else "NOT met")
            )


if __name__ == "__main__":
    main()
