"""An activity can belong to a party organisation (the declared reference
"party.partyorg"): a branch's "三个一" activities (专题学习, 党建联建, 书记讲党课) are
recorded here, refused when the organisation is not the zone's, and counted per
organisation and per kind through HTTP."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.activities.models import Activity
from gaoxin.activities.tests import factories as f
from gaoxin.party.tests.factories import org

pytestmark = pytest.mark.django_db

NOT_OURS = "党组织不存在或不属于本园区"


@pytest.fixture
def officer(zone_a, make_user):
    return make_user("officer", zone_a)


def _lecture(party_org_id, **extra):
    return {
        "title": "书记讲党课：新就业形态劳动者权益",
        "kind": "secretary_lecture",
        "organiser": "新业态行业党支部",
        "place": "党群服务中心",
        "capacity": 30,
        "party_org_id": party_org_id,
        **extra,
    }


def test_an_activity_belongs_to_an_organisation_of_its_zone(api_client, zone_a, zone_b, officer):
    ours, theirs = org(zone_a), org(zone_b)
    api = api_client.as_user(officer)
    for org_id in (theirs.pk, theirs.pk + ours.pk + 1000):
        refused = api.post("activities", _lecture(org_id))
        assert refused.status_code == 422, refused.content
        assert NOT_OURS in refused.json()["fields"]["party_org_id"]
    assert not Activity.objects.exists()
    made = api.post("activities", _lecture(ours.pk))
    assert made.status_code == 201 and made.json()["party_org_id"] == ours.pk
    assert made.json()["kind_label"] == "书记讲党课"
    listed = api.get("activities", party_org_id=ours.pk).json()
    assert [a["id"] for a in listed["items"]] == [made.json()["id"]]


def test_held_activities_are_counted_per_organisation_and_kind(api_client, zone_a, officer):
    branch = org(zone_a)
    other = org(zone_a, name="某快递企业联合党支部", kind="joint_branch")
    past = timezone.now() - dt.timedelta(days=3)
    f.activity(zone_a, kind="topic_study", party_org_id=branch.pk, start=past, sessions=2)
    f.activity(zone_a, kind="party_joint", party_org_id=branch.pk, start=past)
    f.activity(zone_a, kind="secretary_lecture", party_org_id=other.pk, start=past)
    f.activity(zone_a, kind="topic_study", party_org_id=branch.pk)  # not held yet
    f.activity(zone_a, kind="culture", start=past)  # no organisation
    rows = api_client.as_user(officer).get("activities/party-orgs").json()
    got = {(r["party_org_name"], r["kind_label"]): (r["activities"], r["sessions"]) for r in rows}
    assert got == {
        ("新业态行业党支部", "专题学习"): (1, 2),
        ("新业态行业党支部", "党建联建"): (1, 1),
        ("某快递企业联合党支部", "书记讲党课"): (1, 1),
    }
    assert all(r["three_ones"] for r in rows)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    later = api_client.as_user(officer).get("activities/party-orgs", since=tomorrow).json()
    assert later == []


def test_counts_are_the_zone_officers_only(api_client, zone_a, zone_b, make_user):
    branch = org(zone_a)
    past = timezone.now() - dt.timedelta(days=3)
    f.activity(zone_a, kind="topic_study", party_org_id=branch.pk, start=past)
    stranger = make_user("officer", zone_b)
    resp = api_client.as_user(stranger).get("activities/party-orgs", zone_id=zone_a.pk)
    assert resp.status_code in (403, 404)
    worker = make_user("worker", zone_a)
    assert api_client.as_user(worker).get("activities/party-orgs").status_code == 403
