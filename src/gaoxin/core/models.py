"""Zones (tenants), users and the audit trail (the registry of enterprises,
people and departments is `gaoxin.registry`).

Every tenant table carries `zone` and every unique constraint includes it, so
the schema can be distributed by zone id (Citus) later; a test walks all
models to keep it so. Personal identifiers are stored as ciphertext, a keyed
blind index for lookup and uniqueness, and a pre-masked copy for lists, so a
list page never decrypts anything.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.zonekeys import PLATFORM_ZONE_ID


class Zone(models.Model):
    """A high-tech zone: the tenant every record belongs to."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    province = models.CharField(_("省份"), max_length=20)
    city = models.CharField(_("城市"), max_length=20)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ZoneSaved(models.Model):
    """Saving a stored record of a tenant table: found by its zone and id, and its
    zone never rewritten."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._saved_zone_id = record.__dict__.get("zone_id")
        return record

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        """On Citus the zone is the shard key, so `save()`'s UPDATE names the zone (one
        shard) and may not set that column. A record never moves between zones."""
        saved = getattr(self, "_saved_zone_id", None)
        if saved is not None and saved != self.zone_id:
            raise ValueError(f"{self._meta.label} {pk_val} cannot move to another zone")
        values = [v for v in values if v[0].attname != "zone_id"]
        base_qs = base_qs.filter(zone_id=self.zone_id)
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)


class ZoneScoped(ZoneSaved):
    """Base for tenant tables."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("园区"))

    class Meta:
        abstract = True


class User(AbstractUser):
    """A login. Bound to one zone, or to none when the role spans zones."""

    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("所属园区"),
        help_text=_("留空表示跨园区（仅平台管理员和全国统计查看）"),
    )
    # A login is global (a reference table on Citus) and a person belongs to a zone: no
    # database key may point from the one into the other, so Django keeps this link alone.
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("对应人员"),
        db_constraint=False,
    )
    display_name = models.CharField(_("姓名"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def spans_zones(self) -> bool:
        return self.is_superuser or (self.zone_id is None and self.has_role(Role.NATIONAL_VIEWER))

    def has_role(self, role: str) -> bool:
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True)) if self.pk else set()
            self._role_cache = cache
        return role in cache


class ApiToken(models.Model):
    """Bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} token #{self.pk}"


class AuditChain(ZoneSaved):
    """Head of one hash chain: one per zone plus the platform's (PLATFORM_ZONE_ID).

    Writers lock this row, so entries of a chain are strictly sequential
    even under concurrent writes on PostgreSQL.
    """

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, default=PLATFORM_ZONE_ID, db_constraint=False
    )
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["zone"], name="audit_chain_one_per_zone")]

    def __str__(self) -> str:
        return f"chain zone={self.zone_id} seq={self.last_seq}"


class AuditEntry(ZoneSaved):
    """One append-only, hash-chained record of who changed or saw what."""

    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        default=PLATFORM_ZONE_ID,
        verbose_name=_("园区"),
        db_constraint=False,
    )
    seq = models.BigIntegerField(_("序号"))
    created_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("操作人"),
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "seq"], name="audit_seq_unique_in_zone"),
        ]
        indexes = [
            models.Index(fields=["zone", "object_type", "object_id"], name="audit_object"),
            models.Index(fields=["zone", "created_at"], name="audit_zone_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")


class Throttle(models.Model):
    """One fixed-window counter (failed logins of an identifier, anonymous check-ins
    of an address at a station), shared by every server process.

    Written only through `gaoxin.core.throttle`. The key is a keyed hash, never a
    raw phone number, username or address. Not per zone: a phone number may be
    registered in several zones and an address is nobody's record.
    """

    key = models.CharField(max_length=100, primary_key=True)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("频率限制计数")
        verbose_name_plural = _("频率限制计数")

    def __str__(self) -> str:
        return f"{self.key[:20]}… ×{self.count}"


# The attachment table is core's (every program's records use it); its code lives in
# gaoxin.core.attachments. Imported last: it builds on ZoneScoped and the audit above.
from gaoxin.core.attachments.models import Attachment  # noqa: E402, F401
