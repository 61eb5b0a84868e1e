"""Shared fixtures: two zones, users per role, API clients."""

import os

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The Citus lane (GAOXIN_CITUS_WORKERS="host:port,…" with DATABASE_URL on the
    coordinator): once migrated, each test database (one per xdist worker) gets the
    extension on every node, its workers registered, and every tenant table
    distributed by zone, as `gaoxin citus distribute` does to a real database.

    Test databases use 4 shards a table, not Citus's 32: still two shards on each worker
    (zones spread over both), and emptying the database between transactional tests (one
    TRUNCATE of every shard of every table) costs an eighth of what it did."""
    workers = [w for w in os.environ.get("GAOXIN_CITUS_WORKERS", "").split(",") if w]
    if not workers:
        return
    from django.db import connection

    from gaoxin.core import citus

    with django_db_blocker.unblock():
        citus.join_cluster(connection, workers)
        with connection.cursor() as cursor:
            cursor.execute("SET citus.shard_count = 4")
        citus.distribute(connection, is_tenant=citus.tenant_tables().__contains__)
        connection.close()  # the next one is set up for Citus (gaoxin.core.db.postgresql)


@pytest.fixture(autouse=True)
def _fast_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language. A request in English (a cookie, a header)
    leaves English active in the worker's thread, and a later command-line test run in that
    thread would otherwise print English where it asserts the Chinese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _declared_error_codes(monkeypatch):
    """The API answers only with declared error codes (core/errors.py, */errors.py)."""
    import config.api
    from gaoxin.core.errors import declared_codes

    declared, original = declared_codes(), config.api._error

    def checked(request, status, code, message, fields=None):
        assert code in declared, f"the API answered with the undeclared error code {code!r}"
        return original(request, status, code, message, fields)

    monkeypatch.setattr(config.api, "_error", checked)


@pytest.fixture
def zone_a(db):
    from gaoxin.core.tests.factories import ZoneFactory

    return ZoneFactory(code="zone-a", name="甲高新区")


@pytest.fixture
def zone_b(db):
    from gaoxin.core.tests.factories import ZoneFactory

    return ZoneFactory(code="zone-b", name="乙高新区")


@pytest.fixture
def make_user(db):
    from gaoxin.core.tests.factories import make_user

    return make_user


@pytest.fixture
def api_client(client):
    """A Django test client with `.as_user(user)` that logs in via a bearer token."""
    from gaoxin.core.tests.factories import ApiClient

    return ApiClient(client)


@pytest.fixture(scope="session")
def _playwright_browser():
    """Debian's Chromium driven by Playwright (its own browser download is not used)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("GAOXIN_CHROMIUM", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(_playwright_browser, live_server):
    """A small-phone browser tab (360×740, touch, zh-CN) on the live test server."""
    context = _playwright_browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desk_page(_playwright_browser, live_server):
    """A desktop browser tab for back-office pages."""
    context = _playwright_browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
