"""Back office (Django admin) for the registry: enterprises, people, departments.

The rules of `gaoxin.core.admin` hold here too: zone isolation, services write
(`gaoxin.registry.services`), masks on lists and pages, full identifiers only
through an audited reveal.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.core.admin.base import ZoneScopedAdmin, error_text, raise_for_status
from gaoxin.core.errors import ApplicationError
from gaoxin.core.rules import restrict_to_zone
from gaoxin.registry import services
from gaoxin.registry.forms import DepartmentForm, EnterpriseForm, PersonForm, RevealForm
from gaoxin.registry.models import Department, Enterprise, Person
from gaoxin.registry.selectors import full_identifier, person_search_q

EMPLOYER_FILTER_LIMIT = 200


class EmployerFilter(admin.SimpleListFilter):
    """所在企业, listing only enterprises of the user's zone (the first
    EMPLOYER_FILTER_LIMIT by name; any id still filters, within the zone)."""

    title = _("所在企业")
    parameter_name = "employer"

    def lookups(self, request, model_admin):
        qs = restrict_to_zone(Enterprise.objects.order_by("name"), request.user)
        return list(qs.values_list("pk", "name")[:EMPLOYER_FILTER_LIMIT])

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not str(value).isdigit():
            return queryset.none()
        return queryset.filter(employer_id=int(value))


@admin.register(Enterprise)
class EnterpriseAdmin(ZoneScopedAdmin):
    form = EnterpriseForm
    list_display = (
        "name",
        "uscc",
        "industry",
        "new_economy",
        "contact_name",
        "contact_phone_masked",
        "zone",
    )
    search_fields = ("name", "name_initials", "=uscc")
    search_help_text = _("企业名称、拼音首字母或统一社会信用代码")
    extra_list_filter = ("is_new_economy", "industry")
    edit_fields = (
        "name",
        "uscc",
        "industry",
        "address",
        "contact_name",
        "contact_phone",
        "is_new_economy",
    )
    view_fields = (
        "name",
        "uscc",
        "industry",
        "address",
        "contact_name",
        "contact_phone_masked",
        "is_new_economy",
    )

    @admin.display(description=_("新业态"), boolean=True, ordering="is_new_economy")
    def new_economy(self, obj):
        return obj.is_new_economy

    def service_save(self, request, obj, form, change):
        data = form.service_data()
        if change:
            return services.enterprise_update(actor=request.user, enterprise=obj, data=data)
        return services.enterprise_create(actor=request.user, zone=form.target_zone(), data=data)

    def delete_model(self, request, obj):
        services.enterprise_delete(actor=request.user, enterprise=obj)


@admin.register(Person)
class PersonAdmin(ZoneScopedAdmin):
    form = PersonForm
    list_display = (
        "name",
        "id_number_masked",
        "phone_masked",
        "gender",
        "role",
        "job_type",
        "employer",
        "zone",
    )
    list_select_related = ("zone", "employer")
    search_fields = ("name",)  # shows the box; the search itself is person_search_q
    search_help_text = _("姓名、拼音或拼音首字母（如 fls）、完整手机号或身份证号")
    extra_list_filter = ("role", "job_type", EmployerFilter)
    autocomplete_fields = ("employer",)
    edit_fields = ("name", "id_number", "phone", "role", "job_type", "employer")
    # No birth_date: with the masked ID it would give away 8 of the 10 hidden digits.
    view_fields = (
        "name",
        "id_number_masked",
        "phone_masked",
        "gender",
        "role",
        "job_type",
        "employer",
    )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(person_search_q(term)), False

    def changelist_view(self, request, extra_context=None):
        """A search by a whole ID or phone number does not stay in the URL: the
        list's own links (pages, filters, "show all", the language switch)
        would repeat it into access logs and Referer headers. One match opens
        that person; none or several (cross-zone users) go back to the list,
        without the number, saying what was found."""
        term = request.GET.get(SEARCH_VAR, "")
        if request.method != "GET" or not full_identifier(term):
            return super().changelist_view(request, extra_context)
        found = list(self.get_queryset(request).filter(person_search_q(term))[:21])
        if len(found) == 1:
            return HttpResponseRedirect(reverse("admin:registry_person_change", args=[found[0].pk]))
        if not found:
            messages.warning(request, gettext("没有找到使用该身份证号或手机号的人员"))
        else:
            links = format_html_join(
                "、",
                '<a href="{}">{}（{}）</a>',
                (
                    (reverse("admin:registry_person_change", args=[p.pk]), p.name, p.zone)
                    for p in found
                ),
            )
            messages.info(request, format_html("{}{}", gettext("找到多名人员："), links))
        return HttpResponseRedirect(reverse("admin:registry_person_changelist"))

    def service_save(self, request, obj, form, change):
        data = form.service_data()
        if change:
            saved = services.person_update(actor=request.user, person=obj, data=data)
        else:
            saved = services.person_create(actor=request.user, zone=form.target_zone(), data=data)
        for warning in getattr(saved, "warnings", []):
            messages.warning(request, warning)
        return saved

    def delete_model(self, request, obj):
        services.person_delete(actor=request.user, person=obj)

    # --------------------------------------------------------------- reveal

    def get_urls(self):
        reveal = path(
            "<path:object_id>/reveal/",
            self.admin_site.admin_view(self.reveal_view),
            name="registry_person_reveal",
        )
        return [reveal, *super().get_urls()]

    def changeform_extra_context(self, request, object_id) -> dict:
        context = super().changeform_extra_context(request, object_id)
        if object_id is not None and request.user.has_perm("registry.reveal_person"):
            context["reveal_url"] = reverse("admin:registry_person_reveal", args=[object_id])
        return context

    def reveal_view(self, request, object_id):
        """GET asks which identifier and why; only a POST with both shows that
        one identifier, once, after services.person_reveal has written the
        audit entry. A field key that cannot decrypt it is said on the page."""
        person = self.get_object(request, unquote(object_id))
        if not request.user.has_perm("registry.reveal_person"):
            raise PermissionDenied
        form = RevealForm(request.POST if request.method == "POST" else None)
        revealed = None
        if form.is_bound and form.is_valid():
            field = form.cleaned_data["field"]
            try:
                value = services.person_reveal(
                    actor=request.user,
                    person=person,
                    field=field,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                raise_for_status(exc)
                form.add_error(None, error_text(exc))
            else:
                label = dict(form.fields["field"].choices)[field]
                revealed = {"field": field, "label": label, "value": value}
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("查看完整信息"),
            "subtitle": str(person),
            "opts": self.opts,
            "original": person,
            "form": form,
            "revealed": revealed,
            "change_url": reverse("admin:registry_person_change", args=[person.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/registry/person/reveal.html", context)


@admin.register(Department)
class DepartmentAdmin(ZoneScopedAdmin):
    form = DepartmentForm
    list_display = ("name", "kind", "contact_name", "zone")
    search_fields = ("name", "contact_name")
    extra_list_filter = ("kind",)
    edit_fields = ("name", "kind", "contact_name")

    def service_save(self, request, obj, form, change):
        data = form.service_data()
        if change:
            return services.department_update(actor=request.user, department=obj, data=data)
        return services.department_create(actor=request.user, zone=form.target_zone(), **data)

    def delete_model(self, request, obj):
        services.department_delete(actor=request.user, department=obj)
