"""For the nearest search: Station columns for the open-now filter in SQL (open_mon …
open_sun, closures_until), filled for existing stations from their hours and closures,
and an index on blocks of 8×8 grid cells for its wide squares."""

from django.db import migrations, models
from django.db.models import Max

ALL_SLOTS = (1 << 48) - 1
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def fill_open_filter(apps, schema_editor):
    """The values the services keep from now on: hours.open_slots and the last closure day.
    One UPDATE per distinct opening hours (few), not per station."""
    import json
    from collections import defaultdict

    from gaoxin.stations.hours import open_slots

    Station = apps.get_model("stations", "Station")
    StationClosure = apps.get_model("stations", "StationClosure")
    by_hours = defaultdict(list)
    for pk, is_24h, week in Station.objects.values_list("id", "is_24h", "hours").iterator(5000):
        by_hours[(bool(is_24h), json.dumps(week or {}, sort_keys=True))].append(pk)
    for (is_24h, week), ids in by_hours.items():
        masks = open_slots(is_24h=is_24h, week=json.loads(week))
        if masks != [ALL_SLOTS] * len(DAYS):  # the columns' default
            values = {f"open_{day}": mask for day, mask in zip(DAYS, masks, strict=True)}
            for i in range(0, len(ids), 5000):
                Station.objects.filter(pk__in=ids[i : i + 5000]).update(**values)
    by_day = defaultdict(list)
    for pk, last in (
        StationClosure.objects.values("station_id")
        .annotate(last=Max("end_date"))
        .values_list("station_id", "last")
    ):
        by_day[last].append(pk)
    for last, ids in by_day.items():
        for i in range(0, len(ids), 5000):
            Station.objects.filter(pk__in=ids[i : i + 5000]).update(closures_until=last)


class Migration(migrations.Migration):
    dependencies = [("stations", "0002_month_rollups")]

    operations = [
        *[
            migrations.AddField(
                model_name="station",
                name=f"open_{day}",
                field=models.BigIntegerField(default=ALL_SLOTS, editable=False),
            )
            for day in DAYS
        ],
        migrations.AddField(
            model_name="station",
            name="closures_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="station",
            index=models.Index(
                (models.F("cell") / 57600) * 900 + (models.F("cell") % 7200) / 8,
                "status",
                name="station_block_status",
            ),
        ),
        migrations.RunPython(fill_open_filter, migrations.RunPython.noop),
    ]
