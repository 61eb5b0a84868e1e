"""Money in integer fen, as append-only double-entry postings.

Scheme
------
A *posting* is a group of entries (legs) written together under one
idempotency key; its amounts sum to zero. An *account* is a colon-separated
name chosen by the program that owns the money, e.g. for a welfare campaign:

    welfare:campaign:<id>:sponsor      funding source (negative: what sponsors committed)
    welfare:campaign:<id>:budget       budget not yet handed out
    welfare:campaign:<id>:outstanding  vouchers issued and not yet used
    welfare:campaign:<id>:redeemed     vouchers used

Every entry carries a seal: a keyed hash (HMAC under GAOXIN_FIELD_KEY) of all
its fields, written with it, so an amount or account edited in the database
no longer matches and `gaoxin audit verify` names the entry. Seals need no
lock and no read (unlike a chain), so postings stay as concurrent as before.

A balance is the sum of an account's entries; nothing is ever updated or
deleted. A correction is a reversing posting (every leg negated) that names
the posting it reverses, and a posting can be reversed at most once (a
unique constraint, so even two officers clicking at once cannot do it twice).

`LedgerDaily` rolls entries up per (zone, account, local day) in the same
transaction as the posting, so dashboards sum a few day rows instead of
scanning raw entries.
"""

import datetime as dt
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core import crypto
from gaoxin.core.models import ZoneScoped

SEAL_KIND = "ledger-entry"


def seal_text(entry) -> str:
    """What an entry's seal covers: every field but its id and the seal itself
    (any object with the model's attributes: migrations pass historical rows)."""
    at = entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return json.dumps(
        [
            entry.zone_id,
            entry.idempotency_key,
            entry.leg,
            entry.account,
            entry.amount_fen,
            entry.reference_type,
            entry.reference_id,
            entry.memo,
            entry.reverses_key,
            entry.actor_id,
            at,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def seal_of(entry) -> str:
    return crypto.seal(SEAL_KIND, seal_text(entry))


class LedgerEntry(ZoneScoped):
    """One leg of a posting."""

    idempotency_key = models.CharField(_("幂等键"), max_length=100)
    leg = models.PositiveSmallIntegerField(_("分录序号"), default=0)
    account = models.CharField(_("科目"), max_length=120)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    reference_type = models.CharField(_("业务类型"), max_length=60, blank=True)
    reference_id = models.CharField(_("业务编号"), max_length=40, blank=True)
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    reverses_key = models.CharField(_("冲正的幂等键"), max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("记账时间"), default=timezone.now)
    seal = models.CharField(_("封签"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("台账分录")
        verbose_name_plural = _("台账分录")
        ordering = ["zone_id", "created_at", "id"]
        permissions = [("reverse_ledgerentry", _("冲正台账分录"))]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "idempotency_key", "leg"], name="ledger_key_leg_unique_in_zone"
            ),
            models.UniqueConstraint(
                fields=["zone", "reverses_key", "leg"],
                condition=~Q(reverses_key=""),
                name="ledger_reversed_once_in_zone",
            ),
            models.CheckConstraint(condition=~Q(amount_fen=0), name="ledger_amount_not_zero"),
        ]
        indexes = [
            models.Index(fields=["zone", "account", "created_at"], name="ledger_zone_account_time"),
            models.Index(fields=["zone", "reference_type", "reference_id"], name="ledger_zone_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_fen:+d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("ledger entries are append-only; post a reversal instead")
        self.seal = seal_of(self)
        super().save(*args, **kwargs)

    @property
    def seal_ok(self) -> bool:
        return bool(self.seal) and crypto.seal_valid(SEAL_KIND, seal_text(self), self.seal)

    def delete(self, *args, **kwargs):
        raise RuntimeError("ledger entries are append-only; post a reversal instead")


class LedgerDaily(ZoneScoped):
    """Per-day roll-up of one account, kept in step by `ledger_post`."""

    account = models.CharField(_("科目"), max_length=120)
    day = models.DateField(_("日期"))
    debit_fen = models.BigIntegerField(_("借方（正数）合计（分）"), default=0)
    credit_fen = models.BigIntegerField(_("贷方（负数）合计（分）"), default=0)
    debit_count = models.PositiveIntegerField(_("正数笔数"), default=0)
    credit_count = models.PositiveIntegerField(_("负数笔数"), default=0)

    class Meta:
        verbose_name = _("台账日汇总")
        verbose_name_plural = _("台账日汇总")
        ordering = ["zone_id", "account", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "account", "day"], name="ledger_daily_unique_in_zone"
            ),
            models.CheckConstraint(
                condition=Q(debit_fen__gte=0, credit_fen__lte=0), name="ledger_daily_signs"
            ),
        ]
        indexes = [models.Index(fields=["zone", "day"], name="ledger_daily_zone_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.account} {self.debit_fen + self.credit_fen:+d}"

    @property
    def net_fen(self) -> int:
        return self.debit_fen + self.credit_fen
