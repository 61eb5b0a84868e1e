"""Boring factories. Records are made through services where auditing matters."""

import itertools
import json

import factory

from gaoxin.core import services
from gaoxin.core.models import User, Zone
from gaoxin.core.validators import id_check_digit, uscc_check_char

_seq = itertools.count(1)


def valid_uscc(n: int | None = None, region: str = "441200") -> str:
    """A valid 统一社会信用代码 whose organisation part encodes n."""
    n = next(_seq) if n is None else n
    first17 = f"91{region}{n:08d}X"[:17]
    # ensure the 9-digit organisation code uses only allowed characters
    first17 = first17[:8] + f"{n:09d}"
    return first17 + uscc_check_char(first17)


def valid_id_number(n: int | None = None, region: str = "441204", birth: str = "19900101") -> str:
    n = next(_seq) if n is None else n
    first17 = f"{region}{birth}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


def valid_mobile(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    return f"139{n % 100000000:08d}"


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"zone-{n}")
    name = factory.Sequence(lambda n: f"测试高新区{n}")
    province = "广东省"
    city = "肇庆市"


def make_user(
    role: str | None, zone: Zone | None, *, username: str | None = None, superuser: bool = False
) -> User:
    return services.user_create(
        actor=None,
        username=username or f"u{next(_seq)}-{role or 'super'}",
        password="pw-test-123",
        zone=zone,
        roles=[role] if role else [],
        is_superuser=superuser,
    )


class ApiClient:
    """Calls the API the way an integrator does: bearer token, JSON bodies."""

    def __init__(self, client):
        self.client = client
        self.headers = {}

    def as_user(self, user: User) -> "ApiClient":
        token = services.api_token_issue(user=user)
        other = ApiClient(self.client)
        other.headers = {"Authorization": f"Bearer {token}"}
        return other

    def _call(self, method: str, path: str, data=None, **params):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        fn = getattr(self.client, method)
        if method in ("get", "delete"):
            return fn(url, data=data or params or None, headers=self.headers)
        return fn(
            url,
            data=json.dumps(data if data is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def get(self, path, **params):
        return self._call("get", path, **params)

    def post(self, path, data=None):
        return self._call("post", path, data)

    def patch(self, path, data=None):
        return self._call("patch", path, data)

    def delete(self, path):
        return self._call("delete", path)
