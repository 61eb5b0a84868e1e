"""The party demo, loaded through the services: the page's figures come out of the
pipeline records ("3 年以来累计发展 5 人入党，培养入党积极分子 7 人"), 冯某 joined and an
employee of his firm the following year, and the instructor has visits to show."""

import pytest
from django.utils import timezone

from gaoxin.core.figures import zone_figures
from gaoxin.core.models import User
from gaoxin.demo import load_demo
from gaoxin.party import rules, selectors
from gaoxin.party.enums import Stage
from gaoxin.party.models import Candidate, InstructorVisit, PartyOrg, StageRecord

pytestmark = pytest.mark.django_db


def test_demo_gives_the_page_s_figures(settings, api_client):
    ctx = load_demo(echo=lambda *a: None)
    zone = ctx.zones["zhaoqing"]
    officer = User.objects.get(username="zhaoqing.officer")
    today = timezone.localdate()
    found = selectors.development_figures(
        user=officer, zone_id=zone.pk, start=rules.years_later(today, -3), end=today
    )
    assert found["sentence"] == "3 年以来累计发展 5 人入党，培养入党积极分子 7 人"
    feng = zone.people[0]
    joined = {r.candidate.person_id: r.on for r in found["joined"]}
    assert feng.pk in joined
    firm_mates = [
        r.on
        for r in found["joined"]
        if r.candidate.person.employer_id == feng.employer_id and r.candidate.person_id != feng.pk
    ]
    assert any(day.year == joined[feng.pk].year + 1 for day in firm_mates)
    branch = PartyOrg.objects.get(zone=zone, kind="industry_branch")
    assert branch.founded_on.month == 10
    assert InstructorVisit.objects.filter(zone=zone).count() > 20
    # every record respects the order of the stages and is not in the future
    for c in Candidate.objects.filter(zone=zone):
        days = [r.on for r in StageRecord.objects.filter(candidate=c).order_by("on", "id")]
        assert days == sorted(days) and days[-1] <= today
    assert Candidate.objects.filter(zone=zone, stage=Stage.APPLICANT, talked_on=None).exists()
    due = selectors.due_items(user=officer, zone_id=zone.pk, today=today)
    assert any(d.overdue for d in due)

    # The same figures as the reports collect them (core.figures), each adding up to the
    # rows of the API list it names.
    start = rules.years_later(today, -3)
    published = {
        f.key: f
        for f in zone_figures(zone_id=zone.pk, since=start, until=today)
        if f.key.startswith("party.")
    }
    assert (published["party.new_members"].value, published["party.activists"].value) == (5, 7)
    assert published["party.new_members"].text == "发展 5 人入党"
    assert published["party.instructor_visits"].value > 20
    api = api_client.as_user(officer)
    for figure in published.values():
        listed = api.get(figure.records_url)
        assert listed.status_code == 200, (figure.key, listed.content)
        assert listed.json()["count"] == figure.value, figure.key
