"""The figures of the page, computed from the pipeline records, with the records behind
each number: "3 年以来累计发展 5 人入党，培养入党积极分子 7 人", and the 双覆盖 rate."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from gaoxin.core.models import User
from gaoxin.core.rules import require
from gaoxin.party.enums import Stage
from gaoxin.party.models import PartyOrgEnterprise, StageRecord, UnionCoverage
from gaoxin.registry.models import Enterprise


def development_figures(*, user: User, zone_id: int, start: dt.date, end: dt.date) -> dict:
    """发展入党 = became 预备党员 in [start, end]; 培养积极分子 = became 入党积极分子 in it."""
    require(user, "party.view_candidate", zone_id=zone_id)
    records = StageRecord.objects.filter(
        zone_id=zone_id, on__gte=start, on__lte=end
    ).select_related("candidate__person")
    joined = list(records.filter(stage=Stage.PROBATIONARY))
    activists = list(records.filter(stage=Stage.ACTIVIST))
    years = round((end - start).days / 365.25)
    sentence = _(
        "%(years)s 年以来累计发展 %(joined)s 人入党，培养入党积极分子 %(activists)s 人"
    ) % {
        "years": years,
        "joined": len(joined),
        "activists": len(activists),
    }
    return {"sentence": sentence, "joined": joined, "activists": activists}


def coverage(*, user: User, zone_id: int, on: dt.date) -> dict:
    """Of the zone's gig-economy (新业态) firms on `on`: covered by a party organisation,
    by a union, by both (双覆盖)."""
    require(user, "party.view_partyorg", zone_id=zone_id)
    firms = set(
        Enterprise.objects.filter(zone_id=zone_id, is_new_economy=True).values_list("pk", flat=True)
    )
    party = set(
        PartyOrgEnterprise.objects.filter(zone_id=zone_id, since__lte=on)
        .filter(Q(enterprise_id__in=firms))
        .values_list("enterprise_id", flat=True)
    )
    union = set(
        UnionCoverage.objects.filter(
            zone_id=zone_id, since__lte=on, enterprise_id__in=firms
        ).values_list("enterprise_id", flat=True)
    )
    both = party & union
    total = len(firms)

    def rate(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    return {
        "on": on,
        "firms": total,
        "party": len(party),
        "union": len(union),
        "both": len(both),
        "party_rate": rate(len(party)),
        "union_rate": rate(len(union)),
        "both_rate": rate(len(both)),
    }
