"""Counters that limit how often something may happen (failed logins, anonymous check-ins).

The counts live in the database (`core.Throttle`), because the web server runs
several processes and a per-process cache would let each of them allow the full
limit. Each key counts in a fixed window that starts at its first event; the
event that reaches the limit starts the window again, so once a key is over
its limit it stays refused for one full window.

`hit` is one statement (INSERT … ON CONFLICT DO UPDATE … RETURNING), atomic on
PostgreSQL and SQLite alike, so two processes counting at once never lose an
event and each gets its own count back. Rows older than `RETAIN` are deleted
now and then by `hit` itself; no scheduled job is needed.
"""

import random
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from gaoxin.core import crypto
from gaoxin.core.models import Throttle

RETAIN = timedelta(days=1)  # longer than any window in use; older rows are dead
CLEANUP_CHANCE = 0.01  # share of hits that also delete dead rows


def key(scope: str, value: str) -> str:
    """The counter's key for `value` (a phone number, a username, an address …).

    A keyed hash: a plain hash of a phone number could be reversed by trying all
    numbers, and the table must not become a list of who tried to log in.
    """
    return f"{scope}:{crypto.blind_index(f'throttle-{scope}', value or '-')}"


def _check(window: timedelta) -> None:
    if not timedelta(0) < window <= RETAIN:
        raise ValueError(f"throttle window must be within (0, {RETAIN}]")


def hit(key: str, *, limit: int, window: timedelta) -> bool:
    """Count one event for `key`; True while the key is within `limit` events per
    `window`, False once it is over (the event is counted either way)."""
    _check(window)
    now = timezone.now()
    cutoff = now - window
    adapt = connection.ops.adapt_datetimefield_value
    q = connection.ops.quote_name
    t, k, start, n = q(Throttle._meta.db_table), q("key"), q("window_start"), q("count")
    sql = (
        f"INSERT INTO {t} ({k}, {start}, {n}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({k}) DO UPDATE SET "
        f"{n} = CASE WHEN {t}.{start} <= %s THEN 1 ELSE {t}.{n} + 1 END, "
        f"{start} = CASE WHEN {t}.{start} <= %s THEN excluded.{start} "
        f"WHEN {t}.{n} + 1 = %s THEN excluded.{start} ELSE {t}.{start} END "
        f"RETURNING {n}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, adapt(now), adapt(cutoff), adapt(cutoff), limit])
        (count,) = cursor.fetchall()[0]  # fetchall: SQLite ends the statement only when drained
    if random.random() < CLEANUP_CHANCE:
        cleanup(now=now)
    return count <= limit


def blocked(key: str, *, limit: int, window: timedelta) -> bool:
    """True while `key` has reached `limit` in its current window. Reads only: for
    a check made before an attempt whose failure alone is counted (logins)."""
    _check(window)
    return Throttle.objects.filter(
        key=key, count__gte=limit, window_start__gt=timezone.now() - window
    ).exists()


def any_blocked(limits: dict[str, int], *, window: timedelta) -> bool:
    """`blocked` for several keys with their own limits, in one query."""
    _check(window)
    if not limits:
        return False
    rows = Throttle.objects.filter(
        key__in=list(limits), window_start__gt=timezone.now() - window
    ).values_list("key", "count")
    return any(count >= limits[key] for key, count in rows)


def cleanup(*, now=None) -> int:
    """Delete counters whose window ended long ago; returns how many."""
    cutoff = (now or timezone.now()) - RETAIN
    deleted, _ = Throttle.objects.filter(window_start__lt=cutoff).delete()
    return deleted
