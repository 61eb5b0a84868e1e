"""A backup taken before the registry left core (models then labelled core.person,
core.enterprise, core.department) restores on the current code: rows, links, their
ciphertext, the roles' permissions and the audit chain all come back."""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from gaoxin.activities.models import SignUp
from gaoxin.core.audit import audit_verify
from gaoxin.core.models import AuditEntry, User, Zone
from gaoxin.registry.domain import person_plain
from gaoxin.registry.models import Department, Enterprise, Person
from gaoxin.stations.models import Checkin
from gaoxin.welfare.models import Claim

BACKUP = Path(__file__).parent / "data" / "backup-before-registry.json.gz"
OLD_APP = "core"  # the label the registry's models had when the backup was taken


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_before_the_move_restores(zone_a, client, make_user):
    Person.objects.create(zone=zone_a, name="恢复前的人")  # replaced by the restore
    call_command("restore", str(BACKUP), yes=True)

    assert sorted(Zone.objects.values_list("code", flat=True)) == ["zone-a", "zone-b"]
    assert Enterprise.objects.count() == 3
    assert Department.objects.count() == 2
    assert sorted(Person.objects.values_list("name", flat=True)) == ["冯立松", "张三", "李四"]
    assert not Person.objects.filter(name="恢复前的人").exists()

    # links between the registry and the rest survived the relabelling
    feng = Person.objects.get(name="冯立松")
    assert feng.employer.name == "肇庆市中旺通物流代理有限公司"
    assert Person.objects.get(name="张三").employer.name == "肇庆高新区顺达快递有限公司"
    assert User.objects.get(username="worker-a").person == feng
    assert Checkin.objects.get().person == feng
    assert Claim.objects.get().person == feng
    assert SignUp.objects.get().person.name == "张三"

    # ciphertext is intact (the fixture was encrypted under the test settings' key)
    plain = person_plain(feng)
    assert len(plain["id_number"]) == 18 and plain["phone"].startswith("139")

    # content types were relabelled in place, so the roles' permissions still apply
    assert not ContentType.objects.filter(app_label=OLD_APP, model="person").exists()
    assert ContentType.objects.filter(app_label="registry", model="person").exists()
    officer = User.objects.get(username="officer-a")
    assert officer.has_perm("registry.view_person")
    assert officer.has_perm("registry.reveal_person")

    # the audit chain verifies; its entries keep the labels they were written with
    assert audit_verify()[1] == []
    kinds = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {f"{OLD_APP}.Person", f"{OLD_APP}.Enterprise", f"{OLD_APP}.Department"} <= kinds

    # the back office's audit list finds a person's entries under either label
    client.force_login(make_user(None, None, superuser=True))
    resp = client.get(
        reverse("admin:core_auditentry_changelist"), {"object_type": Person._meta.label}
    )
    shown = {e.object_type for e in resp.context["cl"].result_list}
    assert shown == {f"{OLD_APP}.Person"}
    assert "冯立松" in {e.object_repr for e in resp.context["cl"].result_list}

    # and the restored registry keeps working
    from gaoxin.registry.tests.factories import person

    person(Zone.objects.get(name="甲高新区"), name="恢复之后的人", employer=feng.employer_id)
