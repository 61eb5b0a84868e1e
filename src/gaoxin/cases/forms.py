"""Page forms. They type and render input; the services clean it again with the words
the API uses, and a refusal lands next to its field through `errors_to_form`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.cases.enums import (
    AidKind,
    CaseOrigin,
    CaseOutcome,
    DemandCategory,
    DemandSource,
    Satisfaction,
)
from gaoxin.core.attachments import AttachmentField
from gaoxin.core.forms import (
    DayField,
    choice_words,
    day_words,
    integer_words,
    speak_like_the_services,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CasesForm(forms.Form):
    """Every field's own checks speak core.cleaning's words (请填写…, …格式应为 YYYY-MM-DD)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            speak_like_the_services(field)
            if isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and getattr(
                field, "enum", None
            ):
                choice_words(field, field.enum)
            elif isinstance(field, forms.DateField):
                day_words(field)
            elif isinstance(field, forms.IntegerField):
                integer_words(field)


def _choice(label, enum, **kw) -> forms.ChoiceField:
    field = forms.ChoiceField(label=label, choices=[("", "——"), *enum.choices], **kw)
    field.enum = enum
    return field


class AskForm(CasesForm):
    title = forms.CharField(label=_("诉求标题"), max_length=100)
    category = _choice(_("类别"), DemandCategory, required=False)
    detail = forms.CharField(label=_("诉求内容"), max_length=5000, widget=TEXTAREA, required=False)


class RateForm(CasesForm):
    satisfaction = _choice(_("满意度"), Satisfaction)
    comment = forms.CharField(label=_("评价意见"), max_length=500, required=False)


class DemandForm(CasesForm):
    title = forms.CharField(label=_("诉求标题"), max_length=100)
    category = _choice(_("类别"), DemandCategory)
    source = _choice(_("来源"), DemandSource)
    meeting_id = forms.TypedChoiceField(
        label=_("联席会议"), coerce=int, required=False, empty_value=None
    )
    detail = forms.CharField(label=_("诉求内容"), max_length=5000, widget=TEXTAREA, required=False)
    due_on = DayField(label=_("办理期限"), required=False, widget=DATE)
    enterprise_ids = forms.TypedMultipleChoiceField(label=_("涉及企业"), coerce=int, required=False)

    def __init__(self, *args, meetings=(), enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_id"].choices = [("", "——")] + [(m.pk, str(m)) for m in meetings]
        self.fields["enterprise_ids"].choices = [(e.pk, e.name) for e in enterprises]


class NoteForm(CasesForm):
    note = forms.CharField(label=_("办理情况"), max_length=5000, widget=TEXTAREA)


class ResolveForm(CasesForm):
    resolution = forms.CharField(label=_("办理结果"), max_length=5000, widget=TEXTAREA)


class ReferForm(CasesForm):
    department_id = forms.TypedChoiceField(label=_("承办部门"), coerce=int)
    due_on = DayField(label=_("回复期限"), widget=DATE)
    note = forms.CharField(label=_("转办说明"), max_length=5000, widget=TEXTAREA, required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department_id"].choices = [("", "——")] + [(d.pk, d.name) for d in departments]


class MeetingForm(CasesForm):
    held_on = DayField(label=_("会议日期"), widget=DATE)
    title = forms.CharField(label=_("会议名称"), max_length=100)
    minutes = forms.CharField(
        label=_("会议纪要"), max_length=20000, widget=TEXTAREA, required=False
    )
    enterprise_ids = forms.TypedMultipleChoiceField(label=_("参会企业"), coerce=int, required=False)
    department_ids = forms.TypedMultipleChoiceField(label=_("参会部门"), coerce=int, required=False)

    def __init__(self, *args, enterprises=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_ids"].choices = [(e.pk, e.name) for e in enterprises]
        self.fields["department_ids"].choices = [(d.pk, d.name) for d in departments]


class CaseOpenForm(CasesForm):
    title = forms.CharField(label=_("个案名称"), max_length=100)
    person_id = forms.TypedChoiceField(label=_("帮扶对象"), coerce=int)
    origin = _choice(_("来源"), CaseOrigin)
    summary = forms.CharField(label=_("情况摘要"), max_length=5000, widget=TEXTAREA, required=False)
    officer_ids = forms.TypedMultipleChoiceField(label=_("其他经办人"), coerce=int, required=False)

    def __init__(self, *args, people=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_id"].choices = [("", "——")] + [(p.pk, p.name) for p in people]
        self.fields["officer_ids"].choices = [
            (u.pk, u.display_name or u.username) for u in officers
        ]


class StepForm(CasesForm):
    note = forms.CharField(label=_("情况记录"), max_length=5000, widget=TEXTAREA, required=False)


class AidForm(CasesForm):
    kind = _choice(_("帮扶类型"), AidKind)
    amount = forms.CharField(
        label=_("金额"), max_length=20, help_text=_("单位：元，如 2000 或 2000.50")
    )
    period_start = DayField(label=_("所属期间起"), widget=DATE)
    period_end = DayField(label=_("所属期间止"), widget=DATE)
    reason = forms.CharField(label=_("申请理由"), max_length=2000, widget=TEXTAREA, required=False)


class CloseForm(CasesForm):
    outcome = _choice(_("结果"), CaseOutcome)
    note = forms.CharField(label=_("结案说明"), max_length=5000, widget=TEXTAREA)


class CaseFileForm(forms.Form):
    """A file for the case (申请材料、病历、走访照片); AttachmentField speaks core's words."""

    file = AttachmentField(
        label=_("选择文件"), help_text=_("PDF、JPG、PNG 或 Office（Word、Excel、PowerPoint）文件")
    )


class ReplyForm(CasesForm):
    reply = forms.CharField(label=_("部门回复"), max_length=5000, widget=TEXTAREA)
