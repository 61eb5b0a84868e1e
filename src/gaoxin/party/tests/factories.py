"""Test data for the party program, made through its services."""

import datetime as dt

from gaoxin.core.tests.factories import valid_id_number
from gaoxin.party import services
from gaoxin.registry.tests.factories import person


def adult(zone, born: str = "19900101", **data):
    return person(zone, id_number=valid_id_number(birth=born), **data)


def org(
    zone, name: str = "新业态行业党支部", kind: str = "industry_branch", founded_on="2023-10-01"
):
    return services.org_create(
        actor=None, zone=zone, data={"name": name, "kind": kind, "founded_on": founded_on}
    )


def candidate(zone, party_org=None, applied_on="2020-03-01", who=None):
    party_org = party_org or org(zone)
    who = who or adult(zone)
    return services.candidate_apply(
        actor=None,
        zone=zone,
        data={
            "person_id": who.pk,
            "org_id": party_org.pk,
            "applied_on": applied_on,
            "document": "入党申请书",
        },
    )


def advance(c, stage: str, on: str | dt.date, document: str = "支部委员会决议"):
    return services.candidate_advance(
        actor=None, candidate=c, data={"stage": stage, "on": on, "document": document}
    )
