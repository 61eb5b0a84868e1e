"""Back-office programme (节目单) pages: the editor (add, edit, move, delete) and the
printable programme."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaoxin.activities import selectors, services
from gaoxin.activities.forms import ProgrammeItemForm
from gaoxin.activities.views.common import (
    REFUSALS,
    error_text,
    office_login_required,
    posted_id,
    render_office,
)


@office_login_required
def programme(request, activity_id: int):
    """The 节目单 editor: add, edit, move up/down, delete."""
    user = request.user
    activity = selectors.activity_get_for_manager(user=user, activity_id=activity_id)
    editing = None
    if request.GET.get("edit", "").isdigit():
        editing = selectors.programme_item_get(activity=activity, item_id=int(request.GET["edit"]))
    if request.method == "POST":
        action = request.POST.get("action", "add")
        item_id = posted_id(request, "item_id")
        item = None
        if item_id is not None or action in ("up", "down", "delete"):  # none named: not found
            item = selectors.programme_item_get(activity=activity, item_id=item_id or 0)
        try:
            if action == "up":
                services.programme_item_move(
                    actor=user, item=item, position=max(item.position - 1, 1)
                )
            elif action == "down":
                services.programme_item_move(actor=user, item=item, position=item.position + 1)
            elif action == "delete":
                services.programme_item_delete(actor=user, item=item)
                messages.success(request, _("已删除节目《%(title)s》") % {"title": item.title})
            else:
                form = ProgrammeItemForm(request.POST)
                if not form.is_valid():
                    return _programme_page(request, activity, form, item)
                if item is not None:
                    services.programme_item_update(actor=user, item=item, data=form.cleaned_data)
                    messages.success(request, _("节目已修改"))
                else:
                    services.programme_item_add(
                        actor=user, activity=activity, data=form.cleaned_data
                    )
                    messages.success(request, _("节目已添加"))
        except REFUSALS as exc:
            messages.error(request, error_text(exc))
        return redirect("activities:office-programme", activity_id=activity.pk)
    form = ProgrammeItemForm(
        initial={k: getattr(editing, k) for k in ProgrammeItemForm.base_fields} if editing else None
    )
    return _programme_page(request, activity, form, editing)


def _programme_page(request, activity, form, editing):
    return render_office(
        request,
        "activities/office/programme.html",
        {
            "title": _("节目单"),
            "subtitle": activity.title,
            "activity": activity,
            "items": list(selectors.programme_of(activity)),
            "form": form,
            "editing": editing,
            "editable": activity.status in services.EDITABLE
            and request.user.has_perm("activities.change_activity"),
        },
    )


@office_login_required
def programme_print(request, activity_id: int):
    activity = selectors.activity_get_for_manager(user=request.user, activity_id=activity_id)
    return render(
        request,
        "activities/office/programme_print.html",
        {
            "activity": activity,
            "items": list(selectors.programme_of(activity)),
            "first": selectors.sessions_of(activity).first(),
        },
    )
