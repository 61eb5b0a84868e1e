"""The back office (Django admin) as staff use it: lists, search, masking,
audited writes through the services, the reveal flow, the read-only audit
trail and the language switch. Zone isolation is in test_admin_isolation.py."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.models import AuditEntry, User
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.core.tests.factories import valid_id_number, valid_mobile, valid_uscc
from gaoxin.registry.models import Department, Enterprise, Person
from gaoxin.registry.tests.factories import department, enterprise, person


def app_of(model: str) -> str:
    """The admin's app label of a model these tests visit."""
    return "registry" if model in ("enterprise", "person", "department") else "core"


pytestmark = pytest.mark.django_db

# Every changelist a role may see must cost the same with 1 row as with 3.
CHANGELIST_MAX_QUERIES = 9
MODELS = ("enterprise", "person", "department", "auditentry", "user", "zone")


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:{app_of(model)}_{model}_{view}", args=args)


def audit_rows(obj, action: str):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label, object_id=str(obj.pk), action=action
    )


def enterprise_post(**values) -> dict:
    data = {
        "name": "肇庆测试物流有限公司",
        "uscc": valid_uscc(),
        "industry": "物流",
        "address": "",
        "contact_name": "",
        "contact_phone": "",
        "_save": "1",
    }
    data.update(values)
    return data


# ------------------------------------------------------------------ changelists


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("role", [*sorted(STAFF_ROLES), "superuser"])
def test_changelists_cost_the_same_for_1_and_3_rows(
    client, zone_a, zone_b, make_user, django_assert_max_num_queries, role, rows
):
    company = enterprise(zone_a)
    for _ in range(rows):
        enterprise(zone_a)
        person(zone_a, employer=company.pk)
        department(zone_a)
        make_user(Role.WORKER, zone_a)
    user = make_user(None, None, superuser=True) if role == "superuser" else make_user(role, zone_a)
    client.force_login(user)
    for model in MODELS:
        # staff bound to a zone may always look at their own zone
        visible = user.has_perm(f"{app_of(model)}.view_{model}") or (
            model == "zone" and user.zone_id
        )
        with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
            resp = client.get(url(model, "changelist"))
        assert resp.status_code == (200 if visible else 403), model
        if visible:
            assert len(resp.context["cl"].result_list) >= 1, model


def test_changelist_columns_are_chinese_and_masked(client, zone_a, make_user):
    number, phone = valid_id_number(), valid_mobile()
    company = enterprise(zone_a, contact_phone="13912345678")
    person(zone_a, name="冯立松", id_number=number, phone=phone, employer=company.pk)
    client.force_login(make_user(Role.OFFICER, zone_a))

    html = client.get(url("person", "changelist")).content.decode()
    for header in ("姓名", "身份证号", "手机号码", "性别", "身份", "职业类型", "所在企业", "园区"):
        assert header in html
    assert number not in html and phone not in html
    assert f"{number[:4]}**********{number[-4:]}" in html
    assert f"{phone[:3]}****{phone[-4:]}" in html

    html = client.get(url("enterprise", "changelist")).content.decode()
    for header in ("企业名称", "统一社会信用代码", "行业", "新业态", "联系人", "联系电话"):
        assert header in html
    assert "13912345678" not in html
    assert "139****5678" in html


# ----------------------------------------------------------------------- search


def test_person_search_by_pinyin_initials_phone_and_id_number(client, zone_a, make_user):
    number, phone = valid_id_number(), valid_mobile()
    person(zone_a, name="冯立松", id_number=number, phone=phone)
    person(zone_a, name="李四")
    client.force_login(make_user(Role.OFFICER, zone_a))

    def names(q):
        resp = client.get(url("person", "changelist"), {"q": q})
        assert resp.status_code == 200
        return sorted(p.name for p in resp.context["cl"].result_list)

    assert names("fls") == ["冯立松"]
    assert names("fengli") == ["冯立松"]
    assert names("立松") == ["冯立松"]
    assert names("lisi") == ["李四"]
    # a whole phone or ID number opens the person: the list's links would repeat it
    for q in (phone, number):
        resp = client.get(url("person", "changelist"), {"q": q})
        assert resp.status_code == 302 and q not in resp["Location"]
        assert resp["Location"] == url("person", "change", Person.objects.get(name="冯立松").pk)


