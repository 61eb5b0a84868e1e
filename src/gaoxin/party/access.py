"""Who may see and add the files of the development pipeline (the resolution or
document behind each step): the zone's party officers only, as for the pipeline itself.
Declared to core.attachments in PartyConfig.ready; every download is audited there."""

from gaoxin.party.models import StageRecord

STEP_FILES = "party.stagerecord"


def _officer(user, zone_id: int, perm: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or (user.zone_id == zone_id and user.has_perm(perm))


def step_files_may_view(user, zone_id: int, owner_id: int) -> bool:
    return (
        _officer(user, zone_id, "party.view_candidate")
        and StageRecord.objects.filter(zone_id=zone_id, pk=owner_id).exists()
    )


def step_files_may_attach(user, zone_id: int, owner_id: int) -> bool:
    return _officer(user, zone_id, "party.change_candidate") and step_files_may_view(
        user, zone_id, owner_id
    )
