from django.db import migrations

from gaoxin.core.zonekeys import ZoneKeys


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_zone_references"),
        ("registry", "0002_zone_references"),
    ]

    operations = [ZoneKeys()]
