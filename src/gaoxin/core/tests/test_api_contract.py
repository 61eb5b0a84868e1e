"""The OpenAPI document tells the truth about the server.

- no two schemas share a component name (one would silently overwrite the other);
- every operation documents its error answers with the one ErrorOut shape;
- schemathesis drives every operation (bounded budget) and checks that each answer's
  status is documented for that operation, its body validates against the documented
  schema, and nothing is a server error;
- bodies: only UTF-8 application/json (else 415); an optional body is an object or absent;
- no time before 1901 gets in (Asia/Shanghai was +08:05:43 then).
"""

import datetime as dt
import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, settings
from pydantic import BaseModel
from schemathesis import checks as st_checks

from config.api import api as gaoxin_api
from gaoxin.core.tests.test_api_errors import assert_error
from gaoxin.stations.tests.factories import station
from gaoxin.welfare.tests.factories import campaign_data

pytestmark = pytest.mark.django_db


def _models_of(annotation, seen: set) -> None:
    """Every pydantic model reachable from a type: fields, lists, unions."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_of(field.annotation, seen)
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        _models_of(arg, seen)


def _operation_models() -> set:
    seen: set = set()
    for _prefix, router in gaoxin_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_of(model, seen)
                for model in operation.response_models.values():
                    _models_of(model, seen)
    return seen


def test_no_two_schemas_share_a_component_name():
    by_name: dict[str, set] = {}
    for model in _operation_models():
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes, clashes


def test_checkin_and_totals_are_documented_with_their_own_schemas():
    doc = gaoxin_api.get_openapi_schema()
    paths, schemas = doc["paths"], doc["components"]["schemas"]

    def ref(node):
        return node["$ref"].rsplit("/", 1)[-1]

    body = paths["/api/v1/stations/{station_id}/checkins"]["post"]["requestBody"]
    assert ref(body["content"]["application/json"]["schema"]) == "StationCheckinIn"
    assert "code" in schemas["StationCheckinIn"]["properties"]
    body = paths["/api/v1/checkins"]["post"]["requestBody"]
    assert ref(body["content"]["application/json"]["schema"]) == "ActivityCheckinIn"
    welfare = paths["/api/v1/welfare/totals"]["get"]["responses"][200]
    assert ref(welfare["content"]["application/json"]["schema"]) == "WelfareTotalsOut"
    assert "claims" in schemas["WelfareTotalsOut"]["properties"]
    activities = paths["/api/v1/activities/totals"]["get"]["responses"][200]
    assert ref(activities["content"]["application/json"]["schema"]) == "ActivityTotalsOut"


def test_every_operation_documents_its_errors():
    doc = gaoxin_api.get_openapi_schema()
    assert set(doc["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "code",
        "message",
        "fields",
    }
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            wanted = {400, 401, 403, 404, 422, 429}
            if method != "get":
                wanted |= {409}
            if "requestBody" in operation:
                wanted |= {413, 415}
            assert wanted <= set(responses), (method, path, sorted(responses))
            for status in wanted:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}


# ---------------------------------------------------------------- content types


@pytest.fixture
def officer_api(api_client, zone_a, make_user, client):
    client.raise_request_exception = False
    return api_client.as_user(make_user("officer", zone_a))


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
        "application/json; charset=utf-16",
        "application/json; charset=latin-1",
        "",
    ],
)
def test_a_body_that_is_not_utf8_json_is_refused_with_415(officer_api, content_type):
    resp = officer_api.client.post(
        "/api/v1/people",
        data=b'{"name": "x"}',
        content_type=content_type,
        headers=officer_api.headers,
    )
    body = assert_error(resp, 415, "unsupported_media_type")
    assert "application/json" in body["message"]


def test_utf16_bytes_sent_as_json_are_not_json(officer_api):
    data = json.dumps({"name": "张三"}).encode("utf-16")
    resp = officer_api.client.post(
        "/api/v1/people", data=data, content_type="application/json", headers=officer_api.headers
    )
    assert_error(resp, 400, "bad_json")


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=UTF-8"])
def test_utf8_json_is_accepted(officer_api, content_type):
    resp = officer_api.client.post(
        "/api/v1/people",
        data=json.dumps({"name": "张三"}),
        content_type=content_type,
        headers=officer_api.headers,
    )
    assert resp.status_code == 201, resp.content


def test_a_get_without_a_body_needs_no_content_type(officer_api):
    assert officer_api.get("people").status_code == 200


# ---------------------------------------------------------------- optional bodies


@pytest.mark.parametrize("body", ["false", "[]", "3", "null", '"x"', "true"])
def test_an_optional_body_must_be_an_object(officer_api, zone_a, body):
    stop = station(zone_a)
    resp = officer_api.client.post(
        f"/api/v1/stations/{stop.pk}/pause",
        data=body,
        content_type="application/json",
        headers=officer_api.headers,
    )
    err = assert_error(resp, 422, "invalid")
    assert "JSON 对象" in err["fields"]["_"]
    stop.refresh_from_db()
    assert stop.status == "open"


@pytest.mark.parametrize("body", [None, "{}", '{"reason": "维修"}'])
def test_an_optional_body_may_be_absent_or_an_object(officer_api, zone_a, body):
    stop = station(zone_a)
    url = f"/api/v1/stations/{stop.pk}/pause"
    if body is None:
        resp = officer_api.client.post(url, headers=officer_api.headers)
    else:
        resp = officer_api.client.post(
            url, data=body, content_type="application/json", headers=officer_api.headers
        )
    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] == "paused"


# ---------------------------------------------------------------- before 1901


@pytest.mark.parametrize(
    "moment",
    [
        "1900-12-31T23:59:59",
        "1900-12-31T15:00:00+00:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59",
    ],
)
def test_times_outside_1901_to_2100_are_refused_in_chinese(officer_api, moment):
    data = {**campaign_data(), "claim_starts_at": moment}
    data["claim_ends_at"] = data["claim_ends_at"].isoformat()
    resp = officer_api.post("campaigns", data)
    err = assert_error(resp, 422, "invalid")
    assert err["fields"]["claim_starts_at"] == "应在 1901-01-01 至 2100-12-31 之间"


def test_the_earliest_accepted_time_comes_out_at_plus_eight(officer_api):
    start = "1901-01-01T00:00:00"
    end = (timezone.now() + dt.timedelta(days=3)).isoformat()
    resp = officer_api.post(
        "campaigns", {**campaign_data(), "claim_starts_at": start, "claim_ends_at": end}
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["claim_starts_at"] in ("1901-01-01T00:00:00+08:00", "1900-12-31T16:00:00Z")


# ---------------------------------------------------------------- schemathesis


def _schema():
    loaded = schemathesis.openapi.from_dict(gaoxin_api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    return loaded


SCHEMA = _schema()
CONFORMANCE = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.response_schema_conformance,
    st_checks.content_type_conformance,
]


@pytest.fixture
def bearer(zone_a, make_user):
    """An officer's token; the WSGI app keeps the test's database connection open
    (as Django's test client does), so the test's transaction sees every request."""
    from django.core import signals
    from django.db import close_old_connections

    from gaoxin.core import services

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)

    user = make_user("officer", zone_a)
    yield {"Authorization": f"Bearer {services.api_token_issue(user=user)}"}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_server_answers_as_documented(case, bearer):
    case.call_and_validate(headers=bearer, checks=CONFORMANCE)
