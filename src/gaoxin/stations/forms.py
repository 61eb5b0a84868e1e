"""Forms of the stations pages.

They only parse and check what a page can check on its own (required fields,
numbers, dates, choices); the services check again, write and audit, and any
refusal of theirs (InvalidInput.fields) is put back next to the field it names
with `gaoxin.core.forms.errors_to_form`.
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.core import auth, cleaning
from gaoxin.core.enums import JobType
from gaoxin.core.errors import InvalidInput
from gaoxin.core.forms import (
    DayField,
    choice_words,
    day_words,
    errors_to_form,
    integer_words,
    speak_like_the_services_on,
)
from gaoxin.stations import coords, hours, services
from gaoxin.stations.enums import WEEKDAY_LABELS, WEEKDAYS, Amenity, StationKind

AMENITY_LABELS = dict(Amenity.choices)


def amenity_choices(values) -> list[tuple[str, str]]:
    return [(v, AMENITY_LABELS.get(v, v)) for v in values]


def zone_select(zones) -> forms.Select:
    """The zone picker of a cross-zone account. Only a widget: which zone a request acts
    in, and what a zone one may not see answers, is core.tenancy.request_zone's to say."""
    return forms.Select(choices=[("", _("（请选择园区）")), *((z.pk, z.name) for z in zones)])


# ---------------------------------------------- the words of core.cleaning on Django's checks


class ServicesForm(forms.Form):
    """The services a worker used at a station, as big toggle chips."""

    services = forms.MultipleChoiceField(
        label=_("本次使用的服务"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("“%(value)s”不是本站提供的服务")},
    )

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = amenity_choices(station.amenities)


