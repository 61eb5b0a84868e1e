"""The demo's activities add up to the seed page's figures."""

import datetime as dt
import importlib

import pytest
from django.utils import timezone

from gaoxin.activities import selectors
from gaoxin.activities.demo import PEACH_PROGRAMME, SEED_LAST
from gaoxin.activities.models import Activity, Child, ProgrammeItem, Session, SignUp
from gaoxin.core.audit import audit_verify
from gaoxin.core.models import AuditEntry
from gaoxin.core.numbers import cn_approx, cn_exact
from gaoxin.demo import DemoContext

pytestmark = pytest.mark.django_db

SEED_PERIOD = (dt.date(2021, 1, 1), dt.date(2024, 3, 31))  # "3 年以来", up to the page's date


def seed_period(ctx):
    """The seed page's period on the demo's timeline."""
    shift = ctx.catch_up(SEED_LAST)
    return SEED_PERIOD[0] + shift, SEED_PERIOD[1] + shift


@pytest.fixture
def demo():
    ctx = DemoContext()
    for name in ("gaoxin.core.demo", "gaoxin.activities.demo"):
        importlib.import_module(name).load(ctx)
    return ctx


def test_demo_reproduces_the_seed_figures(demo):
    """One test: loading the demo is the expensive part."""
    zhaoqing, ankang = demo.zones["zhaoqing"], demo.zones["ankang"]
    totals = selectors.activities_zone_totals(zhaoqing, *seed_period(demo))
    # 开展系列关爱慰问活动 10 余场次: day-care class + check-up month + ten visits
    assert totals["caring_events"] == 12
    assert cn_approx(totals["caring_events"], "场次", word="余") == "10 余场次"
    assert (
        totals["events"]["daycare"],
        totals["events"]["health"],
        totals["events"]["caring"],
    ) == (1, 1, 10)
    # 累计开展传统文化体验活动 15 场次
    assert totals["sessions"]["culture"] == 15
    assert cn_exact(totals["sessions"]["culture"], "场次") == "15 场次"
    # "三个一": 专题学习, 党建联建, 书记讲党课
    assert totals["events"]["party_study"] == 3
    assert totals["attendance_total"] > 0 and totals["signups"] > 0

    daycare = Activity.objects.get(zone=zhaoqing, kind="daycare", status="closed")
    assert daycare.title == "“关爱小候鸟”新业态职工子女暑期托管班"
    kids = SignUp.objects.filter(activity=daycare).exclude(child=None)
    assert kids.count() >= 16 and Child.objects.filter(zone=zhaoqing).count() == kids.count()
    ages = selectors.child_ages(kids.select_related("child", "activity"))
    assert all(6 <= age <= 14 for age in ages.values())
    culture = Activity.objects.filter(zone=zhaoqing, kind="culture")
    assert all(a.partners == ["中铁四局", "新华康康研学馆"] for a in culture)
    month = Activity.objects.get(zone=zhaoqing, kind="health", status="closed")
    # one drop-out on the full second Saturday: the first of two on the waiting list moved up
    assert month.signups.filter(status="cancelled").count() == 1
    assert month.signups.filter(status="waitlisted").count() == 1
    assert AuditEntry.objects.filter(zone=zhaoqing, note="候补递补").count() == 1

    festival = Activity.objects.get(zone=ankang, kind="performance")
    assert "第二届桃花季" in festival.title and festival.place == "桃花源露营基地"
    programme = [
        item.display
        for item in ProgrammeItem.objects.filter(activity=festival).order_by("position")
    ]
    assert programme == [
        "古典诗词舞蹈《书简康桥》",
        "歌舞《十里桃花·十里情》",
        "经典吟诵《将进酒》",
        "舞蹈《桃花笑》",
        "情景剧《桃花源记》",
        "歌舞《醉美桃花源》",
        "《安康桃花源》",
        "全体大合唱《安康高新之歌》",
    ]
    assert len(PEACH_PROGRAMME) == 8
    assert selectors.activities_zone_totals(ankang)["events"]["performance"] == 1

    # upcoming activities are open on the phone, and every record was audited in an intact chain
    worker = demo.users["zhaoqing.worker"]
    open_now = list(selectors.activities_open_for_person(user=worker))
    assert {a.kind for a in open_now} >= {"daycare", "health", "party_study"}
    full = next(a for a in open_now if a.kind == "health")
    first = full.future_sessions[0]
    assert (first.confirmed, first.waitlisted) == (10, 2)
    checked, problems = audit_verify()
    assert checked > 0 and problems == []

    # One timeline: past activities end within a year of the demo's today, none in
    # the future but those still open for sign-up, and weekdays are kept (the
    # culture sessions were Saturday afternoons on the seed page).
    today = demo.today
    past = Session.objects.filter(activity__status="closed")
    last = max(timezone.localtime(s.starts_at).date() for s in past)
    assert today - dt.timedelta(days=366) < last <= today
    assert all(timezone.localtime(s.starts_at).date() <= today for s in past)
    culture = past.filter(activity__kind="culture")
    assert {timezone.localtime(s.starts_at).weekday() for s in culture} == {5}
    upcoming = Session.objects.exclude(activity__status="closed")
    assert upcoming.exists() and all(s.starts_at > timezone.now() for s in upcoming)
