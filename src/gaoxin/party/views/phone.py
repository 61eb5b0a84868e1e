"""The instructor's phone page: log a visit on the spot, to a firm assigned to them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.errors import Forbidden
from gaoxin.core.forms import errors_to_form
from gaoxin.core.intake import intake_categories
from gaoxin.core.tenancy import request_zone
from gaoxin.party import selectors, services
from gaoxin.party.forms import VisitForm
from gaoxin.party.models import InstructorAssignment
from gaoxin.party.views.common import REFUSALS, phone_login_required, status_of
from gaoxin.registry.models import Enterprise


def _my_firms(user, zone_id: int, today):
    ids = (
        InstructorAssignment.objects.filter(
            zone_id=zone_id, instructor_id=user.pk, start_on__lte=today
        )
        .exclude(end_on__lt=today)
        .values_list("enterprise_id", flat=True)
    )
    return list(Enterprise.objects.filter(zone_id=zone_id, pk__in=list(ids)).order_by("name"))


@phone_login_required
def visit(request):
    if not request.user.has_perm("party.add_instructorvisit"):
        raise Forbidden()
    zone = request_zone(request)
    today = timezone.localdate()
    form = VisitForm(
        request.POST or None,
        firms=_my_firms(request.user, zone.pk, today),
        demand_categories=intake_categories("demand"),
        initial={"visited_on": today},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_log(
                actor=request.user,
                zone=zone,
                data=form.visit_data(),
                demand=form.demand_data(),
            )
        except REFUSALS as exc:
            errors_to_form(form, exc)
            status = status_of(exc)
        else:
            if visit.demand_id:
                messages.success(request, _("走访已记录，诉求已登记，将跟踪办理"))
            else:
                messages.success(request, _("走访已记录"))
            return redirect("party:m-visit")
    elif request.method == "POST":
        status = 422
    context = {
        "form": form,
        "stale": selectors.stale_firms(zone_id=zone.pk, today=today, instructor_id=request.user.pk),
        "mine": selectors.visits_for_user(user=request.user, zone_id=zone.pk).filter(
            instructor_id=request.user.pk
        )[:10],
    }
    return render(request, "party/phone/visit.html", context, status=status)
