from django.db import migrations

from gaoxin.core.zonekeys import ZoneKeys


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_zone_keys"),
        ("ledger", "0002_entry_seal"),
    ]

    operations = [ZoneKeys()]
