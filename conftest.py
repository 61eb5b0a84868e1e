"""Shared fixtures: two zones, users per role, API clients."""

import pytest


@pytest.fixture(autouse=True)
def _fast_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
