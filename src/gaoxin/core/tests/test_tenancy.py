"""Every tenant table carries zone_id and every unique constraint includes it,
so the schema can be distributed by zone (Citus) later."""

from django.apps import apps
from django.db import models

from gaoxin.core.citus import GLOBAL_MODELS

GAOXIN_APPS = {c.label for c in apps.get_app_configs() if c.name.startswith("gaoxin.")}


def tenant_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in GAOXIN_APPS and m._meta.label not in GLOBAL_MODELS
    ]


def test_there_are_tenant_models_to_check():
    labels = {m._meta.label for m in tenant_models()}
    assert {
        "registry.Enterprise",
        "registry.Person",
        "registry.Department",
        "core.AuditEntry",
    } <= labels


def test_every_tenant_table_has_zone_id():
    missing = [
        m._meta.label
        for m in tenant_models()
        if not any(f.name == "zone" and f.column == "zone_id" for f in m._meta.concrete_fields)
    ]
    assert missing == []


def unique_offenders(model_list) -> list[str]:
    offenders = []
    for model in model_list:
        meta = model._meta
        for field in meta.concrete_fields:
            if field.unique and not field.primary_key:
                offenders.append(f"{meta.label}.{field.name} unique=True")
        for fields in meta.unique_together:
            if "zone" not in fields:
                offenders.append(f"{meta.label} unique_together {fields}")
        for constraint in meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                names = set(constraint.fields)
                if "zone" not in names and "zone_id" not in names:
                    offenders.append(f"{meta.label} {constraint.name}")
    return offenders


def test_every_unique_constraint_includes_zone():
    assert unique_offenders(tenant_models()) == []


def test_the_walker_reports_a_zone_less_unique_key():
    """The check itself can fail: zone-less unique fields and constraints are reported."""

    class Bad(models.Model):
        zone = models.ForeignKey("core.Zone", on_delete=models.CASCADE)
        code = models.CharField(max_length=5, unique=True)
        name = models.CharField(max_length=5)

        class Meta:
            app_label = "core"
            managed = False
            constraints = [models.UniqueConstraint(fields=["name"], name="bad_name")]

        def __str__(self):
            return self.code

    try:
        assert unique_offenders([Bad]) == ["core.Bad.code unique=True", "core.Bad bad_name"]
    finally:
        apps.all_models["core"].pop("bad", None)
        apps.clear_cache()