def test_enterprise_search_by_initials_and_uscc(client, zone_a, make_user):
    code = valid_uscc()
    enterprise(zone_a, name="高新物流有限公司", uscc=code)
    enterprise(zone_a, name="肇庆电子有限公司")
    client.force_login(make_user(Role.OFFICER, zone_a))
    for q in ("gxwl", code.lower(), "物流"):
        resp = client.get(url("enterprise", "changelist"), {"q": q})
        assert [e.name for e in resp.context["cl"].result_list] == ["高新物流有限公司"], q


def test_employer_filter_and_autocomplete_offer_only_own_zone(client, zone_a, zone_b, make_user):
    mine = enterprise(zone_a, name="甲区物流有限公司")
    enterprise(zone_b, name="乙区物流有限公司")
    person(zone_a, name="冯立松", employer=mine.pk)
    client.force_login(make_user(Role.OFFICER, zone_a))

    html = client.get(url("person", "changelist")).content.decode()
    assert "甲区物流有限公司" in html and "乙区物流有限公司" not in html
    assert "园区</h3>" not in html  # no zone filter for zone-bound users

    resp = client.get(url("person", "changelist"), {"employer": mine.pk})
    assert [p.name for p in resp.context["cl"].result_list] == ["冯立松"]

    resp = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "registry", "model_name": "person", "field_name": "employer", "term": "物流"},
    )
    assert [r["text"] for r in resp.json()["results"]] == ["甲区物流有限公司"]


def test_cross_zone_viewer_gets_zone_filter_and_reads_only(client, zone_a, zone_b, make_user):
    enterprise(zone_a, name="甲区物流有限公司")
    other = enterprise(zone_b, name="乙区物流有限公司")
    viewer = make_user(Role.NATIONAL_VIEWER, None)
    client.force_login(viewer)

    resp = client.get(url("enterprise", "changelist"))
    html = resp.content.decode()
    assert "甲区物流有限公司" in html and "乙区物流有限公司" in html
    resp = client.get(url("enterprise", "changelist"), {"zone__id__exact": zone_b.pk})
    assert [e.name for e in resp.context["cl"].result_list] == ["乙区物流有限公司"]

    assert client.get(url("enterprise", "add")).status_code == 403
    resp = client.post(url("enterprise", "change", other.pk), enterprise_post(name="改名"))
    assert resp.status_code == 403
    assert client.post(url("enterprise", "delete", other.pk), {"post": "yes"}).status_code == 403
    page = client.get(url("enterprise", "change", other.pk))
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()
    assert Enterprise.objects.get(pk=other.pk).name == "乙区物流有限公司"


# --------------------------------------------------------------------- masking


def test_change_pages_never_contain_plaintext_identifiers(client, zone_a, make_user):
    number, phone = valid_id_number(), valid_mobile()
    someone = person(zone_a, name="冯立松", id_number=number, phone=phone)
    company = enterprise(zone_a, contact_phone="13912345678")
    for role in (Role.OFFICER, Role.INSTRUCTOR):  # editor and read-only viewer
        client.force_login(make_user(role, zone_a))
        html = client.get(url("person", "change", someone.pk)).content.decode()
        assert number not in html and phone not in html
        assert someone.id_number_masked in html and someone.phone_masked in html
        assert "1990" not in html  # the birth date would unmask most of the ID number
        html = client.get(url("enterprise", "change", company.pk)).content.decode()
        assert "13912345678" not in html and "139****5678" in html
    history = client.get(url("person", "history", someone.pk)).content.decode()
    assert number not in history


# ------------------------------------------------------------- audited writes


def test_enterprise_add_change_delete_are_audited_with_before_and_after(client, zone_a, make_user):
    officer = make_user(Role.OFFICER, zone_a)
    client.force_login(officer)
    code = valid_uscc()
    resp = client.post(
        url("enterprise", "add"), enterprise_post(uscc=code, contact_phone="0758-2345678")
    )
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors
    firm = Enterprise.objects.get(uscc=code)
    assert firm.zone == zone_a and firm.contact_phone_masked == "075*****5678"
    created = audit_rows(firm, AuditAction.CREATE).get()
    assert created.actor == officer and created.after["name"] == "肇庆测试物流有限公司"
    assert "2345678" not in str(created.after)

    resp = client.post(
        url("enterprise", "change", firm.pk), enterprise_post(name="肇庆新物流有限公司", uscc=code)
    )
    assert resp.status_code == 302
    firm.refresh_from_db()
    assert firm.name == "肇庆新物流有限公司"
    assert firm.contact_phone_masked == "075*****5678"  # empty input kept the phone
    updated = audit_rows(firm, AuditAction.UPDATE).get()
    assert updated.before["name"] == "肇庆测试物流有限公司"
    assert updated.after["name"] == "肇庆新物流有限公司"

    resp = client.post(url("enterprise", "delete", firm.pk), {"post": "yes"})
    assert resp.status_code == 302
    assert not Enterprise.objects.filter(pk=firm.pk).exists()
    deleted = audit_rows(firm, AuditAction.DELETE).get()
    assert deleted.before["name"] == "肇庆新物流有限公司" and deleted.actor == officer


