"""Every page carries a Content-Security-Policy that lets no unlisted inline
script run, and a field key that cannot read stored data is named, not a 500."""

import re
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory

from gaoxin.core.crypto import FieldKeyError
from gaoxin.core.middleware import FieldKeyErrorMiddleware
from gaoxin.registry.tests.factories import person

SRC = Path(__file__).resolve().parents[2]
ALLOWED_HANDLERS = {"this.form.submit()", "window.print()"}  # allowed by hash in the policy


def policy(resp) -> dict[str, str]:
    header = resp["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize("path", ["/admin/login/", "/", "/api/v1/docs", "/stations/m/map/"])
def test_pages_send_a_policy_without_unsafe_inline_scripts(client, db, path):
    resp = client.get(path)
    assert resp.status_code == 200
    rules = policy(resp)
    assert rules["default-src"] == "'self'"
    assert "'unsafe-inline'" not in rules["script-src"]
    assert "'unsafe-eval'" not in rules["script-src"]
    assert rules["object-src"] == "'none'" and "data:" in rules["img-src"]
    nonce = re.search(r"'nonce-([^']+)'", rules["script-src"]).group(1)
    html = resp.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):  # every inline script carries the nonce
        if "src=" not in tag and "application/json" not in tag:
            assert f'nonce="{nonce}"' in tag, tag


def test_each_response_gets_its_own_nonce(client, db):
    first, second = client.get("/admin/login/"), client.get("/admin/login/")
    assert policy(first)["script-src"] != policy(second)["script-src"]


def test_templates_use_no_inline_handlers_the_policy_would_block():
    found = []
    for template in SRC.glob("*/templates/**/*.html"):
        text = template.read_text()
        for handler in re.findall(r'\son[a-z]+="([^"]*)"', text):
            if handler not in ALLOWED_HANDLERS:
                found.append(f"{template.relative_to(SRC)}: {handler}")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "json" not in tag and "csp_nonce" not in tag:
                found.append(f"{template.relative_to(SRC)}: {tag}")
    assert found == []


def test_a_wrong_field_key_is_a_named_503_page(db):
    request = RequestFactory().get("/stations/m/")
    middleware = FieldKeyErrorMiddleware(lambda r: None)
    resp = middleware.process_exception(request, FieldKeyError())
    assert resp.status_code == 503
    assert "GAOXIN_FIELD_KEY" in resp.content.decode()
    assert middleware.process_exception(request, ValueError("other")) is None


def test_gaoxin_check_warns_when_the_key_cannot_read_stored_data(zone_a, settings):
    person(zone_a)
    original = settings.FIELD_KEY
    assert not [m for m in run_checks() if m.id == "gaoxin.W001"]
    settings.FIELD_KEY = "not-the-key-the-data-was-encrypted-with"
    warnings = [m for m in run_checks() if m.id == "gaoxin.W001"]
    assert len(warnings) == 1 and "GAOXIN_FIELD_KEY" in warnings[0].msg
    settings.FIELD_KEY = f"not-the-key-the-data-was-encrypted-with,{original}"  # old key kept
    assert not [m for m in run_checks() if m.id == "gaoxin.W001"]
