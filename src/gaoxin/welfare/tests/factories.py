"""Boring welfare factories: campaigns through the services, workers with logins."""

import datetime as dt
import itertools

from django.utils import timezone

from gaoxin.core.models import User, Zone
from gaoxin.core.tests.factories import make_user
from gaoxin.registry.tests.factories import person
from gaoxin.welfare import services
from gaoxin.welfare.enums import CampaignStatus
from gaoxin.welfare.models import Campaign

_seq = itertools.count(1)


def campaign_data(**overrides) -> dict:
    now = timezone.now()
    data = {
        "title": f"电影通兑券第{next(_seq)}期",
        "kind": "e_voucher",
        "sponsor_kind": "union",
        "sponsor_name": "测试区总工会",
        "unit_value_fen": 3500,
        "stock": 10,
        "per_worker_limit": 1,
        "claim_starts_at": now - dt.timedelta(hours=1),
        "claim_ends_at": now + dt.timedelta(days=7),
        "redeem_place_hint": "合作影院",
    }
    data.update(overrides)
    return data


def officers(zone: Zone) -> tuple[User, User]:
    """Two officers: one creates, the other approves."""
    return make_user("officer", zone), make_user("officer", zone)


def draft(zone: Zone, creator: User | None = None, **overrides) -> Campaign:
    creator = creator or make_user("officer", zone)
    return services.campaign_create(actor=creator, zone=zone, data=campaign_data(**overrides))


def open_campaign(zone: Zone, **overrides) -> Campaign:
    creator, approver = officers(zone)
    campaign = draft(zone, creator, **overrides)
    campaign = services.campaign_transition(
        campaign=campaign, to=CampaignStatus.APPROVED, actor=approver
    )
    return services.campaign_transition(campaign=campaign, to=CampaignStatus.OPEN, actor=creator)


def worker(zone: Zone, *, login: bool = True, **data):
    """A registered worker; with `login`, also their user account (returned second)."""
    who = person(zone, **data)
    if not login:
        return who, None
    user = make_user("worker", zone)
    user.person = who
    user.save(update_fields=["person"])
    return who, user