class RegisterForm(ServicesForm):
    """First visit: a phone number and a job type register the worker in the station's zone."""

    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "numeric",
                "autocomplete": "tel",
                "placeholder": _("11 位手机号"),
            }
        ),
    )
    job_type = forms.ChoiceField(
        label=_("职业类型"),
        choices=JobType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择职业类型"), "invalid_choice": _("请选择职业类型")},
    )
    name = forms.CharField(
        label=_("称呼（可不填）"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("如：王师傅")}),
    )

    pin = forms.CharField(
        label=_("设置 6 位数字密码（可不填）"),
        required=False,
        strip=True,
        help_text=_("设置后，换手机或清除浏览器数据也能凭手机号和密码登录，查看签到记录。"),
        widget=forms.PasswordInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "new-password",
                "maxlength": auth.PIN_LENGTH,
                "placeholder": "••••••",
            }
        ),
    )

    field_order = ["phone", "job_type", "name", "pin", "services"]

    def __init__(self, *args, with_pin: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        speak_like_the_services_on(self, "phone")
        self.fields["name"].error_messages["max_length"] = cleaning.too_long_message(
            gettext("称呼"), 40
        )
        if not with_pin:  # a logged-in user registers someone else, who gets no login
            del self.fields["pin"]

    def clean(self):
        data = super().clean()
        if data.get("pin"):
            # The service's own check, here before anything is registered, in its words.
            try:
                data["pin"] = services.first_visit_pin(data["pin"], phone=data.get("phone", ""))
            except InvalidInput as exc:
                errors_to_form(self, exc)
        return data


class PinForm(forms.Form):
    """A logged-in worker sets a PIN, or changes it (then the current one is needed)."""

    current_pin = forms.CharField(
        label=_("当前密码"),
        required=False,
        widget=forms.PasswordInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "current-password",
                "maxlength": auth.PIN_LENGTH,
            }
        ),
    )
    pin = forms.CharField(
        label=_("新的 6 位数字密码"),
        error_messages={"required": _("请填写新密码")},
        widget=forms.PasswordInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "new-password",
                "maxlength": auth.PIN_LENGTH,
            }
        ),
    )

    def __init__(self, *args, has_pin: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_pin:
            del self.fields["current_pin"]


class WalkinForm(ServicesForm):
    """A keeper's count of people served who did not scan ("今天 12 人次饮水")."""

    visits = forms.IntegerField(
        label=_("人次"),
        min_value=1,
        max_value=services.MAX_WALKINS_PER_ENTRY,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "min": 1, "max": services.MAX_WALKINS_PER_ENTRY}
        ),
    )
    day = DayField(
        label=_("日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("备注（可不填）"), max_length=100, required=False)

    field_order = ["visits", "services", "day", "note"]

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, station=station, **kwargs)
        integer_words(self.fields["visits"])
        day_words(self.fields["day"])
        self.fields["note"].error_messages["max_length"] = cleaning.too_long_message(
            gettext("备注"), 100
        )
        self.fields["services"].label = _("提供的服务")
        self.fields["day"].initial = timezone.localdate()

    def clean_day(self) -> dt.date:
        return self.cleaned_data.get("day") or timezone.localdate()


class StationForm(forms.Form):
    """Create or edit a station. Hours are either 24 h or one text per weekday."""

    CRS_CHOICES = [
        ("wgs84", _("WGS-84（GPS、手机定位）")),
        ("gcj02", _("GCJ-02（高德、腾讯地图）")),
        ("bd09", _("BD-09（百度地图）")),
    ]

    zone = forms.CharField(label=_("园区"), required=False)
    name = forms.CharField(label=_("驿站名称"), max_length=80)
    kind = forms.ChoiceField(label=_("驿站类型"), choices=StationKind.choices)
    address = forms.CharField(label=_("地址"), max_length=200)
    # Text, not FloatField: the service explains a swapped or impossible position best.
    lat = forms.CharField(label=_("纬度"), max_length=30)
    lng = forms.CharField(label=_("经度"), max_length=30)
    crs = forms.ChoiceField(
        label=_("坐标系"),
        choices=CRS_CHOICES,
        initial="gcj02",
        help_text=_("高德/腾讯地图坐标选 GCJ-02，百度选 BD-09，手机 GPS 选 WGS-84"),
    )
    is_24h = forms.BooleanField(label=_("24 小时开放"), required=False)
    amenities = forms.MultipleChoiceField(
        label=_("服务设施"),
        choices=Amenity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("可容纳人数"),
        initial=10,
        min_value=1,
        max_value=1000,
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    keeper = forms.ModelChoiceField(
        label=_("站长"),
        queryset=None,
        required=False,
        empty_label=_("（暂无站长）"),
        error_messages={"invalid_choice": _("站长必须是本园区的驿站站长账号")},
    )

    def __init__(self, *args, keepers, zones=None, station=None, **kwargs):
        """`zones`: the zones a cross-zone account may pick for a new station; without
        them there is no zone field (the station's own, or the account's own zone)."""
        if station is not None:
            kwargs.setdefault("initial", self.initial_for(station))
        super().__init__(*args, **kwargs)
        self.station = station
        speak_like_the_services_on(self, "name", "address", "lat", "lng", "phone")
        choice_words(self.fields["kind"], StationKind)
        integer_words(self.fields["capacity"])
        self.fields["keeper"].queryset = keepers
        if zones is None:
            del self.fields["zone"]
        else:
            self.fields["zone"].widget = zone_select(zones)
        for day in WEEKDAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=WEEKDAY_LABELS[day],
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"placeholder": "08:00-20:00", "size": 24}),
            )

    @staticmethod
    def initial_for(station) -> dict:
        def text(day):
            return ", ".join(
                f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
                for a, b in (station.hours or {}).get(day, [])
            )

        return {
            "name": station.name,
            "kind": station.kind,
            "address": station.address,
            "lat": f"{station.lat:.7f}",
            "lng": f"{station.lng:.7f}",
            "crs": "wgs84",
            "is_24h": station.is_24h,
            "amenities": station.amenities,
            "capacity": station.capacity,
            "phone": station.phone,
            "keeper": station.keeper_id,
            **{f"hours_{d}": text(d) for d in WEEKDAYS},
        }

    def _number(self, key: str, label: str) -> float | str:
        text = self.cleaned_data.get(key, "").strip().replace("，", ".").replace("。", ".")
        try:
            return float(text)
        except ValueError:
            raise forms.ValidationError(
                _("%(label)s应为数字，如 23.3352") % {"label": label}, code="invalid"
            ) from None

    def clean_lat(self):
        return self._number("lat", _("纬度"))

    def clean_lng(self):
        return self._number("lng", _("经度"))

    def hour_fields(self):
        return [self[f"hours_{d}"] for d in WEEKDAYS]

    def clean(self):
        data = super().clean()
        # The service checks all of this again; checking here too shows every
        # mistake at once, each next to its own field.
        if isinstance(data.get("lat"), float) and isinstance(data.get("lng"), float):
            try:
                coords.check_in_china(
                    *coords.to_wgs84(data["lat"], data["lng"], data.get("crs") or "wgs84")
                )
            except InvalidInput as exc:
                errors_to_form(self, exc)
        # Check each weekday here so a bad range is shown next to its own day.
        for day in WEEKDAYS:
            key = f"hours_{day}"
            if key in data and not data.get("is_24h"):
                try:
                    hours.parse_ranges(data[key])
                except InvalidInput as exc:
                    errors_to_form(self, exc, aliases={"hours": key})
        return data

    def zone_id(self) -> str | None:
        """The zone named on the page, for core.tenancy.request_zone (None: the account's
        own). Read as sent, with or without a zone field: a zone one may not see is a 404."""
        return self.data.get("zone") or None

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {
            k: d[k]
            for k in (
                "name",
                "kind",
                "address",
                "lat",
                "lng",
                "crs",
                "is_24h",
                "amenities",
                "capacity",
                "phone",
            )
        }
        data["keeper"] = d["keeper"].pk if d.get("keeper") else None
        data["hours"] = {} if d["is_24h"] else {day: d[f"hours_{day}"] for day in WEEKDAYS}
        return data


class StatsFilterForm(forms.Form):
    zone = forms.CharField(label=_("园区"), required=False, widget=forms.HiddenInput)
    since = DayField(
        label=_("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = DayField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, zones=None, **kwargs):
        """`zones`: the zones a cross-zone account may pick (else the field stays hidden)."""
        super().__init__(*args, **kwargs)
        day_words(self.fields["since"])
        day_words(self.fields["until"])
        if zones is not None:
            self.fields["zone"].widget = zone_select(zones)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("结束日期不能早于开始日期"))
        return data
