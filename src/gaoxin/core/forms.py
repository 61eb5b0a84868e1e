"""Back-office forms: the base every admin form uses (`ServiceBackedForm`), logins and
passwords, the date fields every office form uses, and `errors_to_form`.

The admin never writes models itself: these forms only validate, with the same
cleaning the services use, so a bad value is reported next to its field and
nothing is written. The admin then hands `service_data()` to a service, which
cleans again, writes and audits. (The registry's forms: `gaoxin.registry.forms`.)

Personal identifiers are typed in plaintext inputs that always start empty:
on a change page an empty input means "keep what is stored", so a page never
has to decrypt anything to render.
"""

from django import forms
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth.forms import SetPasswordMixin, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from gaoxin.core import cleaning, services
from gaoxin.core.cleaning import day_in_range, day_range_message, moment_in_range
from gaoxin.core.enums import Role
from gaoxin.core.errors import ApplicationError, InvalidInput
from gaoxin.core.models import User

KEEP_HELP = _("留空表示不修改")


def keep_help(masked: str):
    if not masked:
        return KEEP_HELP
    return _("当前：%(masked)s。留空表示不修改") % {"masked": masked}


def speak_like_the_services(field: forms.Field) -> None:
    """Django's own checks on a form field (blank, too long) say what core.cleaning says:
    "请填写企业名称", "企业名称不能超过 100 个字", not "这个字段是必填项。"."""
    field.error_messages["required"] = cleaning.required_message(field.label)
    limit = getattr(field, "max_length", None)
    if limit:
        field.validators = [
            MaxLengthValidator(limit, message=cleaning.too_long_message(field.label, limit))
            if isinstance(v, MaxLengthValidator)
            else v
            for v in field.validators
        ]


def speak_like_the_services_on(form: forms.Form, *names: str) -> None:
    """`speak_like_the_services` for several fields of a form."""
    for name in names:
        speak_like_the_services(form.fields[name])


def integer_words(field: forms.IntegerField) -> None:
    """Blank, not a whole number and out of range read as core.cleaning says."""
    label = field.label
    in_range = cleaning.range_message(label, field.min_value, field.max_value)
    field.error_messages.update(
        required=cleaning.required_message(label),
        invalid=cleaning.not_integer_message(label),
        min_value=in_range,
        max_value=in_range,
    )


def choice_words(field: forms.ChoiceField, choices) -> None:
    """Nothing chosen, or a value not on offer, reads as core.cleaning says."""
    field.error_messages.update(
        required=cleaning.choice_message(field.label, "", choices),
        # Django puts the value sent in place of %(value)s
        invalid_choice=cleaning.choice_message(field.label, "%(value)s", choices),
    )


def day_words(field: forms.DateField) -> None:
    """A day that is not one reads as core.cleaning says ("开始日期格式应为 YYYY-MM-DD")."""
    field.error_messages["invalid"] = cleaning.day_format_message(field.label)


def moment_words(field: forms.DateTimeField) -> None:
    """Blank, or a time that is not one, reads as core.cleaning says."""
    field.error_messages.update(
        required=cleaning.required_message(field.label),
        invalid=cleaning.moment_format_message(field.label),
    )


class ServiceBackedForm(forms.ModelForm):
    """A ModelForm that validates for a service and never touches its instance.

    `actor` is set on the per-request form class by the admin, so checks that
    depend on the user's zone (duplicates, the employer's zone) can run here.
    """

    actor: User | None = None
    service_fields: tuple[str, ...] = ()
    secret_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in (*self.service_fields, *self.secret_fields):
            if key in self.fields:
                speak_like_the_services(self.fields[key])

    def _post_clean(self):
        # Model validation would run against raw input (a USCC typed with
        # spaces is too long before it is normalised) and copy values onto
        # the instance; the service owns both, so skip it.
        pass

    @property
    def changing(self) -> bool:
        return self.instance.pk is not None

    def target_zone(self):
        """The zone the record lives in or will be created in."""
        if self.changing:
            return self.instance.zone
        if "zone" in self.fields:
            return self.cleaned_data.get("zone")
        return self.actor.zone if self.actor is not None else None

    def service_data(self) -> dict:
        """What to pass to the service: an empty secret input on a change means unchanged."""
        data = {k: self.cleaned_data[k] for k in self.service_fields if k in self.cleaned_data}
        for key in self.secret_fields:
            value = self.cleaned_data.get(key) or ""
            if value or not self.changing:
                data[key] = value
        return data

    def add_service_errors(self, errors: dict) -> None:
        for key, message in errors.items():
            field = key if key in self.fields else None
            if field is None or field not in self.errors:  # one message per field
                self.add_error(field, message)


class PasswordMessagesMixin:
    """Password validator errors from services.password_problems, so they are
    Chinese on Chinese pages (Django's own "too short" message is not)."""

    def validate_password_for_user(self, user, password_field_name="password2", **kwargs):
        password = self.cleaned_data.get(password_field_name)
        if password and self.cleaned_data.get("set_usable_password", True):
            for message in services.password_problems(password, user):
                self.add_error(password_field_name, message)


class OwnPasswordChangeForm(PasswordMessagesMixin, AdminPasswordChangeForm):
    """A user's own password change (admin header "修改密码"): the current
    password, then the new one twice. Saved by the site's view through
    services.user_set_password, never by `save()`."""

    def save(self, commit=True):
        raise RuntimeError("passwords are set by services.user_set_password")


