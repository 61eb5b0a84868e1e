"""Keys between the records of one zone, shaped so the zone can be a shard.

Citus keeps a zone's rows of every tenant table together, which needs every
primary key to be `(zone_id, id)` and every reference between tenant tables
to match on `(zone_id, x_id) → (zone_id, id)`; a join or lookup that also
names the zone is routed to the one node holding it. Django's own keys are
`(id)` and its joins `x_id = parent.id`, so:

- `ZoneForeignKey` is a ForeignKey whose joins (both directions, in queries
  and subqueries) also say `child.zone_id = parent.zone_id`, and whose
  `record.parent` lookup names the zone. It never makes the `x_id → parent(id)`
  constraint (that would need `id` unique alone);
- the `ZoneKeys` migration operation, the last of each program's migrations,
  makes the keys on PostgreSQL: primary keys `(zone_id, id)` and a composite,
  deferred foreign key for each `ZoneForeignKey`. SQLite (one server) keeps
  Django's keys.

In Python nothing changes: `id` is still each record's `pk`, unique because it
comes from one sequence per table.
"""

from django.db import models
from django.db.migrations.operations.base import Operation
from django.db.models.expressions import Col
from django.db.models.lookups import Exact

ZONE = "zone"

#: The platform's own audit chain (accounts, cross-zone exports) lives under this zone id, which
#: no zone has (ids start at 1): a distribution column can never be NULL, and the platform's
#: entries then sit on one shard like any zone's. Hashes still say "no zone" for it.
PLATFORM_ZONE_ID = 0


class ZoneForeignKey(models.ForeignKey):
    """A reference from one tenant record to another of the same zone."""

    def __init__(self, to, on_delete, **kwargs):
        kwargs["db_constraint"] = False  # the composite constraint is ZoneKeys'
        super().__init__(to, on_delete, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("db_constraint", None)
        return name, path, args, kwargs

    def get_extra_restriction(self, alias, related_alias):
        """`ON … AND <this table>.zone_id = <target>.zone_id` — Django calls this with
        the aliases swapped for the reverse join, so both directions carry the zone."""
        return Exact(
            Col(related_alias, self.model._meta.get_field(ZONE)),
            Col(alias, self.related_model._meta.get_field(ZONE)),
        )

    def get_extra_descriptor_filter(self, instance):
        """`record.parent` fetches the parent in the record's own zone."""
        return {f"{ZONE}_id": getattr(instance, f"{ZONE}_id")}


def _is_tenant(model) -> bool:
    return model._meta.label not in _global_models() and any(
        f.name == ZONE and f.is_relation for f in model._meta.concrete_fields
    )


def _primary_key(cursor, table: str) -> tuple[str, list[str]] | None:
    cursor.execute(
        "SELECT c.conname, ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i) "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) "
        "FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.contype = 'p'",
        [table],
    )
    row = cursor.fetchone()
    return (row[0], list(row[1])) if row else None


def ensure_zone_primary_key(cursor, quote, table: str, pk_column: str) -> None:
    found = _primary_key(cursor, table)
    if found and found[1] == ["zone_id", pk_column]:
        return
    if found:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(found[0])}")
    cursor.execute(f"ALTER TABLE {quote(table)} ADD PRIMARY KEY (zone_id, {quote(pk_column)})")


def _constraint_exists(cursor, table: str, name: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s", [table, name]
    )
    return cursor.fetchone() is not None


class ZoneKeys(Operation):
    """On PostgreSQL, give every tenant table of this app the primary key
    `(zone_id, id)` and each ZoneForeignKey its composite constraint. Idempotent
    (it reads the catalogue first), so it can end every program's migrations
    and be run again after a field is added."""

    reduces_to_sql = False
    reversible = True

    def state_forwards(self, app_label, state):
        pass  # the models' state already says everything; this only shapes keys

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        models_ = [m for m in to_state.apps.get_app_config(app_label).get_models() if _is_tenant(m)]
        with connection.cursor() as cursor:
            for model in models_:
                ensure_zone_primary_key(cursor, quote, model._meta.db_table, model._meta.pk.column)
            for model in models_:
                for field in model._meta.concrete_fields:
                    if not isinstance(field, ZoneForeignKey):
                        continue
                    target = field.related_model._meta
                    ensure_zone_primary_key(cursor, quote, target.db_table, target.pk.column)
                    table = model._meta.db_table
                    name = f"{table}_{field.column}_zone_fk"[:63]
                    if _constraint_exists(cursor, table, name):
                        continue
                    cursor.execute(
                        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} "
                        f"FOREIGN KEY (zone_id, {quote(field.column)}) "
                        f"REFERENCES {quote(target.db_table)} (zone_id, {quote(target.pk.column)}) "
                        "DEFERRABLE INITIALLY DEFERRED"
                    )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # the keys go with the tables when their migrations are reversed

    def describe(self):
        return "Zone-shaped primary and foreign keys (PostgreSQL)"


def locked(record):
    """`record` read again and locked until commit. A tenant record is found by its
    zone and id, so on Citus the lock is taken on the zone's shard (a lock by id alone
    would have to visit every shard, which Citus refuses)."""
    model = record._meta.model  # not type(): request.user is a lazy wrapper
    manager = model._default_manager.select_for_update()
    if hasattr(record, f"{ZONE}_id") and model._meta.label not in _global_models():
        return manager.get(**{f"{ZONE}_id": getattr(record, f"{ZONE}_id")}, pk=record.pk)
    return manager.get(pk=record.pk)


def _global_models() -> set[str]:
    from gaoxin.core.citus import GLOBAL_MODELS

    return GLOBAL_MODELS
