"""A search by a whole 身份证号 or phone number leaves neither in a URL nor in a
log: the API takes it by POST, the admin turns it into the person's page, and
every request line we log (gunicorn, Django) is masked."""

import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.urls import reverse

from gaoxin.core.enums import Role
from gaoxin.core.logging import mask_identifiers
from gaoxin.core.tests.factories import valid_id_number
from gaoxin.registry.tests.factories import person

REPO = Path(__file__).resolve().parents[4]
ID_NUMBER = valid_id_number(7301, birth="19880214")
PHONE = "13912347301"
SPELLINGS = [ID_NUMBER, ID_NUMBER.lower(), PHONE, f"+86{PHONE}", "139 1234 7301"]


def leaked(text: str) -> list[str]:
    """Which of the identifiers (or the birth date inside the ID) `text` holds,
    in any case and with the separators a URL may add taken out."""
    text = text.upper()
    squeezed = text.replace(" ", "").replace("%20", "").replace("+", "")
    return [s for s in (ID_NUMBER, PHONE, ID_NUMBER[6:14]) if s in text or s in squeezed]


def test_masking_covers_the_spellings_a_url_may_carry():
    for spelling in SPELLINGS:
        for encoded in (spelling, quote(spelling), quote(spelling).replace("%20", "+")):
            line = f'"GET /api/v1/people?q={encoded}&limit=5 HTTP/1.1"'
            assert leaked(mask_identifiers(line)) == [], encoded
    assert mask_identifiers(f"q={ID_NUMBER}") == f"q={ID_NUMBER[:4]}**********{ID_NUMBER[-4:]}"
    assert mask_identifiers(f"q={PHONE}") == "q=139****7301"
    login = f"/admin/login/?next=/admin/registry/person/%3Fq%3D{ID_NUMBER}%26o%3D1"
    assert leaked(mask_identifiers(login)) == []
    for harmless in ("/api/v1/people/12?limit=100&offset=200", "[02/Dec/2026:01:00:00 +0800]"):
        assert mask_identifiers(harmless) == harmless


def test_api_refuses_a_whole_identifier_in_the_url_and_takes_it_by_post(
    api_client, zone_a, make_user
):
    someone = person(zone_a, name="冯立松", id_number=ID_NUMBER, phone=PHONE)
    api = api_client.as_user(make_user(Role.OFFICER, zone_a))
    for spelling in SPELLINGS:
        resp = api.get("people", q=spelling)
        assert resp.status_code == 422, spelling
        assert resp.json()["code"] == "identifier_in_url"
        resp = api.post("people/search", {"q": spelling})
        assert resp.status_code == 200
        assert [p["id"] for p in resp.json()["items"]] == [someone.pk]
        assert leaked(resp.content.decode()) == []  # the answer is masked too
    assert api.get("people", q="冯立松").json()["count"] == 1  # names stay a GET


def test_admin_turns_a_whole_identifier_search_into_the_persons_page(client, zone_a, make_user):
    someone = person(zone_a, name="冯立松", id_number=ID_NUMBER, phone=PHONE)
    client.force_login(make_user(Role.OFFICER, zone_a))
    changelist = reverse("admin:registry_person_changelist")
    for spelling in (ID_NUMBER, PHONE, f"+86{PHONE}"):
        resp = client.get(changelist, {"q": spelling})
        assert resp.status_code == 302
        assert resp["Location"] == reverse("admin:registry_person_change", args=[someone.pk])
    resp = client.get(changelist, {"q": "13900009999"}, follow=True)
    assert resp.redirect_chain == [(changelist, 302)]
    page = resp.content.decode()
    assert "没有找到使用该身份证号或手机号的人员" in page and "13900009999" not in page
    page = client.get(changelist, {"q": "冯立松"}).content.decode()  # names list as before
    assert "冯立松" in page and leaked(page) == []


def test_django_request_logs_are_masked(client, zone_a, make_user, caplog, request):
    person(zone_a, id_number=ID_NUMBER, phone=PHONE)
    client.force_login(make_user(Role.OFFICER, zone_a))
    caplog.set_level(logging.INFO)
    server_log = logging.getLogger("django.server")  # does not propagate to the root
    server_log.addHandler(caplog.handler)
    request.addfinalizer(lambda: server_log.removeHandler(caplog.handler))
    client.get("/api/v1/people", {"q": ID_NUMBER})
    client.get(reverse("admin:registry_person_changelist"), {"q": PHONE})
    # the development server logs each request line on "django.server"
    server_log.info('"%s" %s %s', f"GET /admin/registry/person/?q={PHONE}&p=2 HTTP/1.1", 200, 512)
    logging.getLogger("django.request").warning("Bad request: /api/v1/people?q=%s", ID_NUMBER)
    assert "139****7301" in caplog.text
    assert leaked(caplog.text) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_is_masked(tmp_path):
    """The server `gaoxin up` runs, with its logger class: request lines,
    query strings and Referer headers come out masked."""
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GAOXIN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.test")
    log = tmp_path / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                gunicorn,
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
                "--logger-class",
                "gaoxin.core.logging.MaskingGunicornLogger",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        urls = [f"{base}/api/v1/people?q={quote(s)}" for s in SPELLINGS]
        urls.append(f"{base}/admin/registry/person/?q={ID_NUMBER}&o=1")
        deadline, served = time.time() + 120, 0
        while time.time() < deadline and served < len(urls):
            request = urllib.request.Request(
                urls[served], headers={"Referer": f"{base}/admin/registry/person/?q={PHONE}"}
            )
            try:
                urllib.request.urlopen(request, timeout=10)
            except urllib.error.HTTPError:
                pass  # refused or not logged in: the line is logged all the same
            except OSError:
                time.sleep(0.5)  # not up yet
                continue
            served += 1
        assert served == len(urls), "server did not come up"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text()
    assert text.count("/api/v1/people?q=") >= len(SPELLINGS)  # a retry while booting adds one
    assert f"{ID_NUMBER[:4]}**********{ID_NUMBER[-4:]}" in text and "139****7301" in text
    assert leaked(text) == []
