"""Programme (节目单) services: add, change, reorder and delete items."""

from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.activities import domain
from gaoxin.activities.models import Activity, ProgrammeItem
from gaoxin.activities.services._common import (
    _audit_delete,
    _locked_activity,
    _raise_if_errors,
    _require_editable,
)
from gaoxin.core.audit import audit_record, audited_change, snapshot
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import InvalidInput, NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require_actor

PROGRAMME_AUDIT_FIELDS = ["position", "title", "genre", "performers", "duration_minutes", "note"]


def _renumber(activity_id: int, order: list[int]) -> None:
    for position, pk in enumerate(order, start=1):
        ProgrammeItem.objects.filter(pk=pk).exclude(position=position).update(position=position)


def _programme_order(activity_id: int) -> list[int]:
    return list(
        ProgrammeItem.objects.filter(activity_id=activity_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )


def programme_item_add(
    *, actor: User | None, activity: Activity, data: dict, position: int | None = None
) -> ProgrammeItem:
    """Append an item to the programme (or insert it at `position`, 1-based)."""
    require_actor(actor, "activities.change_activity", zone_id=activity.zone_id)
    cleaned = domain.clean_programme_item(data)
    _raise_if_errors(cleaned.errors)
    with transaction.atomic():
        current = _locked_activity(activity)
        _require_editable(current)
        order = _programme_order(current.pk)
        if len(order) >= 200:
            raise InvalidInput({"title": _("节目单最多 200 个节目")})
        item = ProgrammeItem.objects.create(
            zone_id=current.zone_id, activity=current, position=len(order) + 1, **cleaned.values
        )
        if position is not None and 1 <= position <= len(order):
            order.insert(position - 1, item.pk)
            _renumber(current.pk, order)
            item.refresh_from_db()
        audit_record(
            zone=current.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=item,
            after=snapshot(item, PROGRAMME_AUDIT_FIELDS),
        )
    return item


def programme_item_update(*, actor: User | None, item: ProgrammeItem, data: dict) -> ProgrammeItem:
    require_actor(actor, "activities.change_activity", zone_id=item.zone_id)
    cleaned = domain.clean_programme_item(data, partial=True)
    _raise_if_errors(cleaned.errors)
    with transaction.atomic():
        _require_editable(_locked_activity(item.activity))
        current = ProgrammeItem.objects.get(pk=item.pk)
        with audited_change(current, PROGRAMME_AUDIT_FIELDS, actor=actor):
            for key, value in cleaned.values.items():
                setattr(current, key, value)
            current.save()
    return current


def programme_item_move(*, actor: User | None, item: ProgrammeItem, position: int) -> ProgrammeItem:
    """Move an item to a 1-based position; the others close up behind it."""
    require_actor(actor, "activities.change_activity", zone_id=item.zone_id)
    with transaction.atomic():
        _require_editable(_locked_activity(item.activity))
        order = _programme_order(item.activity_id)
        if item.pk not in order:
            raise NotFound()
        before = order.index(item.pk) + 1
        position = max(1, min(int(position), len(order)))
        order.remove(item.pk)
        order.insert(position - 1, item.pk)
        _renumber(item.activity_id, order)
        if before != position:
            audit_record(
                zone=item.zone_id,
                actor=actor,
                action=AuditAction.UPDATE,
                obj=item,
                before={"position": before},
                after={"position": position},
            )
    item.refresh_from_db()
    return item


def programme_item_delete(*, actor: User | None, item: ProgrammeItem) -> None:
    require_actor(actor, "activities.change_activity", zone_id=item.zone_id)
    with transaction.atomic():
        _require_editable(_locked_activity(item.activity))
        _audit_delete(item, PROGRAMME_AUDIT_FIELDS, actor=actor)
        ProgrammeItem.objects.filter(pk=item.pk).delete()
        _renumber(item.activity_id, _programme_order(item.activity_id))
