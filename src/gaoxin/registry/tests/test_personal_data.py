"""Identifiers are ciphertext at rest, masked on every surface, revealed only with an audit row."""

from django.db import connection

from gaoxin.core import crypto
from gaoxin.core.models import AuditEntry
from gaoxin.core.tests.factories import valid_id_number
from gaoxin.registry.models import Person
from gaoxin.registry.tests.factories import person


def test_raw_row_holds_no_plaintext_identifier(zone_a):
    number = valid_id_number(4242, region="441284", birth="19880808")
    p = person(zone_a, name="冯立松", id_number=number, phone="13812345678")
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM registry_person WHERE id = %s", [p.pk])
        row = " ".join(str(v) for v in cur.fetchone())
    assert number not in row
    assert "13812345678" not in row
    assert number[6:14] not in row.replace(
        str(p.birth_date), ""
    )  # birth date only as a date column
    assert "4412**********" in row and "138****5678" in row


def test_masks():
    assert crypto.mask_id_number("441284198808081234") == "4412**********1234"
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("") == ""


def test_blind_index_finds_and_enforces_uniqueness(zone_a, zone_b):
    number = valid_id_number(77)
    p = person(zone_a, id_number=number)
    assert Person.objects.get(id_number_hash=crypto.blind_index("id", number)) == p
    # the same person may be registered in another zone, not twice in one
    person(zone_b, id_number=number)
    from gaoxin.core.errors import InvalidInput

    try:
        person(zone_a, id_number=number)
    except InvalidInput as exc:
        assert exc.fields == {"id_number": "本园区已登记该身份证号"}
    else:
        raise AssertionError("duplicate ID accepted")


def test_ciphertext_decrypts_with_key_and_not_without(zone_a, settings):
    number = valid_id_number(78)
    p = person(zone_a, id_number=number)
    assert crypto.decrypt(p.id_number_cipher) == number
    settings.FIELD_KEY = "another-key"
    try:
        crypto.decrypt(p.id_number_cipher)
    except ValueError:
        pass
    else:
        raise AssertionError("decrypted with the wrong key")


def test_key_rotation_reads_old_ciphertext(zone_a, settings):
    number = valid_id_number(79)
    p = person(zone_a, id_number=number)
    settings.FIELD_KEY = f"new-key,{settings.FIELD_KEY}"
    assert crypto.decrypt(p.id_number_cipher) == number


def test_audit_rows_never_contain_plaintext(zone_a, make_user):
    from gaoxin.registry import services as registry_services

    number = valid_id_number(80)
    p = person(zone_a, id_number=number, phone="13900001111")
    officer = make_user("officer", zone_a)
    registry_services.person_update(actor=officer, person=p, data={"phone": "13900002222"})
    assert (
        registry_services.person_reveal(
            actor=officer, person=p, field="id_number", reason="核实帮扶申请"
        )
        == number
    )
    dump = " ".join(
        str((e.before, e.after, e.note, e.object_repr)) for e in AuditEntry.objects.all()
    )
    for secret in (number, "13900001111", "13900002222"):
        assert secret not in dump
    reveal = AuditEntry.objects.get(action="reveal")
    assert reveal.actor == officer and reveal.note == "核实帮扶申请"
    assert reveal.after == {"field": "id_number"}


def test_rekey_moves_ciphertext_and_blind_index_to_the_new_key(zone_a, settings):
    from django.core.management import call_command

    number = valid_id_number(81)
    p = person(zone_a, id_number=number, phone="13900003333")
    old_cipher = p.id_number_cipher
    settings.FIELD_KEY = f"brand-new-key,{settings.FIELD_KEY}"
    call_command("rekey")
    p.refresh_from_db()
    assert p.id_number_cipher != old_cipher
    settings.FIELD_KEY = "brand-new-key"  # the old key can now be retired
    assert crypto.decrypt(p.id_number_cipher) == number
    assert Person.objects.get(id_number_hash=crypto.blind_index("id", number)) == p
