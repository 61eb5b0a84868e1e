"""Citus, read from the database's own catalogue: which tables distribute by
zone, what in the schema would stop them, and the distribution itself.

Citus puts each zone's rows of every tenant table on one shard group, so it
can route a request inside one zone to one node. For that it needs, in every
tenant table: a zone that is never NULL, a primary key and every unique index
that include `zone_id`, and foreign keys to other tenant tables that match on
`(zone_id, x_id) → (zone_id, id)`. Tables without a zone (zones, logins,
permissions) become reference tables, copied to every node; a reference table
may never point into a tenant table.

The check reads `pg_catalog` (plain PostgreSQL is enough), so the tenancy test
and `gaoxin citus check` see the schema the migrations really made, not what
the models say.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

ZONE_COLUMN = "zone_id"


@dataclass(frozen=True)
class Problem:
    table: str
    what: str  # "zone_nullable", "primary_key", "unique", "foreign_key", "global_to_tenant"
    detail: str

    def __str__(self) -> str:
        return f"{self.table}: {self.detail}"


@dataclass(frozen=True)
class _ForeignKey:
    name: str
    table: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]


def _tables(cursor, schema: str) -> list[str]:
    """The schema's tables, without those an extension owns (PostGIS's spatial_ref_sys:
    each node's PostGIS reads its own, and fails on a shard if it were distributed)."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM "
        "pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
        "AND d.deptype = 'e') ORDER BY c.relname",
        [schema],
    )
    return [row[0] for row in cursor.fetchall()]


def _zone_nullable(cursor, schema: str) -> dict[str, bool]:
    """Tables with a zone column → whether it may be NULL."""
    cursor.execute(
        "SELECT c.relname, NOT a.attnotnull FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND a.attname = %s "
        "AND NOT a.attisdropped",
        [schema, ZONE_COLUMN],
    )
    return dict(cursor.fetchall())


def _unique_indexes(cursor, schema: str) -> list[tuple[str, str, bool, tuple[str, ...]]]:
    """(table, index, is primary key, its columns) for every unique index."""
    cursor.execute(
        "SELECT t.relname, i.relname, x.indisprimary, "
        "  ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n) "
        "        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
        "        ORDER BY k.n) "
        "FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = %s AND x.indisunique ORDER BY t.relname, i.relname",
        [schema],
    )
    return [(t, i, p, tuple(cols)) for t, i, p, cols in cursor.fetchall()]


def _foreign_keys(cursor, schema: str) -> list[_ForeignKey]:
    cursor.execute(
        "SELECT c.conname, t.relname, f.relname, "
        "  ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n) "
        "        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
        "        ORDER BY k.n), "
        "  ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n) "
        "        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum "
        "        ORDER BY k.n) "
        "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_class f ON f.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = %s AND c.contype = 'f' ORDER BY t.relname, c.conname",
        [schema],
    )
    return [_ForeignKey(n, t, tuple(c), f, tuple(fc)) for n, t, f, c, fc in cursor.fetchall()]


#: Models without a zone of their own: the zones, logins (an administrator spans zones), their
#: tokens, rate-limit counters (a phone number or an address is not any one zone's). Their
#: tables, Django's own and every table not behind a Gaoxin model become reference tables.
GLOBAL_MODELS = {"core.Zone", "core.User", "core.ApiToken", "core.Throttle"}


def tenant_tables() -> set[str]:
    """The tables of Gaoxin's models that belong to one zone: distributed by zone_id."""
    from django.apps import apps

    return {
        model._meta.db_table
        for model in apps.get_models()
        if model.__module__.startswith("gaoxin.") and model._meta.label not in GLOBAL_MODELS
    }


def catalog_problems(
    connection, *, is_tenant: Callable[[str], bool], schema: str = "public"
) -> list[Problem]:
    """Everything in `schema` that would stop its tenant tables (those for which
    `is_tenant(table)` holds) from being distributed by zone, or its other
    tables from being reference tables."""
    with connection.cursor() as cursor:
        tables = _tables(cursor, schema)
        nullable = _zone_nullable(cursor, schema)
        indexes = _unique_indexes(cursor, schema)
        keys = _foreign_keys(cursor, schema)
    tenant = {t for t in tables if is_tenant(t)}
    problems = []
    for table in sorted(tenant):
        if table not in nullable:
            problems.append(Problem(table, "zone_nullable", _("没有 zone_id 列")))
        elif nullable[table]:
            problems.append(Problem(table, "zone_nullable", _("zone_id 可以为空")))
    for table, index, primary, columns in indexes:
        if table in tenant and ZONE_COLUMN not in columns:
            kind = "primary_key" if primary else "unique"
            text = _("主键 %(index)s (%(columns)s) 不含 zone_id") if primary else None
            text = text or _("唯一约束 %(index)s (%(columns)s) 不含 zone_id")
            problems.append(
                Problem(table, kind, text % {"index": index, "columns": ", ".join(columns)})
            )
    for key in keys:
        source_tenant, target_tenant = key.table in tenant, key.target in tenant
        if not source_tenant and target_tenant:
            problems.append(
                Problem(
                    key.table,
                    "global_to_tenant",
                    _("外键 %(name)s 从全局表指向分区表 %(target)s")
                    % {"name": key.name, "target": key.target},
                )
            )
        elif source_tenant and target_tenant and not _matches_on_zone(key):
            problems.append(
                Problem(
                    key.table,
                    "foreign_key",
                    _(
                        "外键 %(name)s (%(columns)s) → %(target)s(%(target_columns)s) 不按 zone_id 对应"
                    )
                    % {
                        "name": key.name,
                        "columns": ", ".join(key.columns),
                        "target": key.target,
                        "target_columns": ", ".join(key.target_columns),
                    },
                )
            )
    return problems


