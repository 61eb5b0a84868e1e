import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gaoxin.core.audit import audit_verify
from gaoxin.core.models import AuditChain, AuditEntry
from gaoxin.registry import services as registry_services
from gaoxin.registry.tests.factories import enterprise, person


@pytest.fixture
def history(zone_a, zone_b, make_user):
    officer = make_user("officer", zone_a)
    firm = registry_services.enterprise_create(
        actor=officer,
        zone=zone_a,
        data={"name": "肇庆市中旺通物流代理有限公司", "uscc": "91110000600037341L"},
    )
    registry_services.enterprise_update(
        actor=officer, enterprise=firm, data={"industry": "物流快递"}
    )
    p = person(zone_a)
    registry_services.person_delete(actor=officer, person=p)
    enterprise(zone_b)
    return officer, firm


def test_update_records_who_before_and_after(history):
    officer, firm = history
    entry = AuditEntry.objects.get(action="update", object_id=str(firm.pk))
    assert entry.actor == officer and entry.actor_name == officer.username
    assert entry.before["industry"] == "" and entry.after["industry"] == "物流快递"
    assert entry.zone_id == firm.zone_id
    assert entry.object_type == "registry.Enterprise"


def test_delete_keeps_what_was_deleted(history):
    entry = AuditEntry.objects.get(action="delete")
    assert entry.before["name"] and entry.after is None


def test_chains_are_per_zone_and_sequential(history, zone_a):
    seqs = list(
        AuditEntry.objects.filter(zone=zone_a).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditChain.objects.get(zone=zone_a).last_seq == len(seqs)


def test_verify_passes_on_untouched_chain(history, capsys):
    call_command("audit", "verify")
    assert "审计链完好" in capsys.readouterr().out


def _tamper(sql, params):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_verify_names_first_edited_entry(history, zone_a):
    target = AuditEntry.objects.filter(zone=zone_a).order_by("seq")[1]
    _tamper("UPDATE core_auditentry SET actor_name = %s WHERE id = %s", ["mallory", target.pk])
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert "1 条链被篡改" in str(exc.value)
    checked, problems = audit_verify()
    assert [(p.zone_id, p.seq, p.entry_id) for p in problems] == [
        (zone_a.pk, target.seq, target.pk)
    ]
    assert "内容与哈希不符" in problems[0].reason


def test_verify_detects_deleted_middle_and_tail_entries(history, zone_a):
    rows = list(AuditEntry.objects.filter(zone=zone_a).order_by("seq"))
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [rows[1].pk])
    _, problems = audit_verify()
    assert problems[0].seq == rows[2].seq and "缺少序号" in problems[0].reason


def test_verify_detects_deleted_latest_entry(history, zone_a):
    last = AuditEntry.objects.filter(zone=zone_a).order_by("-seq").first()
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [last.pk])
    _, problems = audit_verify()
    assert "链尾" in problems[0].reason


def test_entries_are_append_only_through_the_orm(history):
    entry = AuditEntry.objects.first()
    entry.note = "changed"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(zone_a):
    """Threads auditing at once on one zone: no gaps, no duplicate sequence numbers."""
    import threading

    errors = []

    def work(i):
        try:
            for j in range(5):
                enterprise(zone_a, name=f"并发企业{i}-{j}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(AuditEntry.objects.filter(zone=zone_a).values_list("seq", flat=True))
    assert seqs == list(range(1, 31))
    assert audit_verify()[1] == []


def test_deleting_an_enterprise_audits_the_people_it_employed(zone_a, make_user):
    officer = make_user("officer", zone_a)
    firm = enterprise(zone_a)
    staff = person(zone_a, employer=firm.pk)
    firm_pk = firm.pk
    registry_services.enterprise_delete(actor=officer, enterprise=firm)
    staff.refresh_from_db()
    assert staff.employer_id is None
    entry = AuditEntry.objects.get(
        object_type="registry.Person", object_id=str(staff.pk), action="update"
    )
    assert entry.before == {"employer_id": firm_pk} and entry.after == {"employer_id": None}
