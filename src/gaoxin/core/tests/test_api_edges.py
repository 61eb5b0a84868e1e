"""Edge values never give a 5xx: every operation of the OpenAPI document, every parameter.

Each operation is driven twice: a sweep that puts every extreme value into every path,
query and body field one at a time (over an otherwise valid request, so the value reaches
the services), and a hypothesis search that mixes them. Both as a zone officer, a worker
and anonymously. Accepted ranges: ids 1..2**63-1, dates 1900-01-01..2100-12-31
(core/schemas.py: MIN_DAY, MAX_DAY).
"""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.api import api as gaoxin_api
from gaoxin.activities import services as activity_services
from gaoxin.activities.tests.factories import activity
from gaoxin.cases import services as cases_services
from gaoxin.cases.tests.factories import aid_data, liaison
from gaoxin.party.tests.factories import candidate as party_candidate
from gaoxin.party.tests.factories import org as party_org
from gaoxin.registry.tests.factories import enterprise
from gaoxin.stations import tokens
from gaoxin.stations.tests.factories import station
from gaoxin.welfare import services as welfare_services
from gaoxin.welfare.tests.factories import open_campaign, worker

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")

EXTREME_INTS = [0, -1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30]
EXTREME_DATES = [
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "1900-01-01",
    "2100-12-31",
    "2101-01-01",
    "2024-02-30",
    "0000-00-00",
]
EXTREME_MOMENTS = [
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00-23:59",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-23:59",
    "1900-01-01T00:00:00",
    "1899-12-31T23:59:59+08:00",
    "2100-12-31T23:59:59",
    "1970-01-01T00:00:00Z",
]
EXTREME_OTHER = [
    "",
    " ",
    "x" * 5000,
    "\u202e",
    "１２",
    "1e308",
    "-1e308",
    "NaN",
    "true",
    None,
    [],
    {},
    False,
    1.5,
    1e308,
    -1e-320,
]
EXTREMES = EXTREME_INTS + EXTREME_DATES + EXTREME_MOMENTS + EXTREME_OTHER


def _document() -> dict:
    return gaoxin_api.get_openapi_schema()


DOC = _document()
OPERATIONS = [
    (method.upper(), path, op) for path, ops in DOC["paths"].items() for method, op in ops.items()
]


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def body_schema(op: dict) -> dict | None:
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    schema = content["application/json"]["schema"]
    for option in schema.get("anyOf", [schema]):
        if option.get("type") != "null":
            return _resolve(option)
    return None


# ------------------------------------------------------------------- the world