def _matches_on_zone(key: _ForeignKey) -> bool:
    pairs = set(zip(key.columns, key.target_columns, strict=True))
    return (ZONE_COLUMN, ZONE_COLUMN) in pairs


def _in_dependency_order(tables: Iterable[str], keys: list[_ForeignKey]) -> list[str]:
    """Referenced tables before the tables that point at them (Citus needs the
    target of a foreign key distributed first); self-references ignored."""
    todo = sorted(tables)
    needs = {t: {k.target for k in keys if k.table == t and k.target != t} for t in todo}
    done: list[str] = []
    while todo:
        ready = [t for t in todo if needs[t] & set(todo) == set()]
        if not ready:  # a cycle: Citus will say which; keep a stable order
            ready = todo[:1]
        done.extend(ready)
        todo = [t for t in todo if t not in ready]
    return done


def _foreign_key_definitions(cursor, schema: str) -> list[tuple[str, str, str, str]]:
    """(table, constraint, target table, its definition with the target schema-qualified)."""
    cursor.execute(
        "SELECT t.relname, c.conname, f.relname, fn.nspname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_class f ON f.oid = c.confrelid "
        "JOIN pg_namespace fn ON fn.oid = f.relnamespace "
        "WHERE n.nspname = %s AND c.contype = 'f' ORDER BY t.relname, c.conname",
        [schema],
    )
    found = []
    for table, name, target, target_schema, definition in cursor.fetchall():
        head, tail = definition.split(" REFERENCES ", 1)
        tail = tail[tail.index("(") :]
        found.append((table, name, target, f'{head} REFERENCES "{target_schema}"."{target}"{tail}'))
    return found


def is_citus(connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        return cursor.fetchone() is not None


def distributed_tables(connection, schema: str = "public") -> dict[str, str]:
    """Table of `schema` → Citus's kind for it ("distributed", "reference")."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.citus_table_type FROM citus_tables t "
            "JOIN pg_class c ON c.oid = t.table_name "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            [schema],
        )
        return dict(cursor.fetchall())


def distribute(
    connection, *, is_tenant: Callable[[str], bool], schema: str = "public"
) -> list[tuple[str, str]]:
    """Make every table of `schema` a reference table or a table distributed by
    zone, all tenant tables co-located, data included. Refuses (ValueError with
    the problems) while the catalogue check finds any. Tables already done are
    left as they are, so it can be run again after a migration adds tables.
    Returns what it did: (table, "reference" | "distributed")."""
    problems = catalog_problems(connection, is_tenant=is_tenant, schema=schema)
    if problems:
        raise ValueError("\n".join(str(p) for p in problems))
    done = distributed_tables(connection, schema)
    with connection.cursor() as cursor:
        tables = _tables(cursor, schema)
        keys = _foreign_keys(cursor, schema)
        definitions = _foreign_key_definitions(cursor, schema)
    todo = [t for t in _in_dependency_order(tables, keys) if t not in done]
    if not todo:
        return []
    # Citus refuses a foreign key between a table it manages and one it does not yet, in
    # either direction, so the keys go for the move and come back, unchanged, after it.
    moved_keys = [(t, n, d) for t, n, target, d in definitions if t in todo or target in todo]
    steps = []
    anchor = next((t for t in tables if is_tenant(t) and t in done), None)
    with connection.cursor() as cursor:
        for table, name, _definition in moved_keys:
            cursor.execute(f'ALTER TABLE "{schema}"."{table}" DROP CONSTRAINT "{name}"')
        for table in todo:
            qualified = f'"{schema}"."{table}"'
            if is_tenant(table):
                colocate = f'"{schema}"."{anchor}"' if anchor else "default"
                cursor.execute(
                    "SELECT create_distributed_table(%s, %s, colocate_with => %s)",
                    [qualified, ZONE_COLUMN, colocate],
                )
                anchor = anchor or table
                steps.append((table, "distributed"))
            else:
                cursor.execute("SELECT create_reference_table(%s)", [qualified])
                steps.append((table, "reference"))
            # Rows already in the table were copied into its shards; drop the local copy.
            cursor.execute("SELECT truncate_local_data_after_distributing_table(%s)", [qualified])
        for table, name, definition in moved_keys:
            cursor.execute(f'ALTER TABLE "{schema}"."{table}" ADD CONSTRAINT "{name}" {definition}')
    return steps


def join_cluster(connection, workers: list[str]) -> None:
    """Make the database of `connection` (on a Citus coordinator, and already on the
    workers: CREATE DATABASE on the coordinator propagates) a cluster database: the
    extension on every node (and PostGIS where the coordinator's database has it, which
    the stations' geography column needs) and the workers ("host:port") registered.
    Idempotent."""
    import psycopg

    settings = connection.settings_dict
    name, user = settings["NAME"], settings.get("USER") or "postgres"
    with connection.cursor() as cursor:  # PostGIS's types must exist on the shards' nodes too
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('postgis')")
        extensions = [row[0] for row in cursor.fetchall()]
    for worker in workers:
        host, port = worker.rsplit(":", 1)
        with psycopg.connect(host=host, port=port, user=user, dbname=name) as node:
            node.execute("CREATE EXTENSION IF NOT EXISTS citus")
            for extension in extensions:
                node.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS citus")
        cursor.execute(
            "SELECT citus_set_coordinator_host(%s, %s)",
            [settings.get("HOST") or "127.0.0.1", int(settings.get("PORT") or 5432)],
        )
        cursor.execute("SELECT nodename || ':' || nodeport FROM pg_dist_node")
        known = {row[0] for row in cursor.fetchall()}
        for worker in workers:
            if worker not in known:
                host, port = worker.rsplit(":", 1)
                cursor.execute("SELECT citus_add_node(%s, %s)", [host, int(port)])