def _role_choices(actor):
    grantable = services.user_roles_grantable(actor=actor)
    return [(value, label) for value, label in Role.choices if value in grantable]


class UserAddForm(PasswordMessagesMixin, UserCreationForm):
    """New login, created through services.user_create (which audits it).

    A zone-bound creator can only create users of their own zone (the admin
    leaves the zone field out for them) and cannot grant cross-zone roles or
    superuser status.
    """

    actor: User | None = None

    roles = forms.MultipleChoiceField(
        label=_("角色"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Role.choices,
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "display_name", "zone", "person"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = _role_choices(self.actor)

    def target_zone(self):
        if "zone" in self.fields:
            return self.cleaned_data.get("zone")
        return self.actor.zone if self.actor is not None else None

    def clean(self):
        cleaned = super().clean()
        zone = self.target_zone()
        roles = set(cleaned.get("roles") or [])
        superuser = bool(cleaned.get("is_superuser"))
        if zone is None and not superuser and roles != {Role.NATIONAL_VIEWER.value}:
            self.add_error(
                "zone" if "zone" in self.fields else None,
                _("跨园区账号只能是平台管理员或全国统计查看，其他账号请选择所属园区"),
            )
        person = cleaned.get("person")
        if person is not None and (zone is None or person.zone_id != zone.pk):
            self.add_error("person", _("对应人员不属于该园区"))
        return cleaned

    def save(self, commit=True):
        # services.user_create hashes the password once and writes the user.
        if commit:
            raise RuntimeError("users are created by services.user_create")
        return self.instance


class UserEditForm(ServiceBackedForm):
    """Changes to a login, saved by services.user_update (which checks and
    audits them) and checked here with the same rules, so a refusal such as
    "不能停用自己的账号" appears next to its field. Username and zone are fixed
    once created (the admin shows them read-only); roles the actor may not
    grant are neither offered nor taken away.
    """

    roles = forms.MultipleChoiceField(
        label=_("角色"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Role.choices,
    )

    service_fields = ("display_name", "person", "is_active", "is_superuser", "roles")

    class Meta:
        model = User
        fields = ["display_name", "person", "is_active", "is_superuser"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_roles = set(self.instance.groups.values_list("name", flat=True))
        if "roles" in self.fields:
            self.fields["roles"].choices = _role_choices(self.actor)
            self.initial.setdefault("roles", sorted(self.current_roles))

    def service_data(self) -> dict:
        data = super().service_data()
        if "roles" in data:
            hidden = self.current_roles - services.user_roles_grantable(actor=self.actor)
            data["roles"] = sorted(set(data["roles"]) | hidden)
        return data

    def clean(self):
        cleaned = super().clean()
        try:
            services.user_update_clean(
                actor=self.actor, user=self.instance, data=self.service_data()
            )
        except InvalidInput as exc:
            self.add_service_errors(exc.fields)
        except ApplicationError as exc:
            self.add_error(None, exc.message)
        return cleaned


class UserPasswordForm(PasswordMessagesMixin, SetPasswordMixin, forms.Form):
    """An officer sets someone's password on the admin's "change password"
    page. Only validates: services.user_set_password writes and audits. No
    "disable password login" choice: the service always sets a password."""

    required_css_class = "required"
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].widget.attrs["autofocus"] = True

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        return super().clean()

    @property
    def changed_data(self):  # for the admin's own action log: never the values
        return ["password"] if self.is_bound else []

    def save(self, commit=True):
        raise RuntimeError("passwords are set by services.user_set_password")


# ------------------------------------------------------ dates every office form uses


class DayField(forms.DateField):
    """A date within MIN_DAY..MAX_DAY (core.cleaning): year 1 or 9999 is a field error
    that names the field, as the API does."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not day_in_range(day):
            raise ValidationError(day_range_message(self.label or ""), code="out_of_range")
        return day


class MomentField(forms.DateTimeField):
    """A time whose local day is within MIN_DAY..MAX_DAY; checked before Django makes it
    aware, which at year 1 overflows and before 1901 gives Shanghai's +08:05:43."""

    def to_python(self, value):
        try:
            moment = super().to_python(value)
        except OverflowError:
            raise ValidationError(
                day_range_message(self.label or ""), code="out_of_range"
            ) from None
        if moment is not None and not moment_in_range(moment):
            raise ValidationError(day_range_message(self.label or ""), code="out_of_range")
        return moment


# ------------------------------------------------ service errors on a page's form


def errors_to_form(form: forms.Form, exc: ApplicationError, aliases: dict | None = None) -> None:
    """A service's refusal shown on the page's form in the API's words: each of
    `exc.fields` next to its field (`aliases` maps a service's name to the form's;
    an unknown key goes on top), and `exc.message` on top unless the field messages
    already say it (InvalidInput's general "提交的数据有误" is not repeated)."""
    aliases = aliases or {}
    for key, message in exc.fields.items():
        target = aliases.get(key, key)
        target = target if target in form.fields else None
        if target is None or target not in form.errors:  # one message per field
            form.add_error(target, str(message))
    shown = {str(m) for m in exc.fields.values()}
    if not exc.fields or not (isinstance(exc, InvalidInput) or exc.message in shown):
        form.add_error(None, exc.message)
