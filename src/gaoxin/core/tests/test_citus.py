"""The Citus catalogue check and distribution, on a small schema made for the test:
each table below is either distributable or wrong in exactly one named way."""

import io
import os

import pytest
from django.db import connection

from gaoxin.core import citus

PROBE = [
    "CREATE TABLE zones (id bigint PRIMARY KEY, name text)",
    "CREATE TABLE good_parent (zone_id bigint NOT NULL REFERENCES zones (id), id bigint NOT NULL,"
    " name text, PRIMARY KEY (zone_id, id), UNIQUE (zone_id, name))",
    "CREATE TABLE good_child (zone_id bigint NOT NULL REFERENCES zones (id), id bigint NOT NULL,"
    " parent_id bigint, PRIMARY KEY (zone_id, id),"
    " FOREIGN KEY (zone_id, parent_id) REFERENCES good_parent (zone_id, id))",
    "CREATE TABLE bad_pk (zone_id bigint NOT NULL, id bigint PRIMARY KEY)",
    "CREATE TABLE bad_unique (zone_id bigint NOT NULL, id bigint NOT NULL, code text UNIQUE,"
    " PRIMARY KEY (zone_id, id))",
    "CREATE TABLE bad_fk (zone_id bigint NOT NULL, id bigint NOT NULL,"
    " pk_id bigint REFERENCES bad_pk (id), PRIMARY KEY (zone_id, id))",
    "CREATE TABLE nullable (zone_id bigint, id bigint NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE global_user (id bigint PRIMARY KEY, zone_id bigint, person_id bigint,"
    " FOREIGN KEY (zone_id, person_id) REFERENCES good_parent (zone_id, id))",
]
GLOBAL = {"zones", "global_user"}
GOOD = ["zones", "good_parent", "good_child"]


def _make_probe(conn, schema: str, statements=PROBE) -> None:
    with conn.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(f"SET LOCAL search_path TO {schema}")
        for statement in statements:
            cursor.execute(statement)


def _is_tenant(table: str) -> bool:
    return table not in GLOBAL


@pytest.mark.django_db
def test_the_check_names_each_thing_that_would_not_distribute():
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue")
    _make_probe(connection, "gx_citus_probe")
    problems = citus.catalog_problems(connection, is_tenant=_is_tenant, schema="gx_citus_probe")
    assert sorted((p.table, p.what) for p in problems) == [
        ("bad_fk", "foreign_key"),
        ("bad_pk", "primary_key"),
        ("bad_unique", "unique"),
        ("global_user", "global_to_tenant"),
        ("nullable", "primary_key"),
        ("nullable", "zone_nullable"),
    ]
    said = "\n".join(map(str, problems))
    assert "bad_unique: 唯一约束 bad_unique_code_key (code) 不含 zone_id" in said
    assert "bad_fk: 外键 bad_fk_pk_id_fkey (pk_id) → bad_pk(id) 不按 zone_id 对应" in said


@pytest.mark.django_db
def test_a_clean_schema_has_no_problems_and_distribute_refuses_a_dirty_one():
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue")
    _make_probe(connection, "gx_citus_clean", PROBE[:3])
    assert citus.catalog_problems(connection, is_tenant=_is_tenant, schema="gx_citus_clean") == []
    _make_probe(connection, "gx_citus_dirty")
    with pytest.raises(ValueError, match="bad_pk: 主键"):
        citus.distribute(connection, is_tenant=_is_tenant, schema="gx_citus_dirty")


def test_foreign_key_targets_are_distributed_first():
    keys = [
        citus._ForeignKey("a", "child", ("zone_id", "p"), "parent", ("zone_id", "id")),
        citus._ForeignKey("b", "parent", ("zone_id",), "zones", ("id",)),
        citus._ForeignKey("c", "child", ("zone_id",), "zones", ("id",)),
        citus._ForeignKey("d", "parent", ("zone_id", "up"), "parent", ("zone_id", "id")),
    ]
    assert citus._in_dependency_order(["child", "parent", "zones"], keys) == [
        "zones",
        "parent",
        "child",
    ]


