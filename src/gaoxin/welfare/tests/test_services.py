"""Campaigns: creation, every allowed and forbidden transition, and their audit rows."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import AuditEntry
from gaoxin.ledger.selectors import ledger_balances
from gaoxin.registry.tests.factories import enterprise
from gaoxin.welfare import services
from gaoxin.welfare.enums import TRANSITIONS, CampaignStatus
from gaoxin.welfare.models import Campaign
from gaoxin.welfare.selectors import campaign_money
from gaoxin.welfare.tests.factories import campaign_data, draft, officers

S = CampaignStatus


def test_an_officer_creates_a_draft_with_the_budget_defaulting_to_stock_times_value(
    zone_a, make_user
):
    officer = make_user("officer", zone_a)
    campaign = services.campaign_create(
        actor=officer, zone=zone_a, data=campaign_data(unit_value_fen=3500, stock=200)
    )
    assert campaign.status == S.DRAFT
    assert campaign.budget_fen == 700_000
    assert campaign.created_by == officer
    audit = AuditEntry.objects.get(object_type="welfare.Campaign", object_id=str(campaign.pk))
    assert audit.action == "create" and audit.after["budget_fen"] == 700_000
    assert ledger_balances(zone=zone_a, prefix=campaign.account("")) == {}  # nothing funded yet


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "cash"}, "kind"),
        ({"sponsor_kind": ""}, "sponsor_kind"),
        ({"unit_value_fen": 0}, "unit_value_fen"),
        ({"unit_value_fen": 12.5}, "unit_value_fen"),
        ({"stock": -1}, "stock"),
        ({"per_worker_limit": 11}, "per_worker_limit"),
        ({"stock": 10, "unit_value_fen": 100, "budget_fen": 999}, "budget_fen"),
        ({"claim_ends_at": timezone.now() - dt.timedelta(days=1)}, "claim_ends_at"),
        ({"claim_starts_at": "not a date"}, "claim_starts_at"),
        ({"eligible_job_types": ["astronaut"]}, "eligible_job_types"),
        ({"eligible_enterprise": 999999}, "eligible_enterprise"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(zone_a, make_user, overrides, field):
    with pytest.raises(InvalidInput) as exc:
        services.campaign_create(
            actor=make_user("officer", zone_a), zone=zone_a, data=campaign_data(**overrides)
        )
    assert field in exc.value.fields
    assert not Campaign.objects.exists()


def test_the_eligible_enterprise_must_be_of_the_same_zone(zone_a, zone_b, make_user):
    other = enterprise(zone_b)
    with pytest.raises(InvalidInput) as exc:
        services.campaign_create(
            actor=make_user("officer", zone_a),
            zone=zone_a,
            data=campaign_data(eligible_enterprise=other.pk),
        )
    assert "eligible_enterprise" in exc.value.fields


@pytest.mark.parametrize("role", ["worker", "station_keeper", "finance", "enterprise_contact"])
def test_only_officers_create_campaigns(zone_a, make_user, role):
    with pytest.raises(Forbidden):
        services.campaign_create(actor=make_user(role, zone_a), zone=zone_a, data=campaign_data())


def test_officers_of_another_zone_see_not_found(zone_a, zone_b, make_user):
    with pytest.raises(NotFound):
        services.campaign_create(
            actor=make_user("officer", zone_b), zone=zone_a, data=campaign_data()
        )
    campaign = draft(zone_a)
    with pytest.raises(NotFound):
        services.campaign_transition(
            campaign=campaign, to=S.APPROVED, actor=make_user("officer", zone_b)
        )


def _campaign_in(zone, status, creator, approver):
    campaign = draft(zone, creator)
    path = {
        S.DRAFT: [],
        S.APPROVED: [S.APPROVED],
        S.OPEN: [S.APPROVED, S.OPEN],
        S.CLOSED: [S.APPROVED, S.OPEN, S.CLOSED],
    }[status]
    for step in path:
        actor = approver if step == S.APPROVED else creator
        campaign = services.campaign_transition(campaign=campaign, to=step, actor=actor)
    return campaign


@pytest.mark.parametrize(("source", "target"), sorted(TRANSITIONS))
def test_every_allowed_transition_moves_and_is_audited(zone_a, source, target):
    creator, approver = officers(zone_a)
    campaign = _campaign_in(zone_a, source, creator, approver)
    actor = approver if target == S.APPROVED else creator
    before = AuditEntry.objects.count()
    moved = services.campaign_transition(campaign=campaign, to=target, actor=actor)
    assert moved.status == target
    audit = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert (audit.action, audit.before, audit.after, audit.actor_id) == (
        "transition",
        {"status": source},
        {"status": target},
        actor.pk,
    )


FORBIDDEN = [(a, b) for a, b in itertools.product(S.values, S.values) if (a, b) not in TRANSITIONS]


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_every_other_transition_is_refused_and_changes_nothing(zone_a, source, target):
    creator, approver = officers(zone_a)
    campaign = _campaign_in(zone_a, source, creator, approver)
    before = AuditEntry.objects.count()
    with pytest.raises(Conflict) as exc:
        services.campaign_transition(campaign=campaign, to=target, actor=approver)
    assert exc.value.code == "bad_transition"
    assert "不能改为" in exc.value.message
    assert Campaign.objects.get(pk=campaign.pk).status == source
    assert AuditEntry.objects.count() == before


def test_the_creator_cannot_approve_their_own_campaign(zone_a):
    creator, _ = officers(zone_a)
    campaign = draft(zone_a, creator)
    with pytest.raises(Forbidden) as exc:
        services.campaign_transition(campaign=campaign, to=S.APPROVED, actor=creator)
    assert exc.value.code == "self_approval"
    assert "不能审批自己创建的活动" in exc.value.message
    assert Campaign.objects.get(pk=campaign.pk).status == S.DRAFT


def test_workers_and_keepers_cannot_move_campaigns(zone_a, make_user):
    campaign = draft(zone_a)
    for role in ("worker", "station_keeper"):
        with pytest.raises(Forbidden):
            services.campaign_transition(
                campaign=campaign, to=S.APPROVED, actor=make_user(role, zone_a)
            )


def test_a_second_approval_from_a_stale_page_is_refused(zone_a, make_user):
    creator, approver = officers(zone_a)
    campaign = draft(zone_a, creator)
    services.campaign_transition(campaign=campaign, to=S.APPROVED, actor=approver)
    with pytest.raises(Conflict):  # the other officer's page still shows "draft"
        services.campaign_transition(
            campaign=campaign, to=S.APPROVED, actor=make_user("zone_admin", zone_a)
        )
    assert AuditEntry.objects.filter(action="transition").count() == 1


def test_approval_funds_the_budget_in_the_ledger_once(zone_a):
    creator, approver = officers(zone_a)
    campaign = draft(zone_a, creator, unit_value_fen=2000, stock=50, budget_fen=120_000)
    campaign = services.campaign_transition(campaign=campaign, to=S.APPROVED, actor=approver)
    assert campaign.approved_by == approver and campaign.approved_at is not None
    assert ledger_balances(zone=zone_a, prefix=campaign.account("")) == {
        campaign.account("sponsor"): -120_000,
        campaign.account("budget"): 120_000,
    }
    money = campaign_money(campaign=campaign)
    assert (money.budget_fen, money.issued_fen, money.remaining_fen) == (120_000, 0, 120_000)


def test_a_campaign_whose_window_is_over_cannot_be_opened(zone_a):
    creator, approver = officers(zone_a)
    now = timezone.now()
    campaign = draft(
        zone_a,
        creator,
        claim_starts_at=now - dt.timedelta(days=3),
        claim_ends_at=now - dt.timedelta(days=1),
    )
    campaign = services.campaign_transition(campaign=campaign, to=S.APPROVED, actor=approver)
    with pytest.raises(Conflict) as exc:
        services.campaign_transition(campaign=campaign, to=S.OPEN, actor=creator)
    assert exc.value.code == "window_over"