@pytest.fixture
def world(zone_a, make_user, api_client, client):
    """One of everything, so paths can name real records and bodies can be valid."""
    client.raise_request_exception = False  # a server error shows up as a 500, not a raise
    officer = make_user("officer", zone_a)
    who, worker_user = worker(zone_a)
    firm = enterprise(zone_a)
    stop = station(zone_a)
    campaign = open_campaign(zone_a, stock=50)
    claim = welfare_services.campaign_claim(campaign=campaign, person=who, actor=worker_user)
    event = activity(zone_a, capacity=20)
    session = event.sessions.first()
    signup = activity_services.signup_create(
        actor=officer, activity=event, person=who, session=None, child=None, note=""
    )
    item = activity_services.programme_item_add(
        actor=officer, activity=event, data={"title": "合唱"}, position=None
    )
    meeting = cases_services.meeting_create(
        actor=officer, zone=zone_a, data={"held_on": "2026-06-30", "title": "边界会议"}
    )
    demand = cases_services.demand_create(
        actor=officer,
        zone=zone_a,
        data={"title": "边界诉求", "category": "other", "source": "meeting"},
        meeting_id=meeting.pk,
    )
    case = cases_services.case_open(actor=officer, zone=zone_a, person_id=who.pk, title="边界个案")
    aid = cases_services.aid_apply(case=case, actor=officer, data=aid_data())
    _liaison, dept = liaison(zone_a)
    referral = cases_services.referral_create(
        actor=officer,
        zone=zone_a,
        department_id=dept.pk,
        due_on=timezone.localdate() + dt.timedelta(days=3),
        demand=demand,
    )
    branch = party_org(zone_a)
    pipeline = party_candidate(zone_a, branch)
    ids = {
        "org_id": branch.pk,
        "candidate_id": pipeline.pk,
        "meeting_id": meeting.pk,
        "demand_id": demand.pk,
        "case_id": case.pk,
        "step_id": case.steps.first().pk,
        "aid_id": aid.pk,
        "referral_id": referral.pk,
        "zone_id": zone_a.pk,
        "enterprise_id": firm.pk,
        "person_id": who.pk,
        "station_id": stop.pk,
        "campaign_id": campaign.pk,
        "code": claim.code,
        "activity_id": event.pk,
        "session_id": session.pk,
        "signup_id": signup.pk,
        "item_id": item.pk,
        "attachment_id": 1,  # core attachments: none stored, so the route's refusals are swept
    }
    now = timezone.now()
    bodies = {
        "TokenIn": {"username": officer.username, "password": "pw-test-123"},
        "EnterpriseIn": {"name": "边界公司", "uscc": "91441200MA4WBQ7X8F"},
        "PersonIn": {"name": "边界"},
        "StationIn": {
            "name": "边界驿站",
            "kind": "hub",
            "address": "某路 1 号",
            "lat": 23.1,
            "lng": 112.8,
        },
        "StationCheckinIn": {"code": tokens.poster_code(stop.pk, stop.poster_version)},
        "WalkinIn": {"day": timezone.localdate().isoformat(), "visits": 3},
        "CampaignIn": {
            "title": "边界券",
            "kind": "e_voucher",
            "sponsor_kind": "union",
            "sponsor_name": "总工会",
            "unit_value_fen": 100,
            "stock": 5,
            "claim_starts_at": now.isoformat(),
            "claim_ends_at": (now + dt.timedelta(days=3)).isoformat(),
        },
        "ActivityIn": {
            "title": "边界活动",
            "kind": "culture",
            "organiser": "总工会",
            "place": "驿站",
            "capacity": 5,
        },
        "ScheduleIn": {
            "first_start": (now + dt.timedelta(days=2)).isoformat(),
            "duration_minutes": 60,
        },
        "ActivityCheckinIn": {"token": "x"},
        "ProgrammeItemIn": {"title": "独唱"},
        "MoveIn": {"position": 1},
        "SignUpIn": {"person_id": who.pk},
        "MeetingIn": {"held_on": "2026-06-30", "title": "边界会议"},
        "DemandIn": {"title": "边界诉求", "category": "other", "source": "station_keeper"},
        "CaseIn": {"person_id": who.pk, "title": "边界个案"},
        "AidIn": aid_data(),
        "ReferralIn": {
            "demand_id": demand.pk,
            "department_id": dept.pk,
            "due_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
        "NoteIn": {"note": "边界"},
        "ResolveIn": {"resolution": "边界"},
        "ReplyIn": {"reply": "边界"},
        "CloseIn": {"outcome": "aided", "note": "边界"},
        "RateIn": {"satisfaction": "satisfied"},
        "AssignIn": {"owner_id": officer.pk},
        "OfficersIn": {"officer_ids": [officer.pk]},
        "OrgIn": {"name": "边界支部", "kind": "branch", "founded_on": "2024-01-01"},
        "CandidateIn": {
            "person_id": who.pk,
            "org_id": branch.pk,
            "applied_on": "2024-01-02",
            "document": "入党申请书",
        },
        "AdvanceIn": {"stage": "activist", "on": "2020-09-01", "document": "支委会决议"},
        "TalkIn": {"talked_on": "2020-03-10"},
        "PartyOrgCoverIn": {"enterprise_id": firm.pk, "since": "2024-01-01"},
        "PartyUnionIn": {"enterprise_id": firm.pk, "since": "2024-01-01", "union_name": "边界工会"},
        "PartyAssignmentIn": {
            "instructor_id": officer.pk,
            "enterprise_id": firm.pk,
            "start_on": "2024-01-01",
        },
        "VisitIn": {
            "enterprise_id": firm.pk,
            "visited_on": "2024-05-01",
            "people_met": "负责人",
            "topics": "走访",
        },
    }
    users = {
        "officer": api_client.as_user(officer),
        "worker": api_client.as_user(worker_user),
        "anonymous": api_client,
    }
    return {"ids": ids, "bodies": bodies, "users": users}


def _request(
    world,
    who: str,
    method: str,
    path: str,
    *,
    path_values=None,
    query=None,
    body=...,
    raw_body: bytes | None = None,
):
    values = {**world["ids"], **(path_values or {})}
    url = re.sub(r"\{(\w+)\}", lambda m: _q(values[m.group(1)]), path)
    caller = world["users"][who]
    if query:
        url += "?" + "&".join(f"{k}={_q(v)}" for k, v in query.items())
    fn = getattr(caller.client, method.lower())
    if method in ("GET", "DELETE") and body is ... and raw_body is None:
        return fn(url, headers=caller.headers)
    data = raw_body if raw_body is not None else json.dumps({} if body is ... else body)
    return fn(url, data=data, content_type="application/json", headers=caller.headers)


def _q(value) -> str:
    from urllib.parse import quote

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return quote(json.dumps(value))
    return quote(str(value))


def assert_not_server_error(resp, context):
    assert resp.status_code < 500, (context, resp.status_code, resp.content[:400])
    if resp.status_code >= 400:
        body = resp.json()
        assert set(body) == {"code", "message", "fields"}, (context, body)
        assert HAN.search(body["message"]), (context, body)


def _fields(method: str, path: str, op: dict, world) -> tuple[list, list, dict | None, dict]:
    params = op.get("parameters", [])
    path_names = [p["name"] for p in params if p["in"] == "path"]
    query_names = [p["name"] for p in params if p["in"] == "query"]
    schema = body_schema(op)
    base: dict = {}
    if schema is not None:
        name = schema.get("title", "")
        base = dict(world["bodies"].get(name, {}))
    return path_names, query_names, schema, base


BASE_QUERY = {"/api/v1/stations/nearest": {"lat": 23.1, "lng": 112.8}}


def values_for(schema: dict) -> list:
    """The extreme values worth sending to a field of this schema."""
    schema = _resolve(schema)
    kinds = {_resolve(s).get("type") for s in schema.get("anyOf", [schema])}
    formats = {_resolve(s).get("format") for s in schema.get("anyOf", [schema])}
    values: list = [None, ""]
    if "date" in formats:
        values += EXTREME_DATES
    if "date-time" in formats:
        values += EXTREME_MOMENTS + EXTREME_DATES[:2]
    if "integer" in kinds:
        values += EXTREME_INTS + [1.5, "x"]
    if "number" in kinds:
        values += [1e308, -1e308, "NaN", "Infinity", 2**64]
    if "boolean" in kinds:
        values += ["maybe", 2]
    if "string" in kinds and not formats - {None}:
        values += ["x" * 5000, "0001-01-01", "9999-12-31", str(2**64), "\u202e"]
    if kinds & {"array", "object"}:
        values += [[], {}, [2**64], ["0001-01-01"], {"a": "9999-12-31"}]
    return values


WHOLE_BODIES = [False, True, [], 3, "x", None, {}]


def _sweep(world, who: str, method: str, path: str, op: dict, failures: list):
    def check(resp, context):
        try:
            assert_not_server_error(resp, context)
        except AssertionError as exc:
            failures.append(str(exc)[:300])

    path_names, query_names, schema, base = _fields(method, path, op, world)
    base_query = BASE_QUERY.get(path, {})
    body = base if schema is not None else ...
    for name in path_names:
        for value in EXTREME_INTS + ["0001-01-01", "x" * 300]:
            resp = _request(
                world, who, method, path, path_values={name: value}, query=base_query, body=body
            )
            check(resp, (who, method, path, name, value))
    for param in op.get("parameters", []):
        if param["in"] != "query":
            continue
        for value in values_for(param["schema"]):
            resp = _request(
                world, who, method, path, query={**base_query, param["name"]: value}, body=body
            )
            check(resp, (who, method, path, param["name"], value))
    if schema is not None:
        for name, prop in schema.get("properties", {}).items():
            for value in values_for(prop):
                resp = _request(
                    world, who, method, path, query=base_query, body={**base, name: value}
                )
                check(resp, (who, method, path, name, value))
        for value in WHOLE_BODIES:
            resp = _request(world, who, method, path, query=base_query, body=value)
            check(resp, (who, method, path, "<body>", value))


@pytest.mark.slow  # about 2 500 requests: minutes on a busy machine
@pytest.mark.parametrize(
    ("method", "path", "op"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_every_field_with_every_extreme_value(world, method, path, op):
    failures: list[str] = []
    for who in ("officer",) if "security" in op else ("anonymous",):
        _sweep(world, who, method, path, op, failures)
    assert not failures, "\n".join(failures[:40])


# -------------------------------------------------------------- the search

_value = st.sampled_from(EXTREMES)
_MISSING = object()


@pytest.mark.parametrize(
    ("method", "path", "op"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_extreme_values_mixed_never_give_a_server_error(world, method, path, op):
    path_names, query_names, schema, base = _fields(method, path, op, world)
    body_names = list(schema.get("properties", {})) if schema is not None else []
    maybe = st.one_of(st.just(_MISSING), _value)

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        who=st.sampled_from(["officer", "worker", "anonymous"]),
        path_values=st.fixed_dictionaries(
            {n: st.one_of(st.sampled_from(EXTREME_INTS), _value) for n in path_names}
        ),
        query=st.fixed_dictionaries({n: maybe for n in query_names}),
        body=st.fixed_dictionaries({n: maybe for n in body_names}),
    )
    def probe(who, path_values, query, body):
        path_values = {k: v for k, v in path_values.items() if v not in (None, "", [], {})}
        query = {
            **BASE_QUERY.get(path, {}),
            **{k: v for k, v in query.items() if v is not _MISSING},
        }
        payload = ...
        if schema is not None:
            payload = {**base, **{k: v for k, v in body.items() if v is not _MISSING}}
        resp = _request(
            world, who, method, path, path_values=path_values, query=query, body=payload
        )
        assert_not_server_error(resp, (who, method, path, path_values, query, payload))

    probe()
