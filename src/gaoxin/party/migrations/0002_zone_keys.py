from django.db import migrations

from gaoxin.core.zonekeys import ZoneKeys


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_zone_keys"),
        ("party", "0001_initial"),
    ]

    operations = [ZoneKeys()]