def test_person_add_change_delete_are_audited_and_warnings_shown(client, zone_a, make_user):
    client.force_login(make_user(Role.OFFICER, zone_a))
    company = enterprise(zone_a)
    number = valid_id_number(region="991204")  # a province code nobody knows: warning only
    data = {
        "name": "冯立松",
        "id_number": number,
        "phone": valid_mobile(),
        "role": "worker",
        "job_type": "courier",
        "employer": company.pk,
        "_save": "1",
    }
    resp = client.post(url("person", "add"), data, follow=True)
    assert resp.status_code == 200
    someone = Person.objects.get(name="冯立松")
    assert someone.employer == company and someone.id_number_masked.startswith("9912")
    warnings = [str(m) for m in get_messages(resp.wsgi_request) if m.level_tag == "warning"]
    assert any("省级行政区划" in w for w in warnings)
    assert audit_rows(someone, AuditAction.CREATE).get().after["employer_id"] == company.pk

    masked_before = someone.id_number_masked
    resp = client.post(
        url("person", "change", someone.pk),
        {**data, "id_number": "", "phone": "", "job_type": "food_delivery"},
    )
    assert resp.status_code == 302
    someone.refresh_from_db()
    assert someone.job_type == "food_delivery" and someone.id_number_masked == masked_before
    updated = audit_rows(someone, AuditAction.UPDATE).get()
    assert (updated.before["job_type"], updated.after["job_type"]) == ("courier", "food_delivery")

    assert client.post(url("person", "delete", someone.pk), {"post": "yes"}).status_code == 302
    assert audit_rows(someone, AuditAction.DELETE).get().before["name"] == "冯立松"


def test_department_add_change_delete_are_audited(client, zone_a, make_user):
    client.force_login(make_user(Role.ZONE_ADMIN, zone_a))
    data = {"name": "高要区人社局", "kind": "hrss", "contact_name": "", "_save": "1"}
    assert client.post(url("department", "add"), data).status_code == 302
    dept = Department.objects.get(name="高要区人社局")
    assert dept.zone == zone_a
    assert audit_rows(dept, AuditAction.CREATE).exists()

    resp = client.post(url("department", "change", dept.pk), {**data, "contact_name": "王五"})
    assert resp.status_code == 302
    updated = audit_rows(dept, AuditAction.UPDATE).get()
    assert (updated.before["contact_name"], updated.after["contact_name"]) == ("", "王五")

    assert client.post(url("department", "delete", dept.pk), {"post": "yes"}).status_code == 302
    assert audit_rows(dept, AuditAction.DELETE).get().before["name"] == "高要区人社局"


def test_bulk_delete_action_goes_through_the_service(client, zone_a, make_user):
    client.force_login(make_user(Role.OFFICER, zone_a))
    firms = [enterprise(zone_a), enterprise(zone_a)]
    resp = client.post(
        url("enterprise", "changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [f.pk for f in firms],
        },
    )
    assert resp.status_code == 302
    assert not Enterprise.objects.filter(pk__in=[f.pk for f in firms]).exists()
    assert all(audit_rows(f, AuditAction.DELETE).exists() for f in firms)


# ---------------------------------------------------------------- validation


def test_invalid_uscc_is_reported_next_to_the_field_and_nothing_is_created(
    client, zone_a, make_user
):
    client.force_login(make_user(Role.OFFICER, zone_a))
    good = valid_uscc()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = AuditEntry.objects.count()
    resp = client.post(url("enterprise", "add"), enterprise_post(uscc=bad))
    assert resp.status_code == 200
    form = resp.context["adminform"].form
    assert form.errors["uscc"] == ["统一社会信用代码校验位错误"]
    html = resp.content.decode()
    row = html.split("field-uscc")[1].split("field-industry")[0]
    assert "统一社会信用代码校验位错误" in row
    assert not Enterprise.objects.exists()
    assert AuditEntry.objects.count() == before


