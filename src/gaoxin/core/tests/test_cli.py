"""The `gaoxin` command line, run the way an operator runs it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaoxin.core.models import AuditEntry, User, Zone
from gaoxin.demo import demo_loaded
from gaoxin.registry.models import Department, Enterprise, Person
from gaoxin.registry.tests.factories import enterprise, person

REPO = Path(__file__).resolve().parents[4]
GAOXIN = Path(sys.executable).with_name("gaoxin")


def _rows(model):
    return sorted(map(repr, model.objects.order_by("pk").values()))


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip_restores_every_row(tmp_path, zone_a, make_user):
    make_user("officer", zone_a)
    enterprise(zone_a, name="肇庆市中旺通物流代理有限公司")
    keep = person(zone_a, name="冯立松")
    before = {m: _rows(m) for m in (Zone, User, Enterprise, Person, Department, AuditEntry)}
    backup = tmp_path / "gaoxin.backup"
    call_command("backup", str(backup))
    assert backup.stat().st_size > 0

    # the world moves on after the backup …
    Person.objects.filter(pk=keep.pk).delete()
    enterprise(zone_a, name="备份之后的企业")
    assert {m: _rows(m) for m in before} != before

    call_command("restore", str(backup), yes=True)
    assert {m: _rows(m) for m in before} == before
    # ciphertext came back intact and the audit chain still verifies
    from gaoxin.core.audit import audit_verify
    from gaoxin.registry.domain import person_plain

    assert person_plain(Person.objects.get(pk=keep.pk))["id_number"]
    assert audit_verify()[1] == []
    # and the database keeps working: new ids don't collide with restored ones
    enterprise(zone_a, name="恢复之后的企业")


@pytest.mark.django_db(transaction=True)
def test_restore_of_a_bad_file_changes_nothing(tmp_path, zone_a):
    enterprise(zone_a)
    before = _rows(Enterprise)
    bad = tmp_path / "not-a-backup.gz"
    bad.write_bytes(b"hello")
    with pytest.raises(CommandError, match="不是有效的 gaoxin 备份文件"):
        call_command("restore", str(bad), yes=True)
    import gzip

    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(b'[{"model": "core.nosuch", "pk": 1, "fields": {}}]'))
    with pytest.raises(CommandError, match="恢复失败，数据未改动"):
        call_command("restore", str(broken), yes=True)
    assert _rows(Enterprise) == before


def test_restore_asks_before_replacing_everything(tmp_path, db):
    f = tmp_path / "x.gz"
    f.write_bytes(b"")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(f))


@pytest.mark.django_db(transaction=True)
def test_demo_loads_five_zones_once(capsys):
    call_command("demo")
    assert demo_loaded()
    assert sorted(Zone.objects.values_list("name", flat=True)) == sorted(
        ["肇庆高新区", "厦门火炬高新区", "济南高新区", "咸宁高新区", "安康高新区"]
    )
    assert User.objects.filter(username="zhaoqing.officer", zone__code="zhaoqing").exists()
    assert User.objects.get(username="admin").check_password("gaoxin-demo")
    count = Person.objects.count()
    call_command("demo")
    assert "已存在" in capsys.readouterr().out
    assert Person.objects.count() == count


def test_demo_refused_under_production_settings(settings, db):
    settings.GAOXIN_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="生产配置"):
        call_command("demo")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env(tmp_path: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["GAOXIN_DATA_DIR"] = str(tmp_path)
    return env


@pytest.mark.slow
def test_gaoxin_up_prepares_serves_and_the_audit_cli_checks_it(tmp_path):
    """One demo load for three paths users take: `gaoxin up --no-serve` (migrate and
    demo), `gaoxin up` serving it with gunicorn, `gaoxin audit verify` on the result."""
    env = _clean_env(tmp_path)
    prepared = subprocess.run(
        [str(GAOXIN), "up", "--no-serve"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    assert "zhaoqing.officer" in prepared.stdout and "gaoxin-demo" in prepared.stdout
    port = _free_port()
    proc = subprocess.Popen(
        [str(GAOXIN), "up", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.time() + 120  # migrate finds nothing to do, the demo is there
        body = None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/admin/login/", timeout=2
                ) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body is not None, "server did not come up"
        assert "高新" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0]
    assert "gunicorn" in out.lower() or "Booting worker" in out
    assert (tmp_path / "gaoxin.sqlite3").exists()
    import sqlite3

    con = sqlite3.connect(tmp_path / "gaoxin.sqlite3")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # WAL persists in the file
    con.close()
    _audit_verify_names_tampering(tmp_path, env)


def test_production_settings_pass_check_deploy(tmp_path):
    env = _clean_env(tmp_path)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        GAOXIN_SECRET_KEY="x" * 20 + "-production-secret-key-0123456789abcdefghij",
        GAOXIN_FIELD_KEY="f" * 40,
        GAOXIN_ALLOWED_HOSTS="gaoxin.example.gov.cn",
    )
    result = subprocess.run(
        [str(GAOXIN), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_keys(tmp_path):
    env = _clean_env(tmp_path)
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production")
    env.pop("GAOXIN_SECRET_KEY", None)
    result = subprocess.run(
        [str(GAOXIN), "check"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "GAOXIN_SECRET_KEY" in result.stderr


def _audit_verify_names_tampering(tmp_path, env):
    """`gaoxin audit verify` on a demo database: whole, then a hand-edited entry and a
    hand-edited ledger amount are each named, with a failing exit status."""
    ok = subprocess.run(
        [str(GAOXIN), "audit", "verify"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0 and "审计链完好" in ok.stdout
    import sqlite3

    con = sqlite3.connect(tmp_path / "gaoxin.sqlite3")
    con.execute("UPDATE core_auditentry SET note = 'x' WHERE seq = 3 AND zone_id = 1")
    con.commit()
    con.close()
    bad = subprocess.run(
        [str(GAOXIN), "audit", "verify"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert bad.returncode != 0
    assert "第 3 条" in bad.stderr
    # the ledger is checked too: a hand-edited amount is named (exit status 1)
    con = sqlite3.connect(tmp_path / "gaoxin.sqlite3")
    entry_id = con.execute("SELECT min(id) FROM ledger_ledgerentry").fetchone()[0]
    con.execute(
        "UPDATE ledger_ledgerentry SET amount_fen = amount_fen + 100 WHERE id = ?", (entry_id,)
    )
    con.commit()
    con.close()
    bad = subprocess.run(
        [str(GAOXIN), "audit", "verify"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert f"分录编号 {entry_id}（" in bad.stderr and "内容与封签不符" in bad.stderr
