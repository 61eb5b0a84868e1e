"""The department liaison's page: what was referred to their department, past-due ones
first; reply and close their part."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.cases import selectors, services
from gaoxin.cases.forms import ReplyForm
from gaoxin.cases.views.common import REFUSALS, render_office, status_of
from gaoxin.core import views_common
from gaoxin.core.errors import NotFound
from gaoxin.core.forms import errors_to_form

liaison_required = views_common.office_login_required(
    "cases.reply_referral", refusals_to="cases:liaison"
)


def _page(request, forms=None, status=200):
    referrals = list(selectors.referrals_for_user(user=request.user).order_by("status", "due_on"))
    today = timezone.localdate()
    forms = forms or {}
    for r in referrals:
        r.overdue = r.overdue_on(today)
        r.form = forms.get(r.pk) or ReplyForm(initial={"reply": r.reply})
    context = {"referrals": referrals, "title": _("转办事项")}
    return render_office(request, "cases/office/liaison.html", context, status)


@liaison_required
def referral_list(request):
    return _page(request)


@require_POST
@liaison_required
def referral_act(request, referral_id: int, verb: str):
    referral = selectors.referral_get(user=request.user, referral_id=referral_id)
    if verb == "close":
        try:
            services.referral_close(referral=referral, actor=request.user)
        except REFUSALS as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已办结"))
        return redirect("cases:liaison")
    if verb != "reply":
        raise NotFound()
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _page(request, {referral.pk: form}, 422)
    try:
        services.referral_reply(
            referral=referral, actor=request.user, reply=form.cleaned_data["reply"]
        )
    except REFUSALS as exc:
        errors_to_form(form, exc)
        return _page(request, {referral.pk: form}, status_of(exc))
    messages.success(request, _("已回复"))
    return redirect("cases:liaison")