def test_duplicate_uscc_and_bad_phone_are_reported_next_to_their_fields(client, zone_a, make_user):
    code = valid_uscc()
    enterprise(zone_a, uscc=code)
    client.force_login(make_user(Role.OFFICER, zone_a))
    resp = client.post(
        url("enterprise", "add"),
        enterprise_post(uscc=f"{code[:6]} {code[6:]}", contact_phone="12345"),
    )
    errors = resp.context["adminform"].form.errors
    assert errors["uscc"] == ["本园区已登记该统一社会信用代码的企业"]
    assert "联系电话" in errors["contact_phone"][0]
    assert Enterprise.objects.count() == 1


def test_person_id_checksum_and_foreign_employer_are_rejected(client, zone_a, zone_b, make_user):
    client.force_login(make_user(Role.OFFICER, zone_a))
    foreign = enterprise(zone_b)
    number = valid_id_number()
    bad = number[:17] + ("0" if number[17] != "0" else "1")
    resp = client.post(
        url("person", "add"),
        {"name": "冯立松", "id_number": bad, "phone": "", "role": "worker", "employer": foreign.pk},
    )
    errors = resp.context["adminform"].form.errors
    assert errors["id_number"] == ["身份证号校验位错误"]
    assert "employer" in errors  # not a choice: other zones' firms are not offered
    assert not Person.objects.exists()


def test_zone_bound_user_creates_in_own_zone_and_superuser_chooses(
    client, zone_a, zone_b, make_user
):
    client.force_login(make_user(Role.OFFICER, zone_a))
    html = client.get(url("enterprise", "add")).content.decode()
    assert 'name="zone"' not in html
    code = valid_uscc()
    client.post(url("enterprise", "add"), enterprise_post(uscc=code, zone=zone_b.pk))
    assert Enterprise.objects.get(uscc=code).zone == zone_a

    client.force_login(make_user(None, None, superuser=True))
    assert 'name="zone"' in client.get(url("enterprise", "add")).content.decode()
    code = valid_uscc()
    assert (
        client.post(
            url("enterprise", "add"), enterprise_post(uscc=code, zone=zone_b.pk)
        ).status_code
        == 302
    )  # noqa: E501
    assert Enterprise.objects.get(uscc=code).zone == zone_b


# ----------------------------------------------------------------------- reveal


def test_reveal_asks_for_a_reason_then_shows_once_and_audits(client, zone_a, make_user):
    number, phone = valid_id_number(), valid_mobile()
    someone = person(zone_a, name="冯立松", id_number=number, phone=phone)
    officer = make_user(Role.OFFICER, zone_a)
    client.force_login(officer)
    reveal = url("person", "reveal", someone.pk)

    change_page = client.get(url("person", "change", someone.pk)).content.decode()
    assert reveal in change_page and "查看完整信息" in change_page

    page = client.get(reveal).content.decode()
    assert "reason" in page and 'name="field"' in page and number not in page and phone not in page
    assert not audit_rows(someone, AuditAction.REVEAL).exists()

    for incomplete in (
        {"field": "id_number", "reason": ""},
        {"reason": "核对"},
        {"field": "id_number", "reason": "  "},
    ):
        page = client.post(reveal, incomplete).content.decode()
        assert number not in page and phone not in page
    assert not audit_rows(someone, AuditAction.REVEAL).exists()

    resp = client.post(reveal, {"field": "id_number", "reason": "核对困难职工帮扶申请"})
    assert resp.status_code == 200 and resp["Cache-Control"].startswith("max-age=0")
    page = resp.content.decode()
    assert number in page and phone not in page  # only the field asked for
    entry = audit_rows(someone, AuditAction.REVEAL).get()
    assert entry.actor == officer and entry.note == "核对困难职工帮扶申请"
    assert entry.after == {"field": "id_number"}
    page = client.post(reveal, {"field": "phone", "reason": "电话回访"}).content.decode()
    assert phone in page and number not in page