CITUS_URL = os.environ.get("GAOXIN_CITUS_URL", "")


@pytest.mark.skipif(not CITUS_URL, reason="GAOXIN_CITUS_URL names no Citus coordinator")
def test_distribute_on_a_real_cluster_moves_the_rows_into_colocated_shards():
    """Against the coordinator of `../shared/citus/cluster.sh` (.ci/run starts it)."""
    import psycopg

    with psycopg.connect(CITUS_URL.replace("postgres://", "postgresql://")) as conn:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS gx_citus_real CASCADE")
        with conn.transaction():
            _make_probe(conn, "gx_citus_real", PROBE[:3])
        with conn.cursor() as cursor:
            for table, rows in [
                ("zones", "(1, 'a'), (2, 'b')"),
                ("good_parent", "(1, 10, 'x'), (2, 20, 'y')"),
                ("good_child", "(1, 100, 10), (2, 200, 20)"),
            ]:
                cursor.execute(f"INSERT INTO gx_citus_real.{table} VALUES {rows}")
        try:
            steps = citus.distribute(conn, is_tenant=_is_tenant, schema="gx_citus_real")
            assert steps == [
                ("zones", "reference"),
                ("good_parent", "distributed"),
                ("good_child", "distributed"),
            ]
            with conn.cursor() as cursor:
                cursor.execute(
                    "SELECT table_name::text, citus_table_type, distribution_column, colocation_id"
                    " FROM citus_tables WHERE table_name::text LIKE 'gx_citus_real.%'"
                    " ORDER BY 1"
                )
                rows = cursor.fetchall()
                assert [(r[0], r[1], r[2]) for r in rows] == [
                    ("gx_citus_real.good_child", "distributed", "zone_id"),
                    ("gx_citus_real.good_parent", "distributed", "zone_id"),
                    ("gx_citus_real.zones", "reference", "<none>"),
                ]
                assert rows[0][3] == rows[1][3]  # co-located: one zone's rows on one node
                # The rows moved into the shards and a one-zone join routes to one shard.
                cursor.execute(
                    "SELECT p.name FROM gx_citus_real.good_child c JOIN gx_citus_real.good_parent p"
                    " ON p.zone_id = c.zone_id AND p.id = c.parent_id WHERE c.zone_id = 2"
                )
                assert cursor.fetchall() == [("y",)]
            again = citus.distribute(conn, is_tenant=_is_tenant, schema="gx_citus_real")
            assert again == []  # a second run leaves what is done
        finally:
            with conn.cursor() as cursor:
                cursor.execute("DROP SCHEMA IF EXISTS gx_citus_real CASCADE")


@pytest.mark.django_db
def test_the_migrated_schema_distributes_by_zone():
    """The tenancy walk of the real catalogue: every tenant table's primary key and unique
    indexes hold zone_id, references between tenant tables match on it, no zone is NULL,
    nothing global points into a tenant table — what `gaoxin citus check` says."""
    from django.core.management import CommandError, call_command

    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="按园区分布需要 PostgreSQL 数据库"):
            call_command("citus", "check")
        return
    tenant = citus.tenant_tables()
    assert {"core_auditentry", "registry_person", "stations_checkin", "welfare_claim"} <= tenant
    assert not {"core_zone", "core_user", "django_session"} & tenant
    assert citus.catalog_problems(connection, is_tenant=tenant.__contains__) == []
    out = io.StringIO()
    call_command("citus", "check", stdout=out)
    assert f"表结构可以按园区分布：{len(tenant)} 张分区表" in out.getvalue()
    if not citus.is_citus(connection):
        with pytest.raises(CommandError, match="没有安装 Citus 扩展"):
            call_command("citus", "distribute")
    else:  # the Citus lane: conftest distributed everything; a second run has nothing to do
        assert set(citus.distributed_tables(connection)) >= tenant
        out = io.StringIO()
        call_command("citus", "distribute", stdout=out)
        assert "已分布 0 张分区表、0 张全局表" in out.getvalue()
