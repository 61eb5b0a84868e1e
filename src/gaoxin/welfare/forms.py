"""Back-office and phone forms. They only parse what people type (yuan,
local date-times, checkboxes); the services validate and write, and their
refusals are put back next to the fields here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.enums import JobType
from gaoxin.core.forms import MomentField
from gaoxin.core.models import Zone
from gaoxin.core.rules import restrict_to_zone
from gaoxin.core.selectors import zones_for_user
from gaoxin.registry.models import Enterprise
from gaoxin.welfare.domain import parse_yuan
from gaoxin.welfare.enums import CampaignKind, SponsorKind
from gaoxin.welfare.models import MAX_PER_WORKER

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]

# service field → form field
FIELD_NAMES = {"unit_value_fen": "unit_value_yuan", "budget_fen": "budget_yuan"}


class YuanField(forms.CharField):
    """Money typed in yuan ("35", "35.50"), cleaned to integer fen."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            fen = parse_yuan(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if fen <= 0:
            raise forms.ValidationError(_("金额必须大于 0"))
        return fen


class CampaignForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("园区"), queryset=Zone.objects.none())
    title = forms.CharField(label=_("活动名称"), max_length=80)
    kind = forms.ChoiceField(label=_("福利类型"), choices=CampaignKind.choices)
    sponsor_kind = forms.ChoiceField(label=_("出资方类型"), choices=SponsorKind.choices)
    sponsor_name = forms.CharField(
        label=_("出资方"), max_length=80, help_text=_("如：肇庆高新区总工会；多家合办用顿号分隔")
    )
    unit_value_yuan = YuanField(label=_("单份价值（元）"), max_length=20)
    stock = forms.IntegerField(label=_("总份数"), min_value=1)
    per_worker_limit = forms.IntegerField(
        label=_("每人限领份数"), min_value=1, max_value=MAX_PER_WORKER, initial=1
    )
    budget_yuan = YuanField(
        label=_("预算（元）"),
        max_length=20,
        required=False,
        help_text=_("留空则为 总份数 × 单份价值"),
    )
    claim_starts_at = MomentField(
        label=_("开始领取时间"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    claim_ends_at = MomentField(
        label=_("截止领取时间"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    redeem_until = MomentField(
        label=_("核销截止时间"),
        widget=DATETIME_INPUT,
        required=False,
        input_formats=DATETIME_FORMATS,
    )
    redeem_place_hint = forms.CharField(label=_("使用地点"), max_length=120, required=False)
    eligible_job_types = forms.MultipleChoiceField(
        label=_("限定职业类型"),
        choices=JobType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示不限"),
    )
    eligible_enterprise = forms.ModelChoiceField(
        label=_("限定企业"),
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label=_("不限"),
    )
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.spans_zones:
            self.fields["zone"].queryset = zones_for_user(user=user)
        else:
            del self.fields["zone"]
        self.fields["eligible_enterprise"].queryset = restrict_to_zone(
            Enterprise.objects.order_by("name"), user
        )

    def target_zone(self) -> Zone | None:
        if "zone" in self.fields:
            return self.cleaned_data.get("zone")
        return self.user.zone

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("zone", None)
        data["unit_value_fen"] = data.pop("unit_value_yuan")
        data["budget_fen"] = data.pop("budget_yuan")
        return data

    def add_service_errors(self, errors: dict) -> None:
        for key, message in errors.items():
            name = FIELD_NAMES.get(key, key)
            field = name if name in self.fields else None
            if field is None or field not in self.errors:
                self.add_error(field, message)


class RedeemForm(forms.Form):
    code = forms.CharField(
        label=_("券码"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "placeholder": "XXXXX-XXXXX",
            }
        ),
    )
    place = forms.CharField(label=_("核销地点"), max_length=80, required=False)
