"""Each rule of rules.py, enforced through the API: the allowed steps and each refusal,
which names its rule (code rule_refused, the rule's id and 中文 text), nothing changed."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.core.audit import AuditEntry
from gaoxin.core.tests.factories import ZoneFactory, make_user
from gaoxin.party.models import Candidate, PartyMember, StageRecord
from gaoxin.party.rules import RULES
from gaoxin.party.tests.factories import adult, advance, candidate, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    zone = ZoneFactory()
    return {"zone": zone, "officer": make_user("officer", zone), "org": org(zone)}


def _advance(client, c, stage, on, document="支部大会决议"):
    return client.post(
        f"candidates/{c.pk}/advance", {"stage": stage, "on": str(on), "document": document}
    )


def _refused(resp, rule: str, field: str):
    assert resp.status_code == 422, resp.json()
    body = resp.json()
    assert body["code"] == "rule_refused"
    assert body["fields"]["rule"] == rule
    rule_row = next(r for r in RULES if r.id == rule)
    assert body["message"].startswith("不符合规定：" + str(rule_row.text))
    assert str(rule_row.source) in body["message"]
    assert field in body["fields"]


def test_whole_pipeline_through_the_api(api_client, world):
    client = api_client.as_user(world["officer"])
    who = adult(world["zone"])
    resp = client.post(
        "candidates",
        {
            "person_id": who.pk,
            "org_id": world["org"].pk,
            "applied_on": "2020-03-01",
            "document": "入党申请书",
        },
    )
    assert resp.status_code == 201, resp.json()
    c = Candidate.objects.get(pk=resp.json()["id"])
    assert client.post(f"candidates/{c.pk}/talk", {"talked_on": "2020-03-20"}).status_code == 200
    steps = [
        ("activist", "2020-09-01"),
        ("target", "2021-09-01"),  # exactly one year of training
        ("probationary", "2022-01-10"),
        ("full", "2023-01-10"),  # exactly one year of probation
    ]
    for stage, on in steps:
        resp = _advance(client, c, stage, on)
        assert resp.status_code == 200, (stage, resp.json())
        assert resp.json()["stage"] == stage
    assert [r["stage"] for r in resp.json()["records"]] == [
        "applicant",
        "activist",
        "target",
        "probationary",
        "full",
    ]
    member = PartyMember.objects.get(person_id=who.pk)
    assert (member.joined_on, member.full_on) == (dt.date(2022, 1, 10), dt.date(2023, 1, 10))
    transitions = AuditEntry.objects.filter(
        zone_id=world["zone"].pk, object_type="party.Candidate", action="transition"
    )
    assert transitions.count() == 4


def test_applicant_under_18_is_refused(api_client, world):
    client = api_client.as_user(world["officer"])
    young = adult(world["zone"], born="20050302")
    resp = client.post(
        "candidates",
        {
            "person_id": young.pk,
            "org_id": world["org"].pk,
            "applied_on": "2023-03-01",
            "document": "申请书",
        },
    )
    _refused(resp, "age_18", "applied_on")
    assert "十八岁" in resp.json()["message"]
    assert not Candidate.objects.exists()
    ok = client.post(
        "candidates",
        {
            "person_id": young.pk,
            "org_id": world["org"].pk,
            "applied_on": "2023-03-02",
            "document": "申请书",
        },
    )
    assert ok.status_code == 201  # the 18th birthday itself


def test_activist_needs_a_full_year_before_target(api_client, world):
    client = api_client.as_user(world["officer"])
    c = candidate(world["zone"], world["org"])
    advance(c, "activist", "2020-09-01")
    _refused(_advance(client, c, "target", "2021-08-31"), "activist_one_year", "on")
    c.refresh_from_db()
    assert c.stage == "activist"
    assert _advance(client, c, "target", "2021-09-01").status_code == 200


def test_probation_is_one_year(api_client, world):
    client = api_client.as_user(world["officer"])
    c = candidate(world["zone"], world["org"])
    advance(c, "activist", "2020-09-01")
    advance(c, "target", "2021-10-01")
    advance(c, "probationary", "2022-01-10")
    _refused(_advance(client, c, "full", "2023-01-09"), "probation_one_year", "on")
    assert PartyMember.objects.get(person_id=c.person_id).full_on is None


@pytest.mark.parametrize("stage", ["applicant", "target", "probationary", "full", "activist_x"])
def test_only_one_step_forward(api_client, world, stage):
    client = api_client.as_user(world["officer"])
    c = candidate(world["zone"], world["org"])
    resp = _advance(client, c, stage, "2020-09-01")
    if stage == "activist_x":
        assert resp.status_code == 422 and resp.json()["code"] == "invalid"
    else:
        _refused(resp, "one_step", "stage")
    assert StageRecord.objects.filter(candidate=c).count() == 1


def test_dates_not_before_previous_stage_nor_in_future(api_client, world):
    client = api_client.as_user(world["officer"])
    c = candidate(world["zone"], world["org"])
    _refused(_advance(client, c, "activist", "2020-02-28"), "date_order", "on")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    _refused(_advance(client, c, "activist", tomorrow), "date_order", "on")
    c.refresh_from_db()
    assert c.stage == "applicant"


def test_rules_table_lists_every_rule_with_source(api_client, world):
    resp = api_client.as_user(world["officer"]).get("party-rules")
    assert resp.status_code == 200
    ids = [r["id"] for r in resp.json()]
    assert ids == [
        "age_18",
        "talk_one_month",
        "activist_one_year",
        "probation_one_year",
        "one_step",
        "date_order",
    ]
    assert all(r["source"] and r["text"] for r in resp.json())