def test_reveal_page_names_a_wrong_field_key_instead_of_a_500(client, zone_a, make_user, settings):
    someone = person(zone_a, name="冯立松")
    client.force_login(make_user(Role.OFFICER, zone_a))
    settings.FIELD_KEY = "not-the-key-the-data-was-encrypted-with"
    resp = client.post(url("person", "reveal", someone.pk), {"field": "phone", "reason": "核对"})
    assert resp.status_code == 200
    assert "GAOXIN_FIELD_KEY" in resp.content.decode()
    assert not audit_rows(someone, AuditAction.REVEAL).exists()


def test_reveal_needs_the_permission(client, zone_a, make_user):
    someone = person(zone_a, name="冯立松")
    client.force_login(make_user(Role.INSTRUCTOR, zone_a))
    assert "查看完整信息" not in client.get(url("person", "change", someone.pk)).content.decode()
    reveal = url("person", "reveal", someone.pk)
    assert client.get(reveal).status_code == 403
    assert client.post(reveal, {"field": "phone", "reason": "好奇"}).status_code == 403
    assert not audit_rows(someone, AuditAction.REVEAL).exists()


def test_reveal_needs_csrf(zone_a, make_user):
    from django.test import Client

    someone = person(zone_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.OFFICER, zone_a))
    resp = client.post(url("person", "reveal", someone.pk), {"field": "phone", "reason": "核对"})
    assert resp.status_code == 403
    assert not audit_rows(someone, AuditAction.REVEAL).exists()


# ----------------------------------------------------------------- audit trail


def test_audit_trail_is_read_only_even_for_superusers(client, zone_a, make_user):
    firm = enterprise(zone_a)
    entry = audit_rows(firm, AuditAction.CREATE).get()
    for user in (make_user(None, None, superuser=True), make_user(Role.ZONE_ADMIN, zone_a)):
        client.force_login(user)
        page = client.get(url("auditentry", "change", entry.pk))
        assert page.status_code == 200
        assert f"&quot;name&quot;: &quot;{firm.name}&quot;" in page.content.decode()  # pretty JSON
        assert client.get(url("auditentry", "add")).status_code == 403
        assert client.post(url("auditentry", "add"), {"note": "x"}).status_code == 403
        assert client.post(url("auditentry", "change", entry.pk), {"note": "x"}).status_code == 403
        assert client.get(url("auditentry", "delete", entry.pk)).status_code == 403
        assert (
            client.post(url("auditentry", "delete", entry.pk), {"post": "yes"}).status_code == 403
        )
        client.post(
            url("auditentry", "changelist"),
            {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
        )
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
    entry.refresh_from_db()
    assert entry.note == ""


def test_audit_list_filters_and_per_object_link(client, zone_a, make_user):
    firm = enterprise(zone_a, name="甲区物流有限公司")
    other = enterprise(zone_a, name="甲区电子有限公司")
    client.force_login(make_user(Role.ZONE_ADMIN, zone_a))
    page = client.get(url("enterprise", "change", firm.pk)).content.decode()
    link = (
        f"{url('auditentry', 'changelist')}?object_type=registry.Enterprise&amp;object_id={firm.pk}"
    )
    assert link in page
    resp = client.get(
        url("auditentry", "changelist"),
        {"object_type": "registry.Enterprise", "object_id": firm.pk},
    )
    assert [e.object_repr for e in resp.context["cl"].result_list] == ["甲区物流有限公司"]
    resp = client.get(url("auditentry", "changelist"), {"action__exact": "create"})
    reprs = {e.object_repr for e in resp.context["cl"].result_list}
    assert {"甲区物流有限公司", other.name} <= reprs
    html = resp.content.decode()
    for header in ("时间", "园区", "操作人", "动作", "对象类型", "对象", "备注"):
        assert header in html
    assert 'object_type=registry.Enterprise">企业</a>' in html


# ------------------------------------------------------------- users and zones


def test_zone_admin_creates_users_of_own_zone_only(client, zone_a, zone_b, make_user):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    client.force_login(admin_a)
    page = client.get(url("user", "add")).content.decode()
    assert 'name="is_superuser"' not in page and 'name="zone"' not in page
    assert 'value="national_viewer"' not in page

    foreign = person(zone_b, name="乙区人员")
    data = {
        "username": "new-officer",
        "display_name": "新干事",
        "roles": ["officer"],
        "password1": "a-Long-pass-9081",
        "password2": "a-Long-pass-9081",
        "is_superuser": "on",
        "zone": zone_b.pk,
        "person": foreign.pk,
    }
    resp = client.post(url("user", "add"), data)
    assert "person" in resp.context["adminform"].form.errors
    assert not User.objects.filter(username="new-officer").exists()

    resp = client.post(url("user", "add"), {**data, "person": ""})
    assert resp.status_code == 302
    created = User.objects.get(username="new-officer")
    assert created.zone == zone_a and not created.is_superuser and created.is_staff
    assert created.has_role(Role.OFFICER) and created.check_password("a-Long-pass-9081")
    entry = audit_rows(created, AuditAction.CREATE).get()
    assert entry.actor == admin_a and entry.after["roles"] == ["officer"]

    # existing users are edited through services.user_update (test_account_updates.py);
    # the username stays, and the page never prints the password hash
    resp = client.post(
        url("user", "change", created.pk),
        {"username": "x", "display_name": "新干事", "is_active": "on", "roles": ["officer"]},
    )
    assert resp.status_code == 302
    assert User.objects.filter(pk=created.pk, username="new-officer").exists()
    assert (
        client.get(reverse("admin:auth_user_password_change", args=[created.pk])).status_code == 200
    )
    page = client.get(url("user", "change", created.pk)).content.decode()
    assert created.password.split("$")[-1] not in page


def test_zone_admin_sees_own_zone_but_cannot_change_it(client, zone_a, zone_b, make_user):
    client.force_login(make_user(Role.ZONE_ADMIN, zone_a))
    resp = client.get(url("zone", "changelist"))
    assert [z.name for z in resp.context["cl"].result_list] == ["甲高新区"]
    assert client.get(url("zone", "change", zone_b.pk)).status_code == 404
    assert client.post(url("zone", "change", zone_a.pk), {"name": "x"}).status_code == 403
    assert client.get(url("zone", "add")).status_code == 403


def test_superuser_creates_zone_through_the_service(client, make_user):
    client.force_login(make_user(None, None, superuser=True))
    data = {"code": "zqgx", "name": "肇庆高新区", "province": "广东省", "city": "肇庆市"}
    assert client.post(url("zone", "add"), data).status_code == 302
    entry = AuditEntry.objects.get(object_type="core.Zone", action=AuditAction.CREATE)
    assert entry.after["code"] == "zqgx"


def test_role_groups_are_superuser_only_and_read_only(client, zone_a, make_user):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=Role.OFFICER)
    client.force_login(make_user(Role.ZONE_ADMIN, zone_a))
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    client.force_login(make_user(None, None, superuser=True))
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
    assert client.post(reverse("admin:auth_group_change", args=[group.pk]), {}).status_code == 403


