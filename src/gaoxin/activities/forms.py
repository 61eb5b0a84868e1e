"""Page forms. They type and render input; the domain cleaning the services use
checks it, so a page shows the same Chinese message next to the field as the
API returns. The services check again when they write."""

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from gaoxin.activities import domain
from gaoxin.activities.enums import ActivityKind, Audience, Repeat, SignupMode
from gaoxin.core import cleaning
from gaoxin.core.errors import InvalidInput
from gaoxin.core.forms import MomentField, errors_to_form

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Limits the domain cleaning checks itself, in its own words (the widget keeps the hint).
_DOMAIN_CHECKS = (MaxLengthValidator, MaxValueValidator, MinValueValidator)


def _unreadable_time_message(name: str) -> str:
    """core.cleaning's words for a time it cannot read (it has no function for them)."""
    out = cleaning.Cleaned()
    cleaning.Cleaner({}, out=out).moment("_", label=name, value="?")
    return out.errors["_"]


class SpeaksLikeTheAPI:
    """Django's own checks on these fields say what the API says: core.cleaning's words
    with the domain's field names ("请填写活动名称", "名额应为整数"), not "这个字段是必填项。".
    Lengths and ranges are left to the domain cleaning, which `clean()` runs."""

    choices_of: dict = {}  # field → its TextChoices, for the "不是可选值" message
    names: dict = {}  # field → its name in the domain's messages, where not domain.label's

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, field in self.fields.items():
            name = self.names.get(key) or domain.label(key)
            field.error_messages["required"] = cleaning.required_message(name)
            field.validators = [v for v in field.validators if not isinstance(v, _DOMAIN_CHECKS)]
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = cleaning.not_integer_message(name)
            elif isinstance(field, forms.DateTimeField):
                field.error_messages["invalid"] = _unreadable_time_message(name)
            elif key in self.choices_of:  # Django fills in the value typed
                field.error_messages["invalid_choice"] = cleaning.choice_message(
                    name, "%(value)s", self.choices_of[key]
                )

    def show_domain_errors(self, errors: dict) -> None:
        """The domain's refusals next to their fields (one message per field)."""
        if errors:
            errors_to_form(self, InvalidInput(errors))


class ActivityForm(SpeaksLikeTheAPI, forms.Form):
    choices_of = {"kind": ActivityKind, "signup_mode": SignupMode, "audience": Audience}

    title = forms.CharField(label=_("活动名称"), max_length=100)
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    organiser = forms.CharField(label=_("主办单位"), max_length=100)
    partners = forms.CharField(
        label=_("协办单位"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("多个单位用顿号或换行分隔"),
    )
    place = forms.CharField(label=_("活动地点"), max_length=200)
    station_id = forms.IntegerField(
        label=_("所在驿站编号"),
        required=False,
        min_value=1,
        help_text=_("在暖新驿站举办时填写（驿站程序中的编号）"),
    )
    party_org_id = forms.IntegerField(
        label=_("所属党组织编号"),
        required=False,
        min_value=1,
        help_text=_("党组织开展的“三个一”等活动填写（党建程序中的编号）"),
    )
    description = forms.CharField(
        label=_("活动介绍"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    signup_mode = forms.ChoiceField(label=_("报名方式"), choices=SignupMode.choices)
    audience = forms.ChoiceField(label=_("报名对象"), choices=Audience.choices)
    min_age = forms.IntegerField(label=_("最小年龄（周岁）"), required=False, min_value=0)
    max_age = forms.IntegerField(label=_("最大年龄（周岁）"), required=False, min_value=0)
    eligibility_note = forms.CharField(label=_("报名条件说明"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, help_text=_("整期报名时为全期名额；按场次报名时为每场名额")
    )
    waitlist = forms.BooleanField(label=_("名额满后开放候补"), required=False, initial=True)
    signup_deadline = MomentField(label=_("报名截止时间"), required=False, widget=DATETIME_WIDGET)

    def __init__(self, *args, partial: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.partial = partial

    @classmethod
    def initial_from(cls, activity) -> dict:
        data = {name: getattr(activity, name) for name in domain.ACTIVITY_FIELDS}
        data["partners"] = "、".join(activity.partners)
        return data

    def clean(self):
        cleaned = super().clean()
        self.show_domain_errors(
            domain.clean_activity(self.service_data(), partial=self.partial).errors
        )
        return cleaned

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in domain.ACTIVITY_FIELDS}


class ScheduleForm(SpeaksLikeTheAPI, forms.Form):
    choices_of = {"repeat": Repeat}

    first_start = MomentField(label=_("首场开始时间"), widget=DATETIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=_("每场时长（分钟）"), min_value=1, max_value=24 * 60, initial=120
    )
    repeat = forms.ChoiceField(label=_("重复"), choices=Repeat.choices, initial=Repeat.ONCE)
    count = forms.IntegerField(
        label=_("场次数"), min_value=1, max_value=domain.MAX_SESSIONS_PER_CALL, initial=1
    )
    capacity = forms.IntegerField(
        label=_("每场名额"),
        min_value=1,
        max_value=domain.MAX_CAPACITY,
        required=False,
        help_text=_("按场次报名时填写；留空同活动名额"),
    )
    place = forms.CharField(
        label=_("场次地点"), max_length=200, required=False, help_text=_("留空同活动地点")
    )

    def clean(self):
        cleaned = super().clean()
        self.show_domain_errors(domain.clean_schedule(cleaned).errors)
        return cleaned


class ChildForm(SpeaksLikeTheAPI, forms.Form):
    """The child's details on the phone sign-up form (托管班)."""

    child_name = forms.CharField(label=_("子女姓名"), max_length=40, required=False)
    child_birth_date = forms.CharField(
        label=_("出生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    child_id_number = forms.CharField(
        label=_("身份证号（选填）"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    def details(self) -> dict:
        """The child's details as typed, for services.signup_for (which cleans them)."""
        return {key: self.cleaned_data.get(key, "") for key in self.fields}


class ProgrammeItemForm(SpeaksLikeTheAPI, forms.Form):
    names = {
        "title": _("节目名称"),
        "duration_minutes": _("时长（分钟）"),
    }  # as clean_programme_item

    title = forms.CharField(label=_("节目名称"), max_length=102)
    genre = forms.CharField(
        label=_("节目形式"),
        max_length=40,
        required=False,
        help_text=_("如 歌舞、舞蹈、经典吟诵、情景剧"),
    )
    performers = forms.CharField(label=_("表演者"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(
        label=_("时长（分钟）"), min_value=1, max_value=600, required=False
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        self.show_domain_errors(domain.clean_programme_item(cleaned).errors)
        return cleaned
