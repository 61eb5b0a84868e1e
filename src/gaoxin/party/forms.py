"""Page forms. They type and render input; the services clean it again with the words
the API uses, and a refusal lands next to its field through `errors_to_form`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.attachments import AttachmentField
from gaoxin.core.forms import DayField, choice_words, day_words, speak_like_the_services
from gaoxin.party.enums import Stage

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            speak_like_the_services(field)
            if isinstance(field, forms.DateField):
                day_words(field)


class AdvanceForm(PartyForm):
    stage = forms.ChoiceField(label=_("推进到的阶段"), choices=Stage.choices)
    on = DayField(label=_("日期"), widget=DATE)
    document = forms.CharField(label=_("决议或材料"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choice_words(self.fields["stage"], Stage)


def _pick(label):
    return forms.TypedChoiceField(label=label, coerce=int, choices=())


class CoverForm(PartyForm):
    """An organisation covers a firm (组织覆盖)."""

    org_id = _pick(_("党组织"))
    enterprise_id = _pick(_("覆盖企业"))
    since = DayField(label=_("覆盖起始日期"), widget=DATE)

    def __init__(self, *args, orgs=(), firms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_id"].choices = [("", "—"), *orgs]
        self.fields["enterprise_id"].choices = [("", "—"), *firms]


class UnionForm(PartyForm):
    """A firm's trade union (工会覆盖)."""

    enterprise_id = _pick(_("企业"))
    union_name = forms.CharField(label=_("工会名称"), max_length=100)
    since = DayField(label=_("建会日期"), widget=DATE)

    def __init__(self, *args, firms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_id"].choices = [("", "—"), *firms]


class AssignForm(PartyForm):
    """An instructor assigned to a firm (挂点)."""

    instructor_id = _pick(_("党建指导员"))
    enterprise_id = _pick(_("挂点企业"))
    start_on = DayField(label=_("挂点开始日期"), widget=DATE)
    end_on = DayField(label=_("挂点结束日期"), widget=DATE, required=False)

    def __init__(self, *args, instructors=(), firms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor_id"].choices = [("", "—"), *instructors]
        self.fields["enterprise_id"].choices = [("", "—"), *firms]


class StepFileForm(forms.Form):
    """The resolution or document of one pipeline step (支部大会决议、思想汇报 …)."""

    file = AttachmentField(
        label=_("上传材料"), help_text=_("PDF、JPG、PNG 或 Office（Word、Excel、PowerPoint）文件")
    )


class VisitForm(PartyForm):
    enterprise_id = forms.TypedChoiceField(label=_("走访企业"), coerce=int, choices=())
    visited_on = DayField(label=_("走访日期"), widget=DATE)
    people_met = forms.CharField(label=_("见到的人"), max_length=200)
    topics = forms.CharField(label=_("交流内容"), max_length=5000, widget=TEXTAREA)
    findings = forms.CharField(
        label=_("了解到的情况"), max_length=5000, widget=TEXTAREA, required=False
    )
    follow_ups = forms.CharField(
        label=_("后续跟进"), max_length=5000, widget=TEXTAREA, required=False
    )

    demand_title = forms.CharField(
        label=_("反映的诉求（选填）"),
        max_length=100,
        required=False,
        help_text=_("走访中职工或企业提出的诉求，填写后交诉求办理并跟踪到办结"),
    )
    demand_category = forms.ChoiceField(label=_("诉求类别"), choices=(), required=False)
    demand_detail = forms.CharField(
        label=_("诉求内容"), max_length=5000, widget=TEXTAREA, required=False
    )

    def __init__(self, *args, firms=(), demand_categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_id"].choices = [(f.pk, f.name) for f in firms]
        self.fields["enterprise_id"].error_messages["invalid_choice"] = _("请选择挂点企业")
        if demand_categories:
            self.fields["demand_category"].choices = [("", "—"), *demand_categories]
        else:  # no program takes demands on this platform
            for name in ("demand_title", "demand_category", "demand_detail"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("demand_title") and not cleaned.get("demand_category"):
            self.add_error("demand_category", _("请选择诉求类别"))
        return cleaned

    def visit_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("demand_")}

    def demand_data(self) -> dict | None:
        if not self.cleaned_data.get("demand_title"):
            return None
        return {
            "title": self.cleaned_data["demand_title"],
            "category": self.cleaned_data["demand_category"],
            "detail": self.cleaned_data.get("demand_detail", ""),
        }
