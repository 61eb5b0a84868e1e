"""Back-office and phone forms. They only parse what people type (yuan,
local date-times, checkboxes); the services validate and write, and their
refusals are put back next to the fields (core.forms.errors_to_form). What the
form itself refuses it says in the API's words (core.cleaning): "请填写活动名称",
"总份数应在 1 到 1000000 之间", never Django's "这个字段是必填项。"."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gaoxin.core import cleaning
from gaoxin.core.enums import JobType
from gaoxin.core.forms import (
    MomentField,
    choice_words,
    integer_words,
    moment_words,
    speak_like_the_services,
    speak_like_the_services_on,
)
from gaoxin.core.rules import restrict_to_zone
from gaoxin.core.selectors import zones_for_user
from gaoxin.registry.models import Enterprise
from gaoxin.welfare.domain import (
    MAX_BUDGET_FEN,
    MAX_STOCK,
    MAX_UNIT_VALUE_FEN,
    enterprise_message,
    job_type_message,
)
from gaoxin.welfare.enums import CampaignKind, SponsorKind
from gaoxin.welfare.models import MAX_PER_WORKER

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]

# service (API) field → form field, for errors_to_form
FIELD_NAMES = {"unit_value_fen": "unit_value_yuan", "budget_fen": "budget_yuan", "zone_id": "zone"}


class YuanField(forms.CharField):
    """Money typed in yuan ("35", "35.50"), cleaned to integer fen by core.cleaning,
    so a mistake reads as it does everywhere ("单份价值：金额最多精确到分（两位小数）").
    `spoken` is the name the API's message uses (the label adds "（元）")."""

    def __init__(self, *, spoken, high: int, **kwargs):
        self.spoken, self.high = spoken, high
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        c = cleaning.Cleaner({})
        fen = c.money("fen", label=self.spoken, low=1, high=self.high, value=value)
        if fen is None:
            raise ValidationError(c.errors["fen"])
        return fen


class ZoneField(forms.ChoiceField):
    """The zone a cross-zone officer picks, passed as sent to core.tenancy.request_zone:
    none picked is its one 422 message, a zone not theirs is "not found"."""

    def validate(self, value):
        pass


class CampaignForm(forms.Form):
    zone = ZoneField(label=_("园区"), required=False)
    title = forms.CharField(label=_("活动名称"), max_length=80)
    kind = forms.ChoiceField(label=_("福利类型"), choices=CampaignKind.choices)
    sponsor_kind = forms.ChoiceField(label=_("出资方类型"), choices=SponsorKind.choices)
    sponsor_name = forms.CharField(
        label=_("出资方"), max_length=80, help_text=_("如：肇庆高新区总工会；多家合办用顿号分隔")
    )
    unit_value_yuan = YuanField(
        label=_("单份价值（元）"), spoken=_("单份价值"), high=MAX_UNIT_VALUE_FEN, max_length=20
    )
    stock = forms.IntegerField(label=_("总份数"), min_value=1, max_value=MAX_STOCK)
    per_worker_limit = forms.IntegerField(
        label=_("每人限领份数"),
        min_value=1,
        max_value=MAX_PER_WORKER,
        initial=1,
        required=False,
        help_text=_("留空则为 1"),
    )
    budget_yuan = YuanField(
        label=_("预算（元）"),
        spoken=_("预算"),
        high=MAX_BUDGET_FEN,
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
        label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.spans_zones:
            self.fields["zone"].choices = [("", "---------")] + [
                (zone.pk, zone.name) for zone in zones_for_user(user=user)
            ]
        else:
            del self.fields["zone"]
        self.fields["eligible_enterprise"].queryset = restrict_to_zone(
            Enterprise.objects.order_by("name"), user
        )
        self._speak_like_the_api()

    def _speak_like_the_api(self) -> None:
        """Django's own refusals in core.cleaning's (and the campaign cleaner's) words."""
        fields = self.fields
        speak_like_the_services_on(
            self, "title", "sponsor_name", "redeem_place_hint", "description"
        )
        choice_words(fields["kind"], CampaignKind)
        choice_words(fields["sponsor_kind"], SponsorKind)
        integer_words(fields["stock"])
        integer_words(fields["per_worker_limit"])
        for name in ("unit_value_yuan", "budget_yuan"):
            fields[name].error_messages["required"] = cleaning.required_message(fields[name].spoken)
        for name in ("claim_starts_at", "claim_ends_at", "redeem_until"):
            moment_words(fields[name])
        fields["eligible_job_types"].error_messages["invalid_choice"] = job_type_message(
            "%(value)s"
        )
        fields["eligible_enterprise"].error_messages["invalid_choice"] = enterprise_message()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("zone", None)
        data["unit_value_fen"] = data.pop("unit_value_yuan")
        data["budget_fen"] = data.pop("budget_yuan")
        return data


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            speak_like_the_services(field)
