"""Nearest stations by PostGIS: a KNN scan of a GiST index, where the database has one.

Station.geog is a `geography(Point, 4326)` column that PostgreSQL itself computes
from lat/lng (GENERATED ALWAYS … STORED), so every path that writes a station —
the services, the demo loader, the Excel import, bulk loads, the rebuild
commands — keeps it in step without knowing it exists; the Django model does
not declare it. Migration 0006 adds it and its GiST index where PostGIS is
available (nearest.stations_nearest then uses `knn_read`); on SQLite and on a
PostgreSQL without PostGIS the grid of nearest.py answers, and a warning says
so once per database.

Exactness. `geog <-> point` on geography is the great-circle distance on a
sphere of radius 6371008.7714 m (PostGIS's WGS84_RADIUS, the mean radius),
coords.haversine_m the one on a sphere of 6371008.8 m: the same order, the
distances apart by a factor of 1 + 4.5e-9 plus rounding. The statement returns
rows in `<->` order; every row it has not returned is at least as far by `<->`
as the last one it did, so by haversine at least `last * (1 - RELATIVE) - ABSOLUTE_M`
(a margin hundreds of times wider than the gap; test_postgis holds the two
distances to it). Rows read are judged (open now) and re-ranked by haversine
and id, as the grid and the brute force rank them; the k-th is final when it
is strictly nearer than that bound, otherwise the statement is run again with
a limit four times larger. So the k-th place can never differ from the
haversine brute force, ties included.

On Citus stations stay distributed by zone, co-located with their closures and
check-ins: the statement goes to every shard with its ORDER BY … LIMIT (each
shard runs its own KNN scan) and the coordinator merges the shards' few rows.
Zones are a reference table, so the join with them stays on the shards too;
nothing is repartitioned.
"""

import logging

from django.db import DatabaseError, transaction

from gaoxin.core.models import Zone
from gaoxin.stations import coords
from gaoxin.stations.models import Station

log = logging.getLogger(__name__)

COLUMN = "geog"
INDEX = "station_geog_knn"
#: How far apart haversine_m and `<->` may be, as a bound (see the module's docstring).
RELATIVE = 1e-7
ABSOLUTE_M = 1e-3
POINT = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography"

_ready: dict[tuple[str, str], bool] = {}


def _key(connection) -> tuple[str, str]:
    return connection.alias, str(connection.settings_dict.get("NAME"))


def has_column(connection) -> bool:
    """Whether the station table has the PostGIS column (migration 0006 made it)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute(
            "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = %s "
            "AND NOT attisdropped",
            [Station._meta.db_table, COLUMN],
        )
        return cur.fetchone() is not None


def ready(connection) -> bool:
    """Whether the nearest search may use KNN here; asked of the catalogue once per
    database. On PostgreSQL without the column, logs once that the grid answers."""
    key = _key(connection)
    if key not in _ready:
        _ready[key] = has_column(connection)
        if connection.vendor == "postgresql" and not _ready[key]:
            log.warning(
                "PostGIS is not enabled in database %s: nearest stations are found with the "
                "grid (slower). Install PostGIS (Debian: postgresql-15-postgis-3) and run "
                "`gaoxin migrate stations 0005 && gaoxin migrate stations`.",
                key[1],
            )
    return _ready[key]


def forget(connection) -> None:
    """Ask the catalogue again next time (after enabling or dropping the column)."""
    _ready.pop(_key(connection), None)


def enable(connection) -> bool:
    """Create PostGIS if it is available and allowed, then the column and its index.
    Does nothing on SQLite; on PostgreSQL without PostGIS (or without the right to
    create it) returns False and changes nothing. Idempotent."""
    if connection.vendor != "postgresql":
        return False
    table = Station._meta.db_table
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
        if cur.fetchone() is None:
            cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
            if cur.fetchone() is None:
                return False
            try:
                with transaction.atomic(using=connection.alias):  # a savepoint in a migration
                    cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except DatabaseError:
                return False  # not allowed: left to an administrator, the grid answers
        cur.execute(
            f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS {COLUMN} geography(Point, 4326) '
            "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography) STORED"
        )
        cur.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING gist ({COLUMN})')
    forget(connection)
    return True


def disable(connection) -> None:
    """Drop the column and its index (PostGIS itself stays: other tables may use it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f'ALTER TABLE "{Station._meta.db_table}" DROP COLUMN IF EXISTS {COLUMN}')
        forget(connection)


