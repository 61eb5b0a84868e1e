"""Back-office forms of the registry: each validates with the same cleaning the
services use, and the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import ServiceBackedForm, keep_help
from gaoxin.registry import selectors
from gaoxin.registry.domain import clean_enterprise, clean_person
from gaoxin.registry.models import Department, Enterprise, Person


class EnterpriseForm(ServiceBackedForm):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    service_fields = ("name", "uscc", "industry", "address", "contact_name", "is_new_economy")
    secret_fields = ("contact_phone",)

    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "industry", "address", "contact_name", "is_new_economy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.changing and "contact_phone" in self.fields:
            self.fields["contact_phone"].help_text = keep_help(self.instance.contact_phone_masked)

    def clean(self):
        cleaned = super().clean()
        result = clean_enterprise(self.service_data(), partial=True)
        self.add_service_errors(result.errors)
        uscc, zone = result.values.get("uscc"), self.target_zone()
        taken = (
            uscc
            and zone is not None
            and "uscc" not in result.errors
            and selectors.enterprise_credit_codes_taken(
                zone_id=zone.pk, codes=[uscc], exclude_id=self.instance.pk
            )
        )
        if taken:
            self.add_error("uscc", selectors.credit_code_taken_message())
        return cleaned


class PersonForm(ServiceBackedForm):
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    service_fields = ("name", "role", "job_type", "employer")
    secret_fields = ("id_number", "phone")

    class Meta:
        model = Person
        fields = ["name", "role", "job_type", "employer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.changing:
            for key, masked in (
                ("id_number", self.instance.id_number_masked),
                ("phone", self.instance.phone_masked),
            ):
                if key in self.fields:
                    self.fields[key].help_text = keep_help(masked)

    def clean(self):
        cleaned = super().clean()
        result = clean_person(self.service_data(), partial=True)
        self.add_service_errors(result.errors)
        zone = self.target_zone()
        if zone is None:
            return cleaned
        taken = selectors.person_identifiers_taken(
            zone_id=zone.pk, values=result.values, exclude_id=self.instance.pk
        )
        for key, message in taken.items():
            self.add_error(key, message)
        employer = cleaned.get("employer")
        if employer is not None and employer.zone_id != zone.pk:
            self.add_error("employer", _("所在企业不存在或不属于本园区"))
        return cleaned


class DepartmentForm(ServiceBackedForm):
    service_fields = ("name", "kind", "contact_name")

    class Meta:
        model = Department
        fields = ["name", "kind", "contact_name"]

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        zone = self.target_zone()
        taken = name and zone is not None
        if taken and selectors.department_name_taken(zone.pk, name, exclude_pk=self.instance.pk):
            self.add_error("name", selectors.department_name_taken_message())
        return cleaned


class RevealForm(forms.Form):
    """Revealing is deliberate: one identifier at a time, and the reason goes
    into the audit entry."""

    field = forms.ChoiceField(
        label=_("查看哪一项"),
        widget=forms.RadioSelect,
        choices=[("id_number", _("身份证号")), ("phone", _("手机号码"))],
    )
    reason = forms.CharField(
        label=_("查看原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("原因将写入审计记录"),
    )
