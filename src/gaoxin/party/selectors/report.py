"""The party program's figures for the reports (core.figures): counted from the pipeline
and visit records of one zone and period, each naming the API list that adds up to it."""

import datetime as dt
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from gaoxin.core.figures import Figure
from gaoxin.core.numbers import cn_exact
from gaoxin.party.enums import Stage
from gaoxin.party.models import InstructorVisit, StageRecord


def _url(path: str, **params) -> str:
    return f"/api/v1/{path}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def figures(zone_id: int, since: dt.date, until: dt.date) -> list[Figure]:
    period = {"zone_id": zone_id, "since": since.isoformat(), "until": until.isoformat()}
    steps = StageRecord.objects.filter(zone_id=zone_id, on__gte=since, on__lte=until)
    joined = steps.filter(stage=Stage.PROBATIONARY).values("candidate_id").distinct().count()
    activists = steps.filter(stage=Stage.ACTIVIST).values("candidate_id").distinct().count()
    visits = InstructorVisit.objects.filter(
        zone_id=zone_id, visited_on__gte=since, visited_on__lte=until
    ).count()
    return [
        Figure(
            key="party.new_members",
            label=_("发展党员"),
            value=joined,
            unit=_("人"),
            text=_("发展 %(n)s 人入党") % {"n": cn_exact(joined)},
            records_url=_url("candidates", reached=Stage.PROBATIONARY.value, **period),
        ),
        Figure(
            key="party.activists",
            label=_("培养入党积极分子"),
            value=activists,
            unit=_("人"),
            text=_("培养入党积极分子 %(n)s 人") % {"n": cn_exact(activists)},
            records_url=_url("candidates", reached=Stage.ACTIVIST.value, **period),
        ),
        Figure(
            key="party.instructor_visits",
            label=_("党建指导员走访"),
            value=visits,
            unit=_("次"),
            text=_("党建指导员走访企业 %(n)s 次") % {"n": cn_exact(visits)},
            records_url=_url("instructor-visits", **period),
        ),
    ]
