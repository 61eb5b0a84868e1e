"""PostGIS for the nearest search: Station.geog (computed by PostgreSQL from lat/lng)
and its GiST index, where PostGIS is available (postgis.enable). A no-op on SQLite and
on a PostgreSQL without PostGIS, where the grid keeps answering."""

from django.db import migrations

from gaoxin.core.zonekeys import ZoneKeys


def forwards(apps, schema_editor):
    from gaoxin.stations import postgis

    postgis.enable(schema_editor.connection)


def backwards(apps, schema_editor):
    from gaoxin.stations import postgis

    postgis.disable(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("stations", "0005_zone_keys")]

    operations = [migrations.RunPython(forwards, backwards), ZoneKeys()]
