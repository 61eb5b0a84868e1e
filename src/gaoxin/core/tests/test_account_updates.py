"""Editing zones and logins in the back office, and changing passwords: every
change goes through a service, is audited with before and after, and the
rules of who may change what hold on the pages themselves."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from gaoxin.core import services
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.errors import Forbidden, InvalidInput, NotFound
from gaoxin.core.models import ApiToken, AuditEntry, User, Zone
from gaoxin.registry.tests.factories import person

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "pw-test-123"  # what factories.make_user gives everyone
NEW_PASSWORD = "Qing-shui-he-7731"


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:core_{model}_{view}", args=args)


def password_url(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def updates(obj):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label, object_id=str(obj.pk), action=AuditAction.UPDATE
    )


def user_post(user, **values) -> dict:
    """What the change page posts back when nothing is touched."""
    data = {
        "display_name": user.display_name,
        "person": user.person_id or "",
        "is_active": "on" if user.is_active else "",
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }
    data.update(values)
    return {k: v for k, v in data.items() if v != ""}


def logged_in(user) -> Client:
    """A separate browser with its own session, logged in with the password."""
    other = Client()
    assert other.login(username=user.username, password=OLD_PASSWORD)
    return other


def field_row(html: str, field: str) -> str:
    return html.split(f"field-{field}")[1].split("form-row")[0]


# ------------------------------------------------------------------------ zones


def test_superuser_renames_a_zone_audited_but_its_code_stays(client, zone_a, make_user):
    root = make_user(None, None, superuser=True)
    client.force_login(root)
    page = client.get(url("zone", "change", zone_a.pk)).content.decode()
    assert 'name="name"' in page and 'name="code"' not in page and "zone-a" in page

    data = {
        "code": "renamed",
        "name": "甲高新技术产业开发区",
        "province": "广东省",
        "city": "肇庆市",
    }
    assert client.post(url("zone", "change", zone_a.pk), data).status_code == 302
    zone_a.refresh_from_db()
    assert (zone_a.code, zone_a.name) == ("zone-a", "甲高新技术产业开发区")
    entry = updates(zone_a).get()
    assert entry.actor == root and entry.zone_id == zone_a.pk
    assert (entry.before["name"], entry.after["name"]) == ("甲高新区", "甲高新技术产业开发区")
    assert entry.before["code"] == entry.after["code"] == "zone-a"

    with pytest.raises(InvalidInput) as refused:
        services.zone_update(actor=root, zone=zone_a, data={"code": "renamed"})
    assert "园区代码创建后不能修改" in refused.value.fields["code"]
    assert Zone.objects.get(pk=zone_a.pk).code == "zone-a"
    assert updates(zone_a).count() == 1


def test_zone_name_must_stay_unique_and_present(client, zone_a, zone_b, make_user):
    client.force_login(make_user(None, None, superuser=True))
    data = {"name": "乙高新区", "province": "广东省", "city": "肇庆市"}
    resp = client.post(url("zone", "change", zone_a.pk), data)
    assert resp.status_code == 200 and "name" in resp.context["adminform"].form.errors
    with pytest.raises(InvalidInput) as refused:
        services.zone_update(actor=None, zone=zone_a, data={"name": "乙高新区", "city": " "})
    assert refused.value.fields == {"name": "已有同名园区", "city": "请填写城市"}
    assert Zone.objects.get(pk=zone_a.pk).name == "甲高新区" and not updates(zone_a).exists()


def test_only_superusers_edit_zones(zone_a, zone_b, make_user):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    with pytest.raises(Forbidden):
        services.zone_update(actor=admin_a, zone=zone_a, data={"name": "改名"})
    with pytest.raises(NotFound):
        services.zone_update(actor=admin_a, zone=zone_b, data={"name": "改名"})
    with pytest.raises(Forbidden):
        services.zone_update(
            actor=make_user(Role.NATIONAL_VIEWER, None), zone=zone_b, data={"name": "改名"}
        )
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


# ------------------------------------------------------------------------ users


def test_zone_admin_edits_a_user_of_own_zone_and_role_changes_are_audited(
    client, zone_a, make_user
):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    officer = make_user(Role.OFFICER, zone_a)
    someone = person(zone_a, name="冯立松")
    client.force_login(admin_a)

    page = client.get(url("user", "change", officer.pk)).content.decode()
    assert 'name="display_name"' in page and 'name="roles"' in page
    assert 'name="username"' not in page and 'name="zone"' not in page  # fixed once created
    assert 'name="is_superuser"' not in page and 'value="national_viewer"' not in page
    assert password_url(officer) in page
    assert officer.password.split("$")[-1] not in page

    data = user_post(
        officer,
        display_name="冯干事",
        person=someone.pk,
        roles=["officer", "finance"],
        is_superuser="on",
        username="renamed",
    )
    resp = client.post(url("user", "change", officer.pk), data)
    assert resp.status_code == 302, resp.context and resp.context["adminform"].form.errors
    officer = User.objects.get(pk=officer.pk)
    assert officer.display_name == "冯干事" and officer.person == someone
    assert officer.has_role(Role.FINANCE) and officer.is_staff
    assert not officer.is_superuser and officer.username.endswith("officer")
    assert officer.zone == zone_a

    entry = updates(officer).get()
    assert entry.actor == admin_a and entry.zone_id == zone_a.pk
    assert (entry.before["roles"], entry.after["roles"]) == (["officer"], ["finance", "officer"])
    assert (entry.before["person_id"], entry.after["person_id"]) == (None, someone.pk)
    assert "password" not in str(entry.before) + str(entry.after)
    assert officer.password not in str(entry.after)

    # staff status follows the roles, as at creation
    resp = client.post(url("user", "change", officer.pk), user_post(officer, roles=["worker"]))
    assert resp.status_code == 302
    assert not User.objects.get(pk=officer.pk).is_staff
    assert updates(officer).latest("id").after["is_staff"] is False


def test_zone_admin_cannot_reach_another_zones_user_or_a_superuser(
    client, zone_a, zone_b, make_user
):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    foreign = make_user(Role.OFFICER, zone_b)
    root = make_user(None, zone_a, superuser=True)  # even one filed under zone A
    client.force_login(admin_a)

    listed = client.get(url("user", "changelist")).context["cl"].result_list
    assert root not in listed and foreign not in listed
    for target in (foreign, root):
        post = user_post(target, display_name="被改名", roles=["officer"])
        assert client.get(url("user", "change", target.pk)).status_code == 404
        assert client.post(url("user", "change", target.pk), post).status_code == 404
        assert client.get(password_url(target)).status_code == 404
        resp = client.post(
            password_url(target), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        assert resp.status_code == 404
        target.refresh_from_db()
        assert target.display_name == "" and target.check_password(OLD_PASSWORD)
        assert not updates(target).exists()
        with pytest.raises(NotFound):
            services.user_update(actor=admin_a, user=target, data={"is_active": False})
        with pytest.raises(NotFound):
            services.user_set_password(actor=admin_a, user=target, password=NEW_PASSWORD)


def test_zone_admin_grants_only_what_user_create_lets_them_grant(zone_a, make_user):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    officer = make_user(Role.OFFICER, zone_a)
    with pytest.raises(InvalidInput) as refused:
        services.user_update(actor=admin_a, user=officer, data={"roles": ["national_viewer"]})
    assert refused.value.fields == {"roles": "您不能授予或取消“全国统计查看”角色"}
    with pytest.raises(Forbidden):
        services.user_update(actor=admin_a, user=officer, data={"is_superuser": True})
    with pytest.raises(Forbidden):  # officers may not edit users at all
        services.user_update(
            actor=make_user(Role.OFFICER, zone_a), user=officer, data={"display_name": "x"}
        )
    services.user_update(actor=admin_a, user=officer, data={"roles": ["zone_admin"]})
    assert User.objects.get(pk=officer.pk).has_role(Role.ZONE_ADMIN)


def test_nobody_deactivates_or_demotes_themselves(client, zone_a, make_user):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    client.force_login(admin_a)
    resp = client.post(url("user", "change", admin_a.pk), user_post(admin_a, is_active=""))
    assert resp.status_code == 200
    assert "不能停用自己的账号" in field_row(resp.content.decode(), "is_active")
    resp = client.post(url("user", "change", admin_a.pk), user_post(admin_a, roles=["officer"]))
    assert resp.context["adminform"].form.errors["roles"] == ["不能取消自己的园区管理员角色"]
    admin_a.refresh_from_db()
    assert admin_a.is_active and admin_a.has_role(Role.ZONE_ADMIN)

    root = make_user(None, None, superuser=True)
    client.force_login(root)
    resp = client.post(url("user", "change", root.pk), user_post(root, is_superuser=""))
    assert resp.context["adminform"].form.errors["is_superuser"] == ["不能取消自己的平台管理员权限"]
    assert User.objects.get(pk=root.pk).is_superuser
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_superuser_may_not_give_a_zone_less_login_a_zone_role(client, make_user):
    viewer = make_user(Role.NATIONAL_VIEWER, None)
    client.force_login(make_user(None, None, superuser=True))
    resp = client.post(url("user", "change", viewer.pk), user_post(viewer, roles=["officer"]))
    errors = resp.context["adminform"].form.errors
    assert errors["roles"] == ["跨园区账号只能是平台管理员或全国统计查看"]
    assert User.objects.get(pk=viewer.pk).has_role(Role.NATIONAL_VIEWER)


def test_deactivating_a_user_revokes_their_api_tokens(client, api_client, zone_a, make_user):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    officer = make_user(Role.OFFICER, zone_a)
    api = api_client.as_user(officer)
    assert api.get("zones").status_code == 200

    client.force_login(admin_a)
    assert (
        client.post(url("user", "change", officer.pk), user_post(officer, is_active="")).status_code
        == 302
    )
    officer.refresh_from_db()
    assert not officer.is_active and not ApiToken.objects.filter(user=officer).exists()
    entry = updates(officer).get()
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)
    assert entry.note == "停用账号，撤销了 1 个接口令牌"

    # reactivating does not bring the old token back
    assert (
        client.post(
            url("user", "change", officer.pk), user_post(officer, is_active="on")
        ).status_code
        == 302
    )
    assert User.objects.get(pk=officer.pk).is_active
    client.logout()  # the API would otherwise accept the admin's session
    assert api.get("zones").status_code == 401


# -------------------------------------------------------------------- passwords


def test_admin_password_reset_is_audited_and_ends_the_old_password(client, zone_a, make_user):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    officer = make_user(Role.OFFICER, zone_a)
    officer_browser = logged_in(officer)
    assert officer_browser.get(reverse("admin:index")).status_code == 200
    client.force_login(admin_a)

    page = client.get(password_url(officer)).content.decode()
    assert 'name="password1"' in page and "unset-password" not in page
    resp = client.post(
        password_url(officer), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    assert resp.redirect_chain[-1][0] == url("user", "change", officer.pk)
    assert "密码已修改" in [str(m) for m in get_messages(resp.wsgi_request)]

    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD) and not officer.check_password(OLD_PASSWORD)
    entry = updates(officer).get()
    assert entry.actor == admin_a and entry.note == "重设了密码"
    recorded = f"{entry.before}{entry.after}{entry.note}"
    assert NEW_PASSWORD not in recorded and officer.password.split("$")[-1] not in recorded

    assert not Client().login(username=officer.username, password=OLD_PASSWORD)
    # the officer's open session ended with the old password
    resp = officer_browser.get(reverse("admin:index"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:index")).status_code == 200  # the admin's did not


def test_own_password_change_is_audited_and_keeps_this_session_only(client, zone_a, make_user):
    officer = make_user(Role.OFFICER, zone_a)
    other_browser = logged_in(officer)
    client.force_login(officer)
    data = {
        "old_password": OLD_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    resp = client.post(reverse("admin:password_change"), data)
    assert resp.status_code == 302 and resp["Location"] == reverse("admin:password_change_done")

    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    entry = updates(officer).get()
    assert entry.actor == officer and entry.note == "修改了密码"
    assert NEW_PASSWORD not in f"{entry.before}{entry.after}"
    assert client.get(reverse("admin:index")).status_code == 200
    assert other_browser.get(reverse("admin:index")).status_code == 302


def test_bad_passwords_are_shown_on_the_form_and_change_nothing(client, zone_a, make_user):
    admin_a = make_user(Role.ZONE_ADMIN, zone_a)
    officer = make_user(Role.OFFICER, zone_a)
    client.force_login(admin_a)

    resp = client.post(password_url(officer), {"password1": "12345", "password2": "12345"})
    assert resp.status_code == 200
    html = resp.content.decode()
    row = field_row(html, "password2")
    assert "密码太短，至少需要 8 个字符。" in row and "密码只包含数字。" in row  # in Chinese
    assert "请修正下面的错误" in html
    resp = client.post(password_url(officer), {"password1": NEW_PASSWORD, "password2": "other"})
    assert "password2" in resp.context["form"].errors

    client.force_login(officer)
    resp = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "wrong",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert resp.status_code == 200 and "old_password" in resp.context["form"].errors
    resp = client.post(
        reverse("admin:password_change"),
        {
            "old_password": OLD_PASSWORD,
            "new_password1": "password",
            "new_password2": "password",
        },
    )
    assert resp.status_code == 200 and "new_password2" in resp.context["form"].errors

    officer.refresh_from_db()
    assert officer.check_password(OLD_PASSWORD)
    assert not updates(officer).exists()
    with pytest.raises(InvalidInput) as refused:
        services.user_set_password(actor=admin_a, user=officer, password="12345")
    problems = "密码太短，至少需要 8 个字符。这个密码太常见了。密码只包含数字。"
    assert refused.value.fields["password"] == problems
