"""JSON serialization that keeps full precision, for `gaoxin backup`.

Django's JSON encoder cuts datetimes to milliseconds; a backup must give
back every row exactly as it was. Reading maps the labels of models that have
moved app since (`MOVED_MODELS`), so a backup of an older version restores.
"""

import datetime as dt

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

from gaoxin.core.zonekeys import PLATFORM_ZONE_ID


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


#: Models that moved app since older backups were taken: (old app label, model) → new.
#: The registry (enterprises, people, departments) left `core` for `registry`.
MOVED_MODELS: dict[tuple[str, str], tuple[str, str]] = {
    ("core", model): ("registry", model) for model in ("enterprise", "department", "person")
}


#: Rows that older versions stored with no zone (the platform's audit chain) and that now
#: live under PLATFORM_ZONE_ID: a distribution column is never NULL.
ZONED_SINCE = {"core.auditchain", "core.auditentry"}


def renamed(obj: dict) -> dict:
    """One serialized row as the current code names it: a moved model's rows and its
    content type (which permissions point at by id) take the new app label, and the
    platform's audit rows their zone."""
    app, _, model = str(obj.get("model", "")).partition(".")
    new = MOVED_MODELS.get((app, model.lower()))
    if new is not None:
        obj = {**obj, "model": ".".join(new)}
    if obj.get("model") in ZONED_SINCE and (obj.get("fields") or {}).get("zone") is None:
        obj = {**obj, "fields": {**obj["fields"], "zone": PLATFORM_ZONE_ID}}
    if obj.get("model") == "contenttypes.contenttype":
        fields = obj.get("fields") or {}
        new = MOVED_MODELS.get((fields.get("app_label"), fields.get("model")))
        if new is not None:
            obj = {**obj, "fields": {**fields, "app_label": new[0]}}
    return obj


class Deserializer(django_json.Deserializer):
    """Django's JSON deserializer, reading backups of older versions too (`renamed`)."""

    def _handle_object(self, obj):
        yield from super()._handle_object(renamed(obj))