_columns_seen: dict = {}


def _columns(model, alias: str, connection):
    """(field attnames, SQL columns, converters) to build `model` instances from raw rows,
    with the converters the ORM would apply (JSON text → Python, …); worked out once."""
    key = (model, alias, connection.alias, connection.vendor)
    if key not in _columns_seen:
        _columns_seen[key] = _columns_of(model, alias, connection)
    return _columns_seen[key]


def _columns_of(model, alias: str, connection):
    fields = model._meta.concrete_fields
    names = [f.attname for f in fields]
    sql = ", ".join(f'{alias}."{f.column}"' for f in fields)
    converters = []
    for i, f in enumerate(fields):
        col = f.get_col(alias)
        found = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
        if found:
            converters.append((i, col, found))
    return names, sql, converters


def _build(model, names, converters, values, connection):
    values = list(values)
    for i, col, found in converters:
        for convert in found:
            values[i] = convert(values[i], col, connection)
    return model.from_db(connection.alias, names, values)


def knn_read(
    connection,
    *,
    lat: float,
    lng: float,
    k: int,
    max_m: float,
    shut_cols: str,
    shut_params: list,
    where: str,
    where_params: list,
    keep,
) -> list[tuple[float, Station, object, object]]:
    """The k nearest stations passing `where` (SQL on alias s) and `keep(station,
    shut_today, shut_yesterday)` (Python), within max_m by haversine, as
    (distance, station with its zone, shut_today, shut_yesterday) ranked by
    (distance, id). One statement in the common case (see the module's docstring)."""
    s_names, s_sql, s_conv = _columns(Station, "s", connection)
    z_names, z_sql, z_conv = _columns(Zone, "z", connection)
    ns, nz = len(s_names), len(z_names)
    zone_field = Station._meta.get_field("zone")
    sql = (
        f"SELECT {s_sql}, {z_sql}, {shut_cols}, s.{COLUMN} <-> {POINT} "
        f'FROM "{Station._meta.db_table}" s JOIN "{Zone._meta.db_table}" z ON z.id = s.zone_id '
        f"WHERE {where} AND s.{COLUMN} && _ST_Expand({POINT}, %s) "
        f"ORDER BY s.{COLUMN} <-> {POINT} LIMIT %s"
    )
    # The box around the point that ST_DWithin's index condition is: the scan of the index
    # stops past max_km (with a margin that dwarfs the spheres' gap) whatever the filters.
    # Not ST_DWithin itself: its estimate (a few rows) makes the planner read every station
    # within the radius and sort them instead of walking the index nearest first.
    head = shut_params + [lng, lat]
    tail = where_params + [lng, lat, max_m * 1.001 + 1.0, lng, lat]
    at_id, at_lat, at_lng = (s_names.index(n) for n in ("id", "lat", "lng"))
    limit = k + 8
    with connection.cursor() as cur:
        while True:
            cur.execute(sql, head + tail + [limit])
            rows = cur.fetchall()
            # Ranked by haversine and id first; only rows that may be among the k are
            # built into stations and judged, in that order, until k are kept.
            ranked = sorted(
                (coords.haversine_m(lat, lng, r[at_lat], r[at_lng]), r[at_id], r) for r in rows
            )
            kept = []
            for d, _id, row in ranked:
                if d > max_m or len(kept) == k:
                    break
                station = _build(Station, s_names, s_conv, row[:ns], connection)
                zone_field.set_cached_value(
                    station, _build(Zone, z_names, z_conv, row[ns : ns + nz], connection)
                )
                shut_today, shut_yesterday = row[ns + nz], row[ns + nz + 1]
                if keep(station, shut_today, shut_yesterday):
                    kept.append((d, station, shut_today, shut_yesterday))
            if len(rows) < limit:
                break  # every station within reach was read
            bound = rows[-1][-1] * (1 - RELATIVE) - ABSOLUTE_M  # no unread row is nearer
            if (len(kept) == k and kept[-1][0] < bound) or bound > max_m:
                break
            limit *= 4
    return kept