# ------------------------------------------------------------------------- i18n


def test_admin_is_chinese_by_default_and_english_on_request(client, zone_a, make_user):
    person(zone_a, name="冯立松", employer=enterprise(zone_a).pk)
    client.force_login(make_user(Role.ZONE_ADMIN, zone_a))
    html = client.get(reverse("admin:index")).content.decode()
    assert "企业" in html and "人员" in html and 'lang="zh-hans"' in html
    assert 'action="/i18n/setlang/"' in html

    html = client.get(reverse("admin:index"), headers={"accept-language": "en"}).content.decode()
    assert 'lang="en"' in html
    assert "Enterprise" in html and "Person" in html and "Audit log" in html

    client.cookies["django_language"] = "en"
    html = client.get(url("person", "changelist")).content.decode()
    assert "ID number" in html and "Employer" in html


def test_language_switch_sets_the_cookie(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert resp.status_code == 302 and resp.cookies["django_language"].value == "en"
    html = client.get(reverse("admin:login")).content.decode()
    assert 'lang="en"' in html and "gaoxin-language" in html


def test_superuser_creates_cross_zone_viewer_but_not_zone_less_officer(client, zone_a, make_user):
    client.force_login(make_user(None, None, superuser=True))
    page = client.get(url("user", "add")).content.decode()
    assert 'name="zone"' in page and 'name="is_superuser"' in page
    base = {"password1": "a-Long-pass-9081", "password2": "a-Long-pass-9081", "zone": ""}
    resp = client.post(url("user", "add"), {**base, "username": "lost", "roles": ["officer"]})
    assert "zone" in resp.context["adminform"].form.errors
    resp = client.post(
        url("user", "add"), {**base, "username": "torch", "roles": ["national_viewer"]}
    )
    assert resp.status_code == 302
    viewer = User.objects.get(username="torch")
    assert viewer.zone is None and viewer.spans_zones and viewer.is_staff
    assert not User.objects.filter(username="lost").exists()
